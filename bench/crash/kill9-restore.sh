#!/usr/bin/env bash
# kill -9 during a folder restore, then run the same command again: the results already written
# must be complete (equal to an uninterrupted run's, byte for byte), a killed run's temporary files
# must never look like results (hidden .NAME.png.*.tmp) and are removed by the next run, and the
# next run restores only what is missing.
#
#   bench/crash/kill9-restore.sh                 (N=24 images, KILLS=2, METHOD=nlm)
#   N=24 KILLS=2 METHOD=nlm WORK=/tmp/retouch-kill9-restore RETOUCH_JAR=... bench/crash/kill9-restore.sh
#
# Exit 0 when every check passed, 1 otherwise.
set -uo pipefail
{ # read whole before running
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
N="${N:-24}" KILLS="${KILLS:-2}" METHOD="${METHOD:-nlm}" WORK="${WORK:-/tmp/retouch-kill9-restore}"
RANDOM="${SEED:-1}"
rm -rf "$WORK"; mkdir -p "$WORK/in"
make_crops "$WORK/crops" 192
# N inputs: six 192x192 crops of samples/camera.png under numbered names
for ((i = 0; i < N; i++)); do cp "$WORK/crops/c$((i % 6)).png" "$WORK/in/img$(printf %03d $i).png"; done
cmd=(restore "$WORK/in" --method "$METHOD" --sigma 15)
outputs() { if [ -d "$1" ]; then find "$1" -maxdepth 1 -type f -name '[!.]*' | wc -l; else echo 0; fi; }
temps() { find "$1" -maxdepth 1 -type f -name '.*' | wc -l; }

t0=$(date +%s.%N)
nice -n 5 "${retouch_cmd[@]}" "${cmd[@]}" -o "$WORK/ref" >"$WORK/ref.log" 2>&1 || { echo "reference run failed: $(tail -2 "$WORK/ref.log")" >&2; exit 1; }
echo "reference: $(outputs "$WORK/ref") results in $(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s"

fail=0
out="$WORK/out"
for ((k = 1; k <= KILLS; k++)); do
  before=$(outputs "$out")
  nice -n 5 "${retouch_cmd[@]}" "${cmd[@]}" -o "$out" >"$WORK/run$k.log" 2>&1 &
  pid=$!
  # kill once this run has written a few results of its own, at a random moment after that
  while kill -0 "$pid" 2>/dev/null && [ "$(outputs "$out")" -lt $((before + 3)) ]; do sleep 0.05; done
  sleep "0.$((RANDOM % 10))"
  if ! kill -9 "$pid" 2>/dev/null; then wait "$pid"; echo "run $k finished before the kill; use a larger N" >&2; break; fi
  wait "$pid" 2>/dev/null
  have=$(outputs "$out") tmp=$(temps "$out")
  bad=0
  for f in "$out"/*; do cmp -s "$f" "$WORK/ref/$(basename "$f")" || { echo "  $(basename "$f") differs from the reference (partial?)" >&2; bad=$((bad + 1)); }; done
  odd=$(find "$out" -maxdepth 1 -type f -name '.*' ! -name '.*.tmp' | wc -l)
  echo "kill -9 #$k: $have of $N results on disk, all complete: $([ $bad -eq 0 ] && echo yes || echo "NO ($bad)");" \
       "temporary files left: $tmp (hidden .*.tmp: $([ "$odd" -eq 0 ] && echo yes || echo no))"
  [ $bad -eq 0 ] && [ "$odd" -eq 0 ] || fail=1
done

have=$(outputs "$out")
nice -n 5 "${retouch_cmd[@]}" "${cmd[@]}" -o "$out" >"$WORK/final.log" 2>&1 || { echo "re-run failed: $(tail -2 "$WORK/final.log")" >&2; exit 1; }
summary=$(grep -h "^restored" "$WORK/final.log")
echo "re-run: $summary"
expect="restored $((N - have)) images into $out ($METHOD); $have already there were skipped"
[ "$have" -eq 0 ] && expect="restored $N images into $out ($METHOD)"
case "$summary" in "$expect"*) echo "  restored only the $((N - have)) missing: yes";; *) echo "  expected: $expect" >&2; fail=1;; esac
same=$(diff -r "$WORK/ref" "$out" >/dev/null 2>&1 && echo yes || echo no)
echo "  results equal the uninterrupted run's (byte for byte, $(outputs "$out") files): $same; temporary files left: $(temps "$out")"
[ "$same" = yes ] && [ "$(temps "$out")" -eq 0 ] || fail=1
echo "$([ $fail -eq 0 ] && echo PASS || echo FAIL)"
exit $fail
}
