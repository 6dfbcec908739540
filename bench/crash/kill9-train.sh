#!/usr/bin/env bash
# kill -9 during training, then resume: for each training family, a reference run trains N steps
# without interruption; a second run on another folder is killed with SIGKILL at a random moment
# after a checkpoint (KILLS times), then the same command is run again until it completes. The
# final checkpoints must be identical: weights, extra blocks (EMA, discriminator), Adam moments and
# task state byte for byte, model.json and trainer.json apart from dates and wall times, and the
# loss columns of train.csv. One libtorch thread (RETOUCH_THREADS=1), as bit-identity needs.
#
#   bench/crash/kill9-train.sh [family ...]     families: denoise restore vae gan inpaint classifier fusion
#   KILLS=2 SEED=1 WORK=/tmp/retouch-kill9 RETOUCH_JAR=retouch-cli/target-crash/retouch-cli.jar bench/crash/kill9-train.sh
#
# Exit 0 when every family resumed identically, 1 otherwise.
set -uo pipefail
{ # read whole before running: the script may be edited while it runs
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

KILLS="${KILLS:-2}"
WORK="${WORK:-/tmp/retouch-kill9}"
RANDOM="${SEED:-1}"
families=("$@")
[ ${#families[@]} -eq 0 ] && families=(denoise restore vae gan inpaint classifier fusion)

rm -rf "$WORK"
mkdir -p "$WORK"
make_crops "$WORK/crops"
make_idx "$WORK/idx"
C="$WORK/crops" I="$WORK/idx"

# Tiny settings, a checkpoint every few steps so kills land between checkpoints.
args_for() {
  case "$1" in
    denoise) echo "train denoise --data $C --depth 3 --width 8 --patch 32 --batch 2 --steps 30 --validate-every 10 --val-every 3 --checkpoint-every 3";;
    restore) echo "train restore --task sr2 --data $C --depth 3 --width 8 --patch 32 --batch 2 --steps 30 --validate-every 10 --val-every 3 --checkpoint-every 3";;
    vae) echo "train vae --data $I --latent 4 --width 8 --batch 24 --held-out 60 --epochs 3";;   # 10 steps an epoch, a checkpoint each
    gan) echo "train gan --data $C --size 32 --latent 16 --g-width 8 --d-width 8 --batch 4 --steps 30 --eval-every 10 --checkpoint-every 3";;
    inpaint) echo "train inpaint --data $C --size 32 --levels 2 --width 8 --d-width 8 --batch 2 --steps 30 --validate-every 10 --val-every 3 --checkpoint-every 3";;
    classifier) echo "train classifier --data $I --widths 4,8 --features 16 --batch 24 --val 60 --epochs 3 --floor-images 50 --kid-reference 50";;
    fusion) echo "train fusion --from $WORK/fusion-base/checkpoint --data $C --depth 2 --width 4 --patch 32 --batch 2 --samples-per-image 1 --steps 30 --validate-every 10 --val-every 3 --checkpoint-every 3";;
    *) echo "unknown family $1 (denoise restore vae gan inpaint classifier fusion)" >&2; exit 2;;
  esac
}

ckpt_step() {  # step of the checkpoint in run folder $1 (0 if none)
  local f="$1/checkpoint/trainer.json"
  local s
  s=$(sed -n 's/^ *"step" *: *\([0-9]*\).*/\1/p' "$f" 2>/dev/null)
  echo "${s:-0}"
}

# Compares two run folders' checkpoints; prints "identical" or what differs.
compare_runs() {
  python3 - "$1" "$2" <<'PY'
import json, os, sys, csv
a, b = sys.argv[1], sys.argv[2]
diffs = []
ca, cb = os.path.join(a, 'checkpoint'), os.path.join(b, 'checkpoint')
def files(root):
    out = set()
    for d, _, fs in os.walk(root):
        for f in fs: out.add(os.path.relpath(os.path.join(d, f), root))
    return out
fa, fb = files(ca), files(cb)
if fa != fb: diffs.append('files differ: %s' % sorted(fa ^ fb))
volatile = {'created', 'wall_time_seconds', 'command', 'name'}  # name: the run folder's
for f in sorted(fa & fb):
    pa, pb = os.path.join(ca, f), os.path.join(cb, f)
    if f.endswith('.json'):
        ja, jb = json.load(open(pa)), json.load(open(pb))
        for k in volatile: ja.pop(k, None); jb.pop(k, None)
        if ja != jb: diffs.append(f + ' (' + ', '.join(k for k in sorted(set(ja) | set(jb)) if ja.get(k) != jb.get(k)) + ')')
    elif open(pa, 'rb').read() != open(pb, 'rb').read():
        diffs.append(f)
def losses(run):  # step -> metrics, without wall time and memory
    rows = list(csv.reader(open(os.path.join(run, 'train.csv'))))
    keep = [h for h in rows[0] if h not in ('wall_s', 'rss_mb')]
    return {r[0]: {h: v for h, v in zip(rows[0], r) if h in keep} for r in rows[1:]}
# a resumed run also logs the first step after each resume: compare the steps both logged
la, lb = losses(a), losses(b)
missing = sorted(set(la) - set(lb), key=float)
if missing: diffs.append('train.csv lacks steps %s' % missing[:5])
bad = sorted((s for s in set(la) & set(lb) if la[s] != lb[s]), key=float)
if bad: diffs.append('train.csv metrics differ at steps %s' % bad[:5])
print('identical' if not diffs else 'DIFFERENT: ' + '; '.join(diffs))
PY
}

