#!/usr/bin/env bash
# Super-resolution tables of docs/BENCHMARKS.md in the literature's protocol (MATLAB-style bicubic
# downscaling, 8-bit inputs, PSNR/SSIM on the Y channel with `scale` border pixels cropped):
# Set5 (colour), Kodak24 (colour photos no training set holds), Set12 (gray), x2 and x4, for
# bicubic, the retired per-channel FFDNet-style models (checkpoints/retired) and the shipped
# low-resolution networks.
# Usage: bash bench/sr-eval.sh [OUT_DIR]   (needs ../shared/data; ~10 min on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/sr-eval}; mkdir -p "$OUT"
export RETOUCH_DATA=${RETOUCH_DATA:-../shared/data}
for s in 2 4; do
  for set in set5 kodak24 set12; do
    # the retired per-channel model against the shipped one
    m=checkpoints/retired/sr$s-gray,sr$s-color
    ./retouch eval --set "$set" --task sr$s --methods bicubic,$m --quantize --json > "$OUT/$set-x$s.json"
  done
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys, os
out = sys.argv[1]
print(f"{'set':8s} {'scale':5s} {'bicubic':>16s} {'per channel':>22s} {'low resolution':>16s} {'gain':>7s}")
for s in (2, 4):
    for name in ("set5", "kodak24", "set12"):
        d = json.load(open(os.path.join(out, f"{name}-x{s}.json")))
        r = [d["results"][i] for i in range(3)]
        cell = lambda x: f"{x['psnr']:.2f} / {x['ssim']:.4f}"
        print(f"{name:8s} x{s:<4d} {cell(r[0]):>16s} {cell(r[1]):>22s} {cell(r[2]):>16s} {r[2]['psnr'] - r[0]['psnr']:+7.2f}")
PY
