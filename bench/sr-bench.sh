#!/usr/bin/env bash
# Super-resolution of a 12-megapixel output, side by side in one run: the model on the bicubic
# upscale (the retired sr2-gray / sr4-gray, R, G and B apart) against the low-resolution network
# (sr2-color / sr4-color), each under a 2 GiB heap. Prints wall time, max RSS, output megapixels per
# second and the time ratio.
# Usage: [SCALE=2|4] bash bench/sr-bench.sh [OTHER_MODEL [REFERENCE_MODEL]]   (needs python3-opencv)
set -euo pipefail
cd "$(dirname "$0")/.."
export SCALE=${SCALE:-2}
NEW=${1:-sr$SCALE-color}; REF=${2:-checkpoints/retired/sr$SCALE-gray}
DATA=${RETOUCH_DATA:-../shared/data}
OUT=${OUT:-runs/sr-bench}; mkdir -p "$OUT"
./retouch --version >/dev/null   # build once, outside the timing
# a (4000/SCALE)x(3000/SCALE) RGB photo (kodim01 resized with Lanczos), so the output is 4000x3000
/usr/bin/python3 - "$DATA/kodak24/kodim01.png" "$OUT/lr.png" "$SCALE" <<'PY'
import sys, cv2
im, s = cv2.imread(sys.argv[1], cv2.IMREAD_COLOR), int(sys.argv[3])
cv2.imwrite(sys.argv[2], cv2.resize(im, (4000 // s, 3000 // s), interpolation=cv2.INTER_LANCZOS4))
PY
. bench/heap2g-run.sh
run() {  # model -> "seconds rss_kb"
  heap2g_run "$OUT/$(basename "$1").log" restore "$OUT/lr.png" -o "$OUT/out-$(basename "$1").png" --model "$1" --overwrite
}
read rt rr < <(run "$REF"); read nt nr < <(run "$NEW")
/usr/bin/python3 - "$REF" "$rt" "$rr" "$NEW" "$nt" "$nr" "$OUT" <<'PY'
import sys
ref, rt, rr, new, nt, nr, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
import cv2
import os
h, w = cv2.imread(f"{out}/out-{os.path.basename(new)}.png", cv2.IMREAD_UNCHANGED).shape[:2]
mp = w * h / 1e6
print(f"x{os.environ.get('SCALE', '2')} output {w}x{h} ({mp:.1f} MP), -Xmx2g")
for name, t, r in ((ref, rt, rr), (new, nt, nr)):
    print(f"{name:12s} {t:8.1f} s  {mp / t:6.3f} output MP/s  max RSS {r / 1e6:5.2f} GB")
print(f"time ratio {new}/{ref}: {nt / rt:.3f} (lower is faster)")
PY
