#!/usr/bin/env bash
# Face inpainting table of docs/BENCHMARKS.md (the CelebA use case): 200 faces that
# training never saw (celeba64 files 19, 39, 59, ...: every 20th, held out by
# 'retouch train inpaint --data celeba64'), holes (a) free-form strokes 10-30 %, (b) centre box
# 32x32 (a quarter of the face). Methods: OpenCV Telea and Navier-Stokes, the gray photo
# inpainter run per channel, and the RGB face inpainter.
# Usage: bash bench/inpaint-faces-eval.sh [OUT_DIR]   (needs ../shared/data/celeba64; ~5 min)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/inpaint-faces-eval}
DATA=${RETOUCH_DATA:-../shared/data}
M=${MODEL:-inpaint-faces}
mkdir -p "$OUT/faces"
ls "$DATA/celeba64" | sort | awk 'NR % 20 == 0 && ++k <= 200' | while read -r f; do ln -sf "$(realpath "$DATA/celeba64/$f")" "$OUT/faces/$f"; done
for spec in mask:free:0.1-0.3 mask:box:0.5; do
  name=${spec//[:.]/-}
  ./retouch eval --set "$OUT/faces" --degrade "$spec" --methods noisy,telea,ns,inpaint-gray,"$M" --strips "$OUT/strips-$name" --grid-images 8 --json > "$OUT/$name.json"
done
python3 - "$OUT" <<'PY'
import json, sys, glob, os
for f in sorted(glob.glob(os.path.join(sys.argv[1], "mask-*.json"))):
    d = json.load(open(f))
    print(os.path.basename(f), d["images"], "faces:", ", ".join(f'{r["method"]} hole {r.get("hole_psnr", float("nan")):.2f} / all {r["psnr"]:.2f} dB' for r in d["results"]))
PY
