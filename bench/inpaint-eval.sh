#!/usr/bin/env bash
# Inpainting tables of docs/BENCHMARKS.md.
#  1. Natural photos never used in training (Set12, Kodak24 as gray), holes 10-30%:
#     (a) free-form brush strokes (Retouch's generator, seeded per image),
#     (b) NVIDIA irregular masks of the 10-20% and 20-30% bins that training never saw
#         (files numbered 4 mod 5; training draws only from the others).
#     Methods: holes as they are, OpenCV Telea and Navier-Stokes, the shipped inpaint-gray.
#  2. Fashion-MNIST test set, centre 14x14 hole: FD/KID (evaluator-fmnist) and hole PSNR of
#     Telea, NS, the L1-only ablation and the GAN model, next to the real-vs-real floor.
# Usage: bash bench/inpaint-eval.sh [OUT_DIR]   (needs ../shared/data; ~10 min on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/inpaint-eval}
DATA=${RETOUCH_DATA:-../shared/data}
mkdir -p "$OUT/heldout-masks"
for f in "$DATA"/masks/0[24][0-9][0-9][49].png; do ln -sf "$(realpath "$f")" "$OUT/heldout-masks/"; done
echo "held-out NVIDIA masks (10-30%): $(ls "$OUT/heldout-masks" | wc -l)"
M=${MODEL:-inpaint-gray}
for set in set12 kodak24; do
  ./retouch eval --set "$set" --gray --degrade mask:free:0.1-0.3 --methods noisy,telea,ns,$M --strips "$OUT/strips-$set-free" --json > "$OUT/$set-free.json"
  ./retouch eval --set "$set" --gray --degrade "mask:dir:$OUT/heldout-masks" --methods noisy,telea,ns,$M --strips "$OUT/strips-$set-nvidia" --json > "$OUT/$set-nvidia.json"
done
python3 - "$OUT" <<'PY'
import json, sys, glob, os
out = sys.argv[1]
for f in sorted(glob.glob(os.path.join(out, "*-*.json"))):
    d = json.load(open(f))
    rows = {r["method"]: r for r in d["results"]}
    print(os.path.basename(f), d["images"], "images:", ", ".join(f'{m} hole {r.get("hole_psnr", float("nan")):.2f} / all {r["psnr"]:.2f} dB' for m, r in rows.items()))
PY
./retouch eval-inpaint --data fashion-mnist --methods telea,ns,${L1:-inpaint-fmnist-l1},${GAN:-inpaint-fmnist} --strip "$OUT/fmnist-strip.png" --json > "$OUT/fmnist.json"
cat "$OUT/fmnist.json"
