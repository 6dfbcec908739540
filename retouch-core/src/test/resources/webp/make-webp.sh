#!/usr/bin/env bash
# Regenerates the committed WebP test images (Retouch reads WebP but does not write it).
# Needs Debian's `webp` package (cwebp, img2webp, webpmux) and python3. Run from this folder.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import struct, sys, zlib
out = sys.argv[1]
def png(path, w, h, px, color_type):
    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    raw = b''.join(b'\x00' + b''.join(bytes(px(x, y)) for x in range(w)) for y in range(h))
    ihdr = struct.pack('>IIBBBBB', w, h, 8, color_type, 0, 0, 0)
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
# 48x32, R = 5x, G = 7y, B = 200 - 3x; alpha 255 except 128 in columns 32..47 (WebP: lossless keeps it exactly)
png(out + '/rgba.png', 48, 32, lambda x, y: (5 * x, 7 * y, 200 - 3 * x, 128 if x >= 32 else 255), 6)
# two 16x16 frames for the animated file: red then blue
png(out + '/f0.png', 16, 16, lambda x, y: (220, 20, 20), 2)
png(out + '/f1.png', 16, 16, lambda x, y: (20, 20, 220), 2)
# a little-endian TIFF block holding one IFD entry: Orientation (0x0112) = 6
exif = b'II*\x00' + struct.pack('<I', 8) + struct.pack('<H', 1) + struct.pack('<HHII', 0x0112, 3, 1, 6) + struct.pack('<I', 0)
open(out + '/exif6.bin', 'wb').write(exif)
PY
cwebp -quiet -lossless -exact "$tmp/rgba.png" -o rgba-lossless.webp
cwebp -quiet -q 90 -noalpha "$tmp/rgba.png" -o rgb-lossy.webp
webpmux -set exif "$tmp/exif6.bin" rgb-lossy.webp -o orient6.webp
img2webp -loop 0 -lossless -d 100 "$tmp/f0.png" -d 100 "$tmp/f1.png" -o anim.webp >/dev/null
