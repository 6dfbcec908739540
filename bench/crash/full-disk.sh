#!/usr/bin/env bash
# A full disk during training and during a restore, on a small tmpfs (needs root: mount/umount).
#  A. a checkpoint that does not fit at all (2 MiB disk, a ~4 MB network): clear error, exit 3, nothing left behind;
#  B. the disk fills after a first checkpoint: clear error naming the path, "No space left on device"
#     and the fix, exit 3; the previous checkpoint is intact, and once space is freed the same
#     command resumes from it and finishes;
#  C. a folder restore onto a full disk: clear error, exit 3, no partial result.
# Exit 3 because the command cannot go on in this environment and the user can fix it (as for bad
# input); 1 stays for internal errors (bugs).
#
#   sudo bench/crash/full-disk.sh      (WORK=/tmp/retouch-full-disk RETOUCH_JAR=... to choose)
set -uo pipefail
{ # read whole before running
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
WORK="${WORK:-/tmp/retouch-full-disk}"
MNT="$WORK/disk"
rm -rf "$WORK"; mkdir -p "$MNT"
make_crops "$WORK/crops"
mount -t tmpfs -o size=2m tmpfs "$MNT" || { echo "cannot mount a tmpfs on $MNT (run as root)" >&2; exit 3; }
trap 'umount "$MNT" 2>/dev/null' EXIT
fail=0
check() {  # check NAME RC LOGFILE: exit 3 and a clear one-line message
  local name="$1" rc="$2" log="$3" msg
  msg=$(grep '^retouch:' "$log" | head -1)
  echo "$name: exit $rc; $msg"
  [ "$rc" -eq 3 ] || { echo "  FAIL: expected exit 3" >&2; fail=1; }
  echo "$msg" | grep -q "No space left on device" || { echo "  FAIL: no 'No space left on device' in the message" >&2; fail=1; }
  [ "$(grep -c '^retouch:' "$log")" -eq 1 ] || { echo "  FAIL: more than one error line" >&2; fail=1; }
}
fill() {  # fill the disk, leaving $1 KiB (default 0) free
  local keep="${1:-0}" avail
  avail=$(df -k --output=avail "$MNT" | tail -1)
  if [ "$keep" -gt 0 ]; then dd if=/dev/zero of="$MNT/filler" bs=4k count=$(((avail - keep) / 4)) 2>/dev/null
  else dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null; fi
  sync
}
leftovers() { find "$MNT" -name '.*tmp*' -o -name '*.old' | wc -l; }
train=(train denoise --data "$WORK/crops" --patch 32 --batch 2 --validate-every 0 --val-every 3 --quiet)

# A. a checkpoint larger than the disk
nice -n 5 "${retouch_cmd[@]}" "${train[@]}" --depth 15 --width 160 --steps 2 --checkpoint-every 1 --out "$MNT/big" >"$WORK/a.log" 2>&1
check "A (checkpoint larger than the disk)" $? "$WORK/a.log"
echo "  leftovers on the disk: $(leftovers)"; [ "$(leftovers)" -eq 0 ] || fail=1
rm -rf "$MNT/big"

# B. the disk fills after a first checkpoint
small=("${train[@]}" --depth 3 --width 8 --checkpoint-every 2 --out "$MNT/run")
nice -n 5 "${retouch_cmd[@]}" "${small[@]}" --steps 10 --stop-at 2 >"$WORK/b0.log" 2>&1 || { echo "first session failed: $(tail -2 "$WORK/b0.log")" >&2; exit 1; }
sum_before=$(cd "$MNT/run/checkpoint" && cat weights.params optimizers/* trainer.json | md5sum)
fill 16   # room for log lines, not for the next checkpoint (~45 KB)
nice -n 5 "${retouch_cmd[@]}" "${small[@]}" --steps 10 >"$WORK/b1.log" 2>&1
check "B (disk full after the checkpoint of step 2)" $? "$WORK/b1.log"
sum_after=$(cd "$MNT/run/checkpoint" && cat weights.params optimizers/* trainer.json | md5sum)
intact=$([ "$sum_before" = "$sum_after" ] && echo yes || echo no)
echo "  previous checkpoint intact: $intact; leftovers: $(leftovers)"
[ "$intact" = yes ] && [ "$(leftovers)" -eq 0 ] || fail=1
rm -f "$MNT/filler"
nice -n 5 "${retouch_cmd[@]}" "${small[@]}" --steps 10 >"$WORK/b2.log" 2>&1; rc=$?
step=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["step"])' "$MNT/run/checkpoint/trainer.json")
echo "  space freed, same command: exit $rc, $(grep -h 'finished\|stopped' "$WORK/b2.log"), checkpoint at step $step"
[ "$rc" -eq 0 ] && [ "$step" -eq 10 ] || fail=1
# and the resumed run equals an uninterrupted one (on the normal disk)
nice -n 5 "${retouch_cmd[@]}" "${train[@]}" --depth 3 --width 8 --checkpoint-every 2 --steps 10 --out "$WORK/ref" >"$WORK/ref.log" 2>&1
same=$(cmp -s "$WORK/ref/checkpoint/weights.params" "$MNT/run/checkpoint/weights.params" && echo yes || echo no)
echo "  weights equal an uninterrupted run's: $same"; [ "$same" = yes ] || fail=1
rm -rf "$MNT/run"

# C. a folder restore onto a full disk
mkdir -p "$MNT/out"; fill
nice -n 5 "${retouch_cmd[@]}" restore "$WORK/crops" -o "$MNT/out" --method gaussian --sigma 10 >"$WORK/c.log" 2>&1
check "C (restore into a full disk)" $? "$WORK/c.log"
echo "  files in the output folder: $(find "$MNT/out" -type f | wc -l) (temporary: $(find "$MNT/out" -name '.*' -type f | wc -l))"
[ "$(find "$MNT/out" -type f -size 0 | wc -l)" -eq 0 ] && [ "$(find "$MNT/out" -name '.*' -type f | wc -l)" -eq 0 ] || fail=1
echo "$([ $fail -eq 0 ] && echo PASS || echo FAIL)"
exit $fail
}
