#!/usr/bin/env python3
"""Writes N synthetic photos-like test images (clean and noisy PNG pairs) for the Spark benchmark.

    python3 bench/spark_images.py OUT N SIZE [--sigma 25] [--rgb-every 2] [--seed 1]

OUT/clean/img-0000.png ... and OUT/noisy/img-0000.png ...: smooth shading, edges (discs and
boxes) and fine texture; every --rgb-every-th image is RGB, the others gray; noise is Gaussian
of the given sigma (0-255 scale), added to the clean image, then rounded and clipped to 8 bits.
Needs only numpy (PNG written with zlib).
"""
import argparse, os, struct, zlib
import numpy as np


def png(path, a):
    a = np.ascontiguousarray(a.astype(np.uint8))
    h, w = a.shape[:2]
    ctype = 0 if a.ndim == 2 else 2
    raw = b"".join(b"\x00" + a[y].tobytes() for y in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, ctype, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def scene(rng, size, channels):
    y, x = np.mgrid[0:size, 0:size] / size
    img = np.zeros((size, size, channels))
    for c in range(channels):
        base = 90 + 60 * np.sin(2 * np.pi * (rng.uniform(0.5, 2) * x + rng.uniform(0, 1))) \
            * np.cos(2 * np.pi * (rng.uniform(0.5, 2) * y + rng.uniform(0, 1)))
        img[..., c] = base + 25 * np.sin(2 * np.pi * rng.uniform(8, 20) * (x + y))
    for _ in range(8):
        cx, cy, r = rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0.05, 0.25)
        col = rng.uniform(20, 235, channels)
        if rng.uniform() < 0.5:
            m = (x - cx) ** 2 + (y - cy) ** 2 < r * r
        else:
            m = (abs(x - cx) < r) & (abs(y - cy) < r * 0.6)
        img[m] = col
    img = np.clip(img, 0, 255)
    return img[..., 0] if channels == 1 else img


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out"); ap.add_argument("n", type=int); ap.add_argument("size", type=int)
    ap.add_argument("--sigma", type=float, default=25); ap.add_argument("--rgb-every", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    os.makedirs(os.path.join(a.out, "clean"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "noisy"), exist_ok=True)
    for i in range(a.n):
        channels = 3 if a.rgb_every > 0 and i % a.rgb_every == a.rgb_every - 1 else 1
        clean = np.round(scene(rng, a.size, channels))
        noisy = np.clip(np.round(clean + rng.normal(0, a.sigma, clean.shape)), 0, 255)
        png(os.path.join(a.out, "clean", "img-%04d.png" % i), clean)
        png(os.path.join(a.out, "noisy", "img-%04d.png" % i), noisy)


if __name__ == "__main__":
    main()
