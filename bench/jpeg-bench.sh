#!/usr/bin/env bash
# JPEG artefact removal on photos Retouch never trained on, as users have them: .jpg files written by
# another encoder (Pillow's libjpeg, IJG tables; colour with its default 4:2:0 chroma subsampling) at
# qualities 10/20/30/40 (the literature's table) and 90/95 (near-lossless photos must not be harmed).
# `retouch restore DIR --task jpeg` reads the .jpg files and is not told the quality (it estimates it
# from the pixels) unless TOLD=1. PSNR on 8 bits against the original, per mode (gray on the gray
# image, colour on RGB), the JPEG input next to the repair, and the mean gain.
#
# Gray: Set12 (12 photos). Colour: Kodak24 (24 photos; SUBSET=N takes the first N).
# CROP=1 cuts 3 rows and 5 columns off the top-left of each decoded JPEG and saves it as PNG, as a
# crop of a photo would be: the 8x8 grid no longer starts at the corner and Retouch has to find it.
# Usage: [MODEL=checkpoints/...] [QUALITIES="10 20 30 40 90 95"] [SETS="gray colour"] [CROP=1] bash bench/jpeg-bench.sh
# Needs: python3-pil and python3-numpy (Debian), the built CLI (./retouch builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${RETOUCH_DATA:-../shared/data}"
QUALITIES="${QUALITIES:-10 20 30 40 90 95}"
SETS="${SETS:-gray colour}"
MODEL="${MODEL:-}"
PY=/usr/bin/python3
./retouch --version >/dev/null
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "set quality n input_psnr restored_psnr gain_db seconds"
for set in $SETS; do
  case "$set" in
    gray) src="$DATA/set12"; mode=L ;;
    colour) src="$DATA/kodak24"; mode=RGB ;;
    *) echo "jpeg-bench: unknown set $set (gray or colour)" >&2; exit 2 ;;
  esac
  for q in $QUALITIES; do
    d="$WORK/$set-$q"; mkdir -p "$d/clean" "$d/jpeg" "$d/out"
    "$PY" - "$src" "$d" "$mode" "$q" "${SUBSET:-0}" "${CROP:-0}" <<'PY'
import io, os, sys
from PIL import Image
src, d, mode, q, subset, crop = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "1"
names = sorted(f for f in os.listdir(src) if f.endswith(".png"))
if subset: names = names[:subset]
for f in names:
    im = Image.open(os.path.join(src, f)).convert(mode)
    if not crop:
        im.save(os.path.join(d, "clean", f))
        im.save(os.path.join(d, "jpeg", f[:-4] + ".jpg"), quality=q)
        continue
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=q)
    jpeg = Image.open(buf).convert(mode)
    box = (5, 3, im.width, im.height)
    im.crop(box).save(os.path.join(d, "clean", f))
    jpeg.crop(box).save(os.path.join(d, "jpeg", f[:-4] + ".jpg.png"))
PY
    told=()
    [ "${TOLD:-0}" = 1 ] && told=(--jpeg-quality "$q")
    t0=$(date +%s.%N)
    ./retouch restore "$d/jpeg" -o "$d/out" --task jpeg ${MODEL:+--model "$MODEL"} "${told[@]}" >"$d/log" 2>"$d/err" \
      || { cat "$d/err" >&2; exit 1; }
    t1=$(date +%s.%N)
    "$PY" - "$d" "$mode" "$set" "$q" "$(echo "$t1 - $t0" | bc)" <<'PY'
import os, sys
import numpy as np
from PIL import Image
d, mode, name, q, secs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 10 * np.log10(255.0 ** 2 / mse)
ins, outs = [], []
for f in sorted(os.listdir(os.path.join(d, "clean"))):
    c = np.asarray(Image.open(os.path.join(d, "clean", f)).convert(mode))
    jf = [g for g in os.listdir(os.path.join(d, "jpeg")) if g.startswith(f[:-4] + ".")]
    j = np.asarray(Image.open(os.path.join(d, "jpeg", jf[0])).convert(mode))
    outs_f = [g for g in os.listdir(os.path.join(d, "out")) if g.startswith(f[:-4] + ".")]
    assert len(outs_f) == 1, (f, outs_f)
    r = np.asarray(Image.open(os.path.join(d, "out", outs_f[0])).convert(mode))
    assert r.shape == c.shape, (f, r.shape, c.shape)
    ins.append(psnr(c, j)); outs.append(psnr(c, r))
print(f"{name} {q} {len(ins)} {np.mean(ins):.2f} {np.mean(outs):.2f} {np.mean(outs) - np.mean(ins):+.2f} {secs:.1f}")
PY
  done
done
