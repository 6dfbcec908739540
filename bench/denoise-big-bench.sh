#!/usr/bin/env bash
# A 4000x3000 RGB photo denoised (sigma 25, 8-bit noisy input), side by side in one run: the colour
# U-Net candidate (checkpoints/denoise-unet-color) against the shipped FFDNet-style denoise-color (width 192, network alone), each one
# network pass under a 2 GiB heap. Prints wall time, max RSS, megapixels per second, the time
# ratio, and the PSNR of each output against the clean photo.
# Usage: bash bench/denoise-big-bench.sh [NEW_MODEL [REFERENCE_MODEL]]   (needs python3-opencv)
set -euo pipefail
cd "$(dirname "$0")/.."
NEW=${1:-checkpoints/denoise-unet-color/model}; REF=${2:-denoise-color}
DATA=${RETOUCH_DATA:-../shared/data}
OUT=${OUT:-runs/denoise-big-bench}; mkdir -p "$OUT"
./retouch --version >/dev/null   # build once, outside the timing
# kodim01 resized up to 4000x3000 with Lanczos, then sigma-25 noise (numpy seed 0), rounded to 8 bits
/usr/bin/python3 - "$DATA/kodak24/kodim01.png" "$OUT" <<'PY'
import sys, cv2, numpy as np
im = cv2.resize(cv2.imread(sys.argv[1], cv2.IMREAD_COLOR), (4000, 3000), interpolation=cv2.INTER_LANCZOS4)
noisy = np.clip(np.round(im + 25 * np.random.default_rng(0).standard_normal(im.shape)), 0, 255).astype(np.uint8)
cv2.imwrite(sys.argv[2] + "/clean.png", im)
cv2.imwrite(sys.argv[2] + "/noisy.png", noisy)
PY
. bench/heap2g-run.sh
run() {  # model -> "seconds rss_kb"
  heap2g_run "$OUT/$(basename "$1").log" restore "$OUT/noisy.png" -o "$OUT/out-$(basename "$1").png" --model "$1" --sigma 25 --quality fast --overwrite
}
read rt rr < <(run "$REF"); read nt nr < <(run "$NEW")
/usr/bin/python3 - "$REF" "$rt" "$rr" "$NEW" "$nt" "$nr" "$OUT" <<'PY'
import os, sys, cv2, numpy as np
ref, rt, rr, new, nt, nr, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
clean = cv2.imread(f"{out}/clean.png", cv2.IMREAD_COLOR).astype(np.float64)
def psnr(name):
    o = cv2.imread(f"{out}/out-{os.path.basename(name)}.png", cv2.IMREAD_COLOR)
    assert o.shape == clean.shape, f"{name}: output {o.shape}, input {clean.shape}"
    return 10 * np.log10(255 ** 2 / np.mean((o.astype(np.float64) - clean) ** 2))
h, w = clean.shape[:2]
mp = w * h / 1e6
print(f"{w}x{h} RGB ({mp:.1f} MP), sigma 25, one network pass each, -Xmx2g, time includes JVM start and model load")
for name, t, r in ((ref, rt, rr), (new, nt, nr)):
    print(f"{name:40s} {t:8.1f} s  {mp / t:6.3f} MP/s  max RSS {r / 1e6:5.2f} GB  PSNR {psnr(name):.2f} dB")
print(f"time ratio {new}/{ref}: {nt / rt:.3f} (lower is faster)")
PY
