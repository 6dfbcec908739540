"""Independent check of inpainting on natural photos: held-out natural-image crops with
free-form masks covering 10-30 %, hole PSNR of Retouch's inpainter against OpenCV's own Telea.

Crops (default 256x256, one or more per image) come from photos training never saw (Kodak24 by
default); masks come from this script's own free-form brush generator (DeepFill v2's algorithm:
random polylines of 4-12 vertices, widths 10-40 px at 256 px, scaled with the crop), not Retouch's,
and Telea from OpenCV in Python (cv2.inpaint, radius 3), so neither side's code grades itself.
Writes crops, masks and results under OUT; prints mean hole PSNR per method.

Usage: python3 bench/inpaint_crops.py [--set DIR] [--size 256] [--per-image 2] [--gray|--color]
       [--model inpaint-gray] [--out runs/inpaint-crops] [--seed 0]
Needs python3-opencv and python3-numpy (Debian), and ./retouch.
"""
import argparse
import glob
import json
import math
import os
import subprocess
import sys

import cv2
import numpy as np


def free_form_mask(h, w, rng, lo=0.10, hi=0.30):
    """DeepFill v2 free-form strokes (Yu et al. 2019), redrawn until the coverage is in [lo, hi]."""
    s = min(h, w) / 256.0
    for _ in range(1000):
        m = np.zeros((h, w), np.uint8)
        for _ in range(rng.integers(1, 5)):
            x, y = rng.integers(0, w), rng.integers(0, h)
            width = int(rng.integers(10, 41) * s)
            for _ in range(rng.integers(4, 13)):
                angle = rng.uniform(0, 2 * math.pi)
                length = rng.uniform(10, 60) * s
                nx = int(np.clip(x + length * math.cos(angle), 0, w - 1))
                ny = int(np.clip(y + length * math.sin(angle), 0, h - 1))
                cv2.line(m, (int(x), int(y)), (nx, ny), 255, max(1, width))
                cv2.circle(m, (nx, ny), max(1, width // 2), 255, -1)
                x, y = nx, ny
        cov = (m > 127).mean()
        if lo <= cov <= hi:
            return m
    raise RuntimeError("could not draw a mask with the asked coverage")


def hole_psnr(a, b, hole):
    d = (a.astype(np.float64) - b.astype(np.float64))[hole]
    mse = (d ** 2).mean()
    return 10 * math.log10(255.0 ** 2 / mse) if mse > 0 else float("inf")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--set", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "kodak24"))
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--per-image", type=int, default=2)
    p.add_argument("--color", action="store_true", help="RGB crops (default gray)")
    p.add_argument("--model", default="inpaint-gray")
    p.add_argument("--out", default="runs/inpaint-crops")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--retouch", default=os.environ.get("RETOUCH_CMD", "./retouch"))
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    files = sorted(glob.glob(os.path.join(a.set, "*.png")) + glob.glob(os.path.join(a.set, "*.jpg")))
    if not files:
        sys.exit(f"no images in {a.set}")
    os.makedirs(a.out, exist_ok=True)
    rows = []
    for f in files:
        img = cv2.imread(f, cv2.IMREAD_COLOR if a.color else cv2.IMREAD_GRAYSCALE)
        h, w = img.shape[:2]
        if min(h, w) < a.size:
            continue
        for k in range(a.per_image):
            y, x = rng.integers(0, h - a.size + 1), rng.integers(0, w - a.size + 1)
            crop = img[y:y + a.size, x:x + a.size]
            mask = free_form_mask(a.size, a.size, rng)
            name = f"{os.path.splitext(os.path.basename(f))[0]}_{k}"
            cp, mp, op = (os.path.join(a.out, f"{name}{s}.png") for s in ("", "_mask", "_retouch"))
            cv2.imwrite(cp, crop)
            cv2.imwrite(mp, mask)
            damaged = crop.copy()
            damaged[mask > 127] = 0
            dp = os.path.join(a.out, f"{name}_damaged.png")
            cv2.imwrite(dp, damaged)
            telea = cv2.inpaint(damaged, mask, 3, cv2.INPAINT_TELEA)
            subprocess.run([a.retouch, "restore", dp, "--task", "inpaint", "--model", a.model, "--mask", mp,
                            "-o", op], check=True, stdout=subprocess.DEVNULL,
                           env=dict(os.environ, RETOUCH_NO_PROGRESS="1"))
            out = cv2.imread(op, cv2.IMREAD_COLOR if a.color else cv2.IMREAD_GRAYSCALE)
            hole = mask > 127
            known_diff = int(np.abs(out.astype(int) - crop.astype(int))[~hole].max())
            r = {"image": name, "coverage": float(hole.mean()), "telea": hole_psnr(telea, crop, hole),
                 "retouch": hole_psnr(out, crop, hole), "known_max_abs_diff": known_diff}
            rows.append(r)
            print(f"{name:14s} cover {r['coverage']:.3f}  Telea {r['telea']:6.2f}  {a.model} {r['retouch']:6.2f}  "
                  f"gain {r['retouch'] - r['telea']:+.2f} dB  known-pixel max diff {known_diff}", flush=True)
    t = np.mean([r["telea"] for r in rows])
    m = np.mean([r["retouch"] for r in rows])
    summary = {"crops": len(rows), "size": a.size, "color": a.color, "model": a.model, "set": os.path.abspath(a.set),
               "hole_psnr_telea": t, "hole_psnr_model": m, "gain_db": m - t,
               "crops_better_than_telea": sum(r["retouch"] > r["telea"] for r in rows), "rows": rows}
    json.dump(summary, open(os.path.join(a.out, "results.json"), "w"), indent=1)
    print(f"{len(rows)} crops {a.size}x{a.size} ({'RGB' if a.color else 'gray'}): hole PSNR Telea {t:.2f} dB, "
          f"{a.model} {m:.2f} dB, gain {m - t:+.2f} dB; better on {summary['crops_better_than_telea']} of {len(rows)}")


if __name__ == "__main__":
    main()
