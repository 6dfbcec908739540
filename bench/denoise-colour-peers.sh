#!/usr/bin/env bash
# Retouch next to the authors' FFDNet colour model for clipped inputs (FFDNet_Clip_color.mat, official
# weights run in PyTorch by bench/peers/official_denoisers.py), same inputs, one run.
#
# Inputs: the first N landscape (768x512) photos of Kodak24, sigma-25 Gaussian noise made by numpy
# outside Retouch (default_rng(SEED + i) per image, on the 0-255 scale), rounded and clipped to 8 bits.
# Every method reads the same noisy PNGs and writes 8-bit PNGs, scored by the same PSNR code (RGB).
# Retouch runs `retouch restore --task denoise` (RGB photos go to the task's colour model) once with
# the true sigma and once blind (sigma estimated); set MODEL=NAME|PATH to run another model instead.
# Time per image: Retouch end to end through the CLI as (time for N images - time for 1)/(N-1), so
# JVM start and model load cancel; the peer read + forward + write after one untimed warm-up pass.
# Threads: RETOUCH_THREADS (default 2) for both (bench/peer-env.sh).
#
# Needs: python3-torch, python3-h5py, python3-numpy, python3-pil (Debian), the built CLI, and the
# weights in the peers' cache (header of bench/peers/official_denoisers.py, --fetch-from).
# Usage: [N=6] [SEED=0] [QUALITIES="auto max"] [MODEL=...] [PHOTOS=DIR ANY_SIZE=1] bash bench/denoise-colour-peers.sh
# (PHOTOS: another folder of colour PNGs; ANY_SIZE=1 takes its first N photos whatever their size)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer-env.sh
SIGMA=25
N="${N:-6}"
SEED="${SEED:-0}"
QUALITIES="${QUALITIES:-auto}"
KODAK="${PHOTOS:-../shared/data/kodak24}"
ANY_SIZE="${ANY_SIZE:-0}"
PY=/usr/bin/python3
PEERS=bench/peers/official_denoisers.py
export RETOUCH_JAVA_OPTS="${RETOUCH_JAVA_OPTS:--Xmx2g -Djava.util.concurrent.ForkJoinPool.common.parallelism=$((threads - 1))}"
./retouch --version >/dev/null   # build once if needed, outside the timing
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

n=$("$PY" - "$KODAK" "$WORK" "$SIGMA" "$SEED" "$N" "$ANY_SIZE" <<'PY'
import os, sys
import numpy as np
from PIL import Image
src, work, sigma, seed, want, any_size = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "1"
for d in ("clean", "all", "one"):
    os.makedirs(os.path.join(work, d))
names = [f for f in sorted(os.listdir(src)) if f.lower().endswith((".png", ".jpg"))
         and (any_size or Image.open(os.path.join(src, f)).size == (768, 512))][:want]
for i, name in enumerate(names):
    x = np.asarray(Image.open(os.path.join(src, name)).convert("RGB"), dtype=np.float64)
    noise = np.random.default_rng(seed + i).standard_normal(x.shape)
    y = np.clip(np.round(x + sigma * noise), 0, 255).astype(np.uint8)
    name = os.path.splitext(name)[0] + ".png"
    Image.fromarray(x.astype(np.uint8)).save(os.path.join(work, "clean", name))
    Image.fromarray(y).save(os.path.join(work, "all", name))
    if i == 0:
        Image.fromarray(y).save(os.path.join(work, "one", name))
print(len(names))
PY
)
[ "$n" -ge 2 ] || { echo "denoise-colour-peers: need at least two colour photos (768x512 unless ANY_SIZE=1) in $KODAK" >&2; exit 1; }

"$PY" "$PEERS" --model ffdnet-clip-color --sigma "$SIGMA" --threads "$threads" \
  --noisy "$WORK/all" --clean "$WORK/clean" --out "$WORK/out-ffdnet" > "$WORK/ffdnet-clip-color.json"

which=(--task denoise)
[ -n "${MODEL:-}" ] && which=(--model "$MODEL")
seconds() { # quality, sigma (or auto), input folder, output folder
  local s e
  s=$(date +%s.%N)
  RETOUCH_SKIP_BUILD=1 ./retouch restore "$WORK/$3" -o "$WORK/$4" "${which[@]}" --sigma "$2" --quality "$1" \
    >"$WORK/$4.log" 2>&1 || { echo "denoise-colour-peers: retouch restore --quality $1 failed:" >&2; cat "$WORK/$4.log" >&2; return 1; }
  e=$(date +%s.%N)
  "$PY" -c "print($e - $s)"
}
labels=()
for q in $QUALITIES; do
  for sg in "$SIGMA" auto; do
    key="rt-$q-$sg"
    t1=$(seconds "$q" "$sg" one "$key-one")
    tn=$(seconds "$q" "$sg" all "$key")
    "$PY" "$PEERS" --score "$WORK/$key" --clean "$WORK/clean" \
      | "$PY" -c "import json,sys; d=json.load(sys.stdin); d['s_per_image']=round(($tn - $t1)/($n - 1), 4); print(json.dumps(d))" \
      > "$WORK/$key.json"
    labels+=("$key")
  done
done
"$PY" "$PEERS" --score "$WORK/all" --clean "$WORK/clean" > "$WORK/noisy.json"

"$PY" - "$WORK" "$n" "$threads" "$SEED" "${MODEL:-task default}" "${labels[@]}" <<'PY'
import json, os, sys
work, n, threads, seed, model, keys = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
load = lambda name: json.load(open(os.path.join(work, name + ".json")))
rows = [("noisy input (8-bit)", load("noisy")), ("FFDNet colour, clip model (official weights)", load("ffdnet-clip-color"))]
for k in keys:
    _, q, sg = k.split("-", 2)
    rows.append((f"Retouch ({model}), --quality {q}, " + ("sigma given" if sg != "auto" else "blind"), load(k)))
print(f"{os.environ.get('PHOTOS', 'Kodak24 768x512')} colour photos: {n} images, sigma 25, 8-bit noisy inputs (numpy seed {seed}); threads {threads}")
print(f"{'method':62s}{'mean PSNR':>10s}{'s / image':>11s}")
for name, d in rows:
    t = "" if "s_per_image" not in d else f"{d['s_per_image']:.2f}"
    print(f"{name:62s}{d['mean_psnr']:10.2f}{t:>11s}")
print(json.dumps({name: {k: d.get(k) for k in ("mean_psnr", "s_per_image", "forward_s_per_image") if d.get(k) is not None}
                  for name, d in rows}))
PY