printf '%-11s %6s %6s %-10s %s\n' family kills steps resumed detail > "$WORK/results.txt"
fail=0
for fam in "${families[@]}"; do
  if [ "$fam" = fusion ] && [ ! -f "$WORK/fusion-base/checkpoint/trainer.json" ]; then
    # the fusion head refines a denoiser: a tiny one trained here (the shipped denoise-gray works too, slower)
    read -r -a base <<<"$(args_for denoise)"
    nice -n 5 "${retouch_cmd[@]}" "${base[@]}" --quiet --out "$WORK/fusion-base" >"$WORK/fusion-base.log" 2>&1 \
      || { echo "fusion: the base denoiser failed: $(tail -2 "$WORK/fusion-base.log")" >&2; }
  fi
  read -r -a cmd <<<"$(args_for "$fam")"
  ref="$WORK/$fam-ref" run="$WORK/$fam-killed"
  t0=$(date +%s.%N)
  nice -n 5 "${retouch_cmd[@]}" "${cmd[@]}" --quiet --out "$ref" >"$WORK/$fam-ref.log" 2>&1
  rc=$?
  ref_s=$(python3 -c "import sys; print(round($(date +%s.%N) - $t0, 1))")
  if [ $rc -ne 0 ]; then
    echo "$fam: reference run failed (exit $rc): $(tail -3 "$WORK/$fam-ref.log")" >&2
    printf '%-11s %6s %6s %-10s %s\n' "$fam" - - no "reference run failed (exit $rc)" >> "$WORK/results.txt"
    fail=1; continue
  fi
  total=$(ckpt_step "$ref")
  kills=0 at=""
  for ((k = 1; k <= KILLS; k++)); do
    before=$(ckpt_step "$run")
    nice -n 5 "${retouch_cmd[@]}" "${cmd[@]}" --quiet --out "$run" >>"$WORK/$fam-killed.log" 2>&1 &
    pid=$!
    # wait for a checkpoint at a random step past the one this run started from (at least one new
    # checkpoint), then kill at a random moment up to 1.5 s later: between checkpoints or inside one
    target=$((before + 1 + RANDOM % ((total - before) / 2 + 1)))
    while kill -0 "$pid" 2>/dev/null && [ "$(ckpt_step "$run")" -lt "$target" ]; do sleep 0.05; done
    if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; break; fi
    sleep "$((RANDOM % 2)).$((RANDOM % 10))"
    if kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null
      kills=$((kills + 1))
      at="$at ${before}->$(ckpt_step "$run")"
      echo "$fam: kill -9 #$kills, last checkpoint at step $(ckpt_step "$run") of $total" >&2
    else
      wait "$pid"; echo "$fam: the run finished before kill #$k" >&2; break
    fi
  done
  # the same command again, until it completes
  for ((r = 0; r < 3; r++)); do
    nice -n 5 "${retouch_cmd[@]}" "${cmd[@]}" --quiet --out "$run" >>"$WORK/$fam-killed.log" 2>&1 && break
  done
  left=$(find "$run" -name '*.tmp*' -o -name 'checkpoint.old' | wc -l)
  verdict=$(compare_runs "$ref" "$run")
  ok=no; [ "$verdict" = identical ] && [ "$left" -eq 0 ] && ok=yes
  [ $ok = yes ] || fail=1
  detail="$verdict; checkpoint steps at kills:${at:- none}; temp files left: $left; reference run ${ref_s}s"
  printf '%-11s %6s %6s %-10s %s\n' "$fam" "$kills" "$(ckpt_step "$run")/$total" "$ok" "$detail" | tee -a "$WORK/results.txt" >&2
done
echo
cat "$WORK/results.txt"
exit $fail
}
