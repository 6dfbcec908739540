"""Independent check of inpainting on natural photos: held-out natural-image crops with masks of
several families covering 10-30 %, hole PSNR of Retouch's inpainters against OpenCV's own Telea.

Crops (default 256x256, one or more per image) come from photos training never saw (Kodak24 by
default). Masks come from this script's own generators, not Retouch's:
  thin   polylines 3-10 px wide at any crop size (scratches, wires, blemishes);
  thick  DeepFill v2's free-form strokes (random polylines of 4-12 vertices, 10-40 px at 256 px,
         scaled with the crop);
  blob   irregular blobs: white noise blurred with a Gaussian of 5-14 px (at 256 px) and
         thresholded at the quantile that gives the drawn coverage;
and Telea comes from OpenCV in Python (cv2.inpaint, radius 3), so neither side's code grades itself.
Each family is one folder of damaged crops and one of masks, restored with one `retouch restore
DIR --mask MASKDIR` call per model. Prints mean hole PSNR per family and model; writes
OUT/results.json.

Usage: python3 bench/inpaint_crops.py [--set DIR] [--size 256] [--per-image 2] [--color]
       [--families thin,thick,blob] [--models inpaint-gray,inpaint-color] [--out runs/inpaint-crops] [--seed 0]
       [--restore-args "--ensemble 4"]
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


def _polylines(h, w, rng, lo, hi, width_px):
    """Strokes added one at a time until the coverage reaches a target drawn in [lo, hi]; a stroke that overshoots is dropped."""
    target = rng.uniform(lo, hi)
    for _ in range(200):
        m = np.zeros((h, w), np.uint8)
        for _ in range(400):
            stroke = m.copy()
            x, y = rng.integers(0, w), rng.integers(0, h)
            width = max(1, int(round(width_px(rng))))
            for _ in range(rng.integers(4, 13)):
                angle = rng.uniform(0, 2 * math.pi)
                length = rng.uniform(10, 60) * min(h, w) / 256.0
                nx = int(np.clip(x + length * math.cos(angle), 0, w - 1))
                ny = int(np.clip(y + length * math.sin(angle), 0, h - 1))
                cv2.line(stroke, (int(x), int(y)), (nx, ny), 255, width)
                cv2.circle(stroke, (nx, ny), max(1, width // 2), 255, -1)
                x, y = nx, ny
            cov = (stroke > 127).mean()
            if cov > hi:
                continue
            m = stroke
            if cov >= target:
                return m
        if lo <= (m > 127).mean() <= hi:
            return m
    raise RuntimeError("could not draw a mask with the asked coverage")


def thin_mask(h, w, rng, lo=0.10, hi=0.30):
    return _polylines(h, w, rng, lo, hi, lambda r: r.uniform(3, 10))


def thick_mask(h, w, rng, lo=0.10, hi=0.30):
    s = min(h, w) / 256.0
    return _polylines(h, w, rng, lo, hi, lambda r: r.uniform(10, 40) * s)


def blob_mask(h, w, rng, lo=0.10, hi=0.30):
    s = min(h, w) / 256.0
    noise = rng.standard_normal((h, w)).astype(np.float32)
    smooth = cv2.GaussianBlur(noise, (0, 0), rng.uniform(5, 14) * s)
    cov = rng.uniform(lo, hi)
    return np.where(smooth > np.quantile(smooth, 1 - cov), 255, 0).astype(np.uint8)


FAMILIES = {"thin": thin_mask, "thick": thick_mask, "blob": blob_mask}


def label(model):
    """A folder name for a model given by name or by path (results never go into the model's own folder)."""
    return "out-" + os.path.basename(os.path.normpath(model))


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
    p.add_argument("--families", default="thin,thick,blob")
    p.add_argument("--models", default="inpaint-gray", help="comma-separated Retouch models")
    p.add_argument("--out", default="runs/inpaint-crops")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--retouch", default=os.environ.get("RETOUCH_CMD", "./retouch"))
    p.add_argument("--restore-args", default="", help="extra flags for every restore call, e.g. '--ensemble 4'")
    a = p.parse_args()
    files = sorted(glob.glob(os.path.join(a.set, "*.png")) + glob.glob(os.path.join(a.set, "*.jpg")))
    if not files:
        sys.exit(f"no images in {a.set}")
    models = a.models.split(",")
    mode = cv2.IMREAD_COLOR if a.color else cv2.IMREAD_GRAYSCALE
    summary = {"set": os.path.abspath(a.set), "size": a.size, "color": a.color, "seed": a.seed, "families": {}}
    for fam in a.families.split(","):
        rng = np.random.default_rng([a.seed, list(FAMILIES).index(fam)])
        d = os.path.join(a.out, fam)
        for sub in ("clean", "damaged", "masks"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        names = []
        for f in files:
            img = cv2.imread(f, mode)
            h, w = img.shape[:2]
            if min(h, w) < a.size:
                continue
            for k in range(a.per_image):
                y, x = rng.integers(0, h - a.size + 1), rng.integers(0, w - a.size + 1)
                crop = img[y:y + a.size, x:x + a.size]
                mask = FAMILIES[fam](a.size, a.size, rng)
                name = f"{os.path.splitext(os.path.basename(f))[0]}_{k}"
                damaged = crop.copy()
                damaged[mask > 127] = 0
                cv2.imwrite(os.path.join(d, "clean", name + ".png"), crop)
                cv2.imwrite(os.path.join(d, "damaged", name + ".png"), damaged)
                cv2.imwrite(os.path.join(d, "masks", name + ".png"), mask)
                names.append(name)
        for model in models:
            subprocess.run([a.retouch, "restore", os.path.join(d, "damaged"), "-o", os.path.join(d, label(model)), "--task", "inpaint",
                            "--model", model, "--mask", os.path.join(d, "masks"), "--overwrite"] + a.restore_args.split(), check=True,
                           stdout=subprocess.DEVNULL, env=dict(os.environ, RETOUCH_NO_PROGRESS="1"))
        rows = []
        for name in names:
            crop = cv2.imread(os.path.join(d, "clean", name + ".png"), mode)
            mask = cv2.imread(os.path.join(d, "masks", name + ".png"), cv2.IMREAD_GRAYSCALE)
            damaged = cv2.imread(os.path.join(d, "damaged", name + ".png"), mode)
            hole = mask > 127
            r = {"image": name, "coverage": float(hole.mean()),
                 "telea": hole_psnr(cv2.inpaint(damaged, mask, 3, cv2.INPAINT_TELEA), crop, hole)}
            for model in models:
                out = cv2.imread(os.path.join(d, label(model), name + ".png"), mode)
                r[model] = hole_psnr(out, crop, hole)
                r[model + "_known_max_abs_diff"] = int(np.abs(out.astype(int) - damaged.astype(int))[~hole].max())
            rows.append(r)
        t = float(np.mean([r["telea"] for r in rows]))
        fs = {"crops": len(rows), "coverage_mean": float(np.mean([r["coverage"] for r in rows])), "hole_psnr_telea": t, "rows": rows}
        line = f"{fam:6s} {'RGB' if a.color else 'gray'} {len(rows)} crops: Telea {t:.2f} dB"
        for model in models:
            m = float(np.mean([r[model] for r in rows]))
            better = sum(r[model] > r["telea"] for r in rows)
            known = max(r[model + "_known_max_abs_diff"] for r in rows)
            fs[model] = {"hole_psnr": m, "gain_db": m - t, "better_than_telea": better, "known_max_abs_diff": known}
            line += f" | {model} {m:.2f} ({m - t:+.2f}, better on {better}/{len(rows)}, known-pixel max diff {known})"
        print(line, flush=True)
        summary["families"][fam] = fs
    json.dump(summary, open(os.path.join(a.out, "results.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
