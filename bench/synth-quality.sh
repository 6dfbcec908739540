#!/usr/bin/env bash
# Equal-wall-time quality: the same unconditional DCGAN (latent 64, g-width 16, d-width 16,
# batch 64, hinge loss, spectral norm, Adam (0, 0.9), lr_g 1e-4, lr_d 4e-4, EMA 0.999) trained on
# Fashion-MNIST for MINUTES wall minutes by PyTorch (bench/peers/dcgan.py) and by Retouch
# (retouch train gan), then SAMPLES EMA samples of each scored by the same domain evaluator
# (retouch eval-gen --samples: Fréchet distance and KID on the evaluator's features).
#
# Usage: bench/synth-quality.sh MINUTES [OUT_DIR]     (OUT_DIR default runs/synth-quality-MINUTESm; must be new)
# Env: SAMPLES (10000), EVALUATOR (evaluator-fmnist, a name or a folder), RETOUCH_THREADS (2),
#      RETOUCH_CMD (./retouch), PARALLEL (0), SEED (0: the seed of both runs).
# Takes 2 x MINUTES of the whole machine plus sampling and scoring (a few minutes). The two runs go
# one after the other, so each has the machine to itself; both clocks include start-up and data
# loading (the Python one counts from the interpreter's start, `timeout` from the JVM's).
# PARALLEL=1 runs the two side by side instead (MINUTES in all; use RETOUCH_THREADS=1 on a 2-core
# machine): whatever else happens on the machine then slows both alike.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:?usage: bench/synth-quality.sh MINUTES [OUT_DIR]}"
out="${2:-runs/synth-quality-${minutes}m}"
samples="${SAMPLES:-10000}"
evaluator="${EVALUATOR:-evaluator-fmnist}"
. bench/peer-env.sh
rt_cmd="${RETOUCH_CMD:-./retouch}"
rt() { RETOUCH_SKIP_BUILD=1 "$rt_cmd" "$@"; }

# A run folder with a checkpoint would make the trainer resume: start from nothing.
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "synth-quality: $out exists and is not empty; remove it or name another folder" >&2; exit 2
fi
mkdir -p "$out"
"$rt_cmd" --version >/dev/null   # build once, outside the clock
echo "synth-quality: $minutes min each, $samples samples, evaluator $evaluator, threads $threads -> $out" >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$out/load.txt"

# (a) PyTorch: train for MINUTES, then write the EMA generator's samples as PNGs.
echo "synth-quality: training the PyTorch DCGAN for $minutes min ..." >&2
/usr/bin/python3 bench/peers/dcgan.py --minutes "$minutes" --threads "$threads" --seed "${SEED:-0}" \
  --samples "$samples" --samples-out "$out/pytorch-samples" > "$out/pytorch-train.json" &
py_pid=$!
[ "${PARALLEL:-0}" = 1 ] || wait "$py_pid"

# (b) Retouch: SIGTERM after MINUTES makes the trainer finish its step, checkpoint and exit; the
# checkpoint folder is a model (its EMA generator). No FD/KID during training (--eval-every 0): the
# PyTorch run spends no time on it either; checkpoints every 500 steps as in the shipped runs.
echo "synth-quality: training Retouch's DCGAN for $minutes min ..." >&2
set +e
timeout -s TERM "${minutes}m" env RETOUCH_SKIP_BUILD=1 "$rt_cmd" train gan --data fashion-mnist --g-width 16 --d-width 16 \
  --steps 1000000 --eval-every 0 --seed "${SEED:-0}" --out "$out/retouch-run" --quiet > "$out/retouch-train.log" 2>&1
rc=$?
if [ "${PARALLEL:-0}" = 1 ]; then wait "$py_pid" || { echo "synth-quality: the PyTorch run failed" >&2; exit 1; }; fi
set -e
if [ ! -f "$out/retouch-run/checkpoint/model.json" ]; then
  echo "synth-quality: Retouch training left no checkpoint (exit $rc); see $out/retouch-train.log" >&2; exit 1
fi
rt generate --model "$out/retouch-run/checkpoint" -n "$samples" --out-dir "$out/retouch-samples" > /dev/null
echo "load average after training: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"

# (c) The same evaluator scores both folders.
for e in pytorch retouch; do
  echo "synth-quality: scoring $e samples ..." >&2
  rt eval-gen --samples "$out/$e-samples" --evaluator "$evaluator" --json > "$out/$e-eval.json"
done

python3 - "$out" "$minutes" <<'PY'
import json, os, sys
out, minutes = sys.argv[1], sys.argv[2]
pt = json.load(open(os.path.join(out, "pytorch-train.json")))
st = json.load(open(os.path.join(out, "retouch-run", "checkpoint", "trainer.json")))
ev = {e: json.load(open(os.path.join(out, e + "-eval.json"))) for e in ("pytorch", "retouch")}
rows = [("PyTorch " + pt["engine"].split()[-1], pt["steps"], pt["wall_s"], ev["pytorch"]),
        ("Retouch", st["step"], st["wall_time_seconds"], ev["retouch"])]
print(f"unconditional DCGAN on Fashion-MNIST, {minutes} wall minutes each, {ev['retouch']['samples']} EMA samples, "
      f"evaluator {ev['retouch']['evaluator']}")
print(f"{'':18s}{'G steps':>9s}{'train s':>9s}{'FD':>10s}{'KID':>12s}")
for name, steps, wall, e in rows:
    print(f"{name:18s}{steps:9d}{wall:9.0f}{e['fd']:10.3f}{e['kid']:12.5f} ± {e['kid_std']:.5f}")
f = ev["retouch"]
print(f"real-vs-real floor: FD {f['fd_real_floor']:.3f}, KID {f['kid_real_floor']:.5f} (lower is better)")
print("(Retouch train s: the trainer's loop time, without JVM start-up and data loading; PyTorch: from interpreter start)")
PY
cat "$out/load.txt"
