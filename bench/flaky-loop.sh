#!/usr/bin/env bash
# Runs retouch-nn's native-engine tests N times in fresh Maven/JVM runs, reruns off, and prints
# pass/fail counts. The tests once failed now and then (NaN in VaeTest, wrong values in LayersTest)
# and surefire re-ran them; see docs/BENCHMARKS.md "Engine notes: flaky native tests".
#
#   bench/flaky-loop.sh [N] [test classes]     default: 50 LayersTest,VaeTest
#
# Environment: MVN_ARGS (extra Maven arguments, e.g. -o -DbuildDirName=target-flaky),
# LOOP_LOG (folder for failing runs' output, default target/flaky-loop). Uses tcmalloc like
# .ci/run when it is installed (set LD_PRELOAD= to run under glibc malloc). Needs retouch-core
# installed (mvn -q -DskipTests install -pl retouch-core).
set -uo pipefail
cd "$(dirname "$0")/.."
n=${1:-50}
tests=${2:-LayersTest,VaeTest}
log=${LOOP_LOG:-target/flaky-loop}
mkdir -p "$log"
tc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
if [ -z "${LD_PRELOAD+x}" ] && [ -e "$tc" ]; then export LD_PRELOAD=$tc; fi
echo "flaky-loop: $n runs of $tests, LD_PRELOAD=${LD_PRELOAD:-none}, $(date -u +%FT%TZ)"
pass=0 fail=0 streak=0 best=0
for i in $(seq 1 "$n"); do
  t0=$(date +%s)
  # shellcheck disable=SC2086
  if mvn -B -q ${MVN_ARGS:-} -pl retouch-nn test -Dtest="$tests" -Dsurefire.rerunFailingTestsCount=0 >"$log/run-$i.txt" 2>&1; then
    pass=$((pass + 1)); streak=$((streak + 1)); rm -f "$log/run-$i.txt"; r=pass
  else
    fail=$((fail + 1)); streak=0; r="FAIL (output in $log/run-$i.txt)"
  fi
  [ $streak -gt $best ] && best=$streak
  echo "run $i: $r, $(( $(date +%s) - t0 )) s"
done
echo "flaky-loop: $pass passed, $fail failed of $n; longest run of passes $best"
[ "$fail" -eq 0 ]
