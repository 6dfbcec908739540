#!/usr/bin/env bash
# Time-boxed fuzzing of the input parsers with Jazzer (com.code-intelligence:jazzer-junit): runs each
# @FuzzTest in fuzzing mode (JAZZER_FUZZ=1) for MINUTES, one JVM per target, niced, and reports
# per target whether it ended by time (nothing found) or with a finding.
#
#   bash bench/fuzz.sh                  # every target, 5 minutes each
#   bash bench/fuzz.sh 3                # 3 minutes each
#   bash bench/fuzz.sh 10 multipart     # one target (a word from the names below)
#
# Targets (module, test class#method):
#   image       retouch-core   retouch.image.ImageFilesFuzzTest#probeAndRead     probe + decoder
#   spec        retouch-core   retouch.degrade.DegradationSpecFuzzTest#parse     degradation-spec parser
#   idx         retouch-core   retouch.data.IdxFileFuzzTest#read                 IDX reader (raw, gzip)
#   meta        retouch-nn     retouch.nn.store.ModelMetaFuzzTest#readMetaFolder model.json reader
#   metazip     retouch-nn     retouch.nn.store.ModelMetaFuzzTest#readMetaZip    model.json in a model zip
#   multipart   retouch-server retouch.server.MultipartFuzzTest#upload           multipart upload path
#
# A finding fails the test; Jazzer writes the crashing input into the test's inputs folder
# (src/test/resources/<package>/<Class>Inputs/<method>/crash-*, or at times its copy under
# <module>/$BUILD_DIR/test-classes: move it to src/test/resources), where `mvn test` replays it from
# then on: fix the code, keep the input. The generated corpus stays in <module>/.cifuzz-corpus
# (git-ignored) so that a later run continues from it. Logs: $OUT (default /tmp/retouch-fuzz-*).
# Without JAZZER_FUZZ, `mvn test` only replays the stored inputs (seconds).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MINUTES="${1:-5}"
shift || true
OUT="${OUT:-$(mktemp -d -t retouch-fuzz-XXXX)}"
BUILD_DIR="${BUILD_DIR:-target-fuzz}"
ALL="image:retouch-core:retouch.image.ImageFilesFuzzTest#probeAndRead
spec:retouch-core:retouch.degrade.DegradationSpecFuzzTest#parse
idx:retouch-core:retouch.data.IdxFileFuzzTest#read
meta:retouch-nn:retouch.nn.store.ModelMetaFuzzTest#readMetaFolder
metazip:retouch-nn:retouch.nn.store.ModelMetaFuzzTest#readMetaZip
multipart:retouch-server:retouch.server.MultipartFuzzTest#upload"
status=0
summary=""
while IFS=: read -r name module test; do
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
  log="$OUT/$name.log"
  echo "fuzz: $name ($test in $module) for ${MINUTES} min, log $log"
  start=$(date +%s)
  # -Xmx1g keeps the JVM under libFuzzer's 2 GB RSS limit; the timeout is a backstop for the build.
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${MINUTES}m" timeout $((MINUTES * 60 + 900)) \
    nice -n 5 mvn -B -q -DbuildDirName="$BUILD_DIR" -pl "$module" -am test -Dtest="$test" \
    -Dsurefire.failIfNoSpecifiedTests=false -DargLine=-Xmx1g -DtrimStackTrace=false >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  execs="$(grep -aoE '#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 | grep -oE '[0-9]+' | head -1)"
  corpus="$(grep -aoE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1)"
  if [ $rc = 0 ]; then
    result="no finding"
  else
    result="FINDING or failure (rc $rc): $(grep -aE '== Java Exception|FuzzTestFinding|Caused by|ERROR\] .*Fuzz' "$log" | head -3 | tr '\n' ' ')"
    status=1
  fi
  line="$name: ${secs}s wall, ~${execs:-?} executions, ${corpus:-corpus ?}; $result"
  echo "fuzz: $line"
  summary="$summary$line"$'\n'
done <<<"$ALL"
echo
echo "=== fuzz summary ($(date -u +%FT%TZ), ${MINUTES} min per target) ==="
printf '%s' "$summary"
# Jazzer writes a crash into the inputs folder it found: the sources' or (sometimes) the build's copy
find "$ROOT" \( -path '*/src/test/resources/*FuzzTestInputs*' -o -path "*/$BUILD_DIR/test-classes/*FuzzTestInputs*" \) \
  -name 'crash-*' -newer "$OUT" 2>/dev/null | sed 's/^/new crash input (keep it under src\/test\/resources): /'
exit $status
