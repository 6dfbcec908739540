"""PyTorch reference of `retouch train denoise --arch ffdnet|unet` (the recipe, not only the layers).

Trains the same network on the same photos with the same recipe as Retouch's trainer (random
patches with the 8 flips/turns, uniform sigma per patch, noisy input optionally clipped and rounded to
8 bits, Adam, cosine learning rate, L2 or L1) and logs validation PSNR on the photos Retouch holds out
(every 50th, index % 50 == 49 in name order) at sigma 15/25/50. Run beside `retouch train denoise`
with the same settings to tell a recipe problem (Retouch behind at equal steps) from a compute one.

  python3 bench/peers/train_denoise_reference.py --data ../shared/data/train400 --steps 1500 \
      --validate-every 500 --out runs/ref-ffdnet.csv
"""
import argparse
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

from restore_nets import FfdNet


class ResBlock(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(w, w, 3, padding=1, bias=False), nn.ReLU(inplace=True),
                                  nn.Conv2d(w, w, 3, padding=1, bias=False))

    def forward(self, x):
        return x + self.body(x)


class UNet(nn.Module):
    """Retouch's unet-denoiser: pixel-unshuffled input + level map, strided 2x2 down, 1x1 conv +
    pixel-shuffle up, skip additions, residual blocks without BatchNorm."""

    def __init__(self, width=32, levels=4, blocks=2):
        super().__init__()
        ws = [width * 2 ** i for i in range(levels)]
        self.head = nn.Conv2d(5, ws[0], 3, padding=1, bias=False)
        self.enc = nn.ModuleList([nn.Sequential(*[ResBlock(ws[i]) for _ in range(blocks)]) for i in range(levels - 1)])
        self.down = nn.ModuleList([nn.Conv2d(ws[i], ws[i + 1], 2, stride=2, bias=False) for i in range(levels - 1)])
        self.bottom = nn.Sequential(*[ResBlock(ws[-1]) for _ in range(blocks)])
        self.up = nn.ModuleList([nn.Conv2d(ws[i + 1], 4 * ws[i], 1, bias=False) for i in range(levels - 1)])
        self.dec = nn.ModuleList([nn.Sequential(*[ResBlock(ws[i]) for _ in range(blocks)]) for i in range(levels - 1)])
        self.tail = nn.Conv2d(ws[0], 16 // 4, 3, padding=1, bias=False)

    def forward(self, x, level):
        d = F.pixel_unshuffle(x, 2)
        m = level.view(-1, 1, 1, 1).expand(d.shape[0], 1, d.shape[2], d.shape[3])
        h = self.head(torch.cat([d, m], 1))
        skips = []
        for enc, down in zip(self.enc, self.down):
            h = enc(h)
            skips.append(h)
            h = down(h)
        h = self.bottom(h)
        for i in reversed(range(len(self.enc))):
            h = self.dec[i](F.pixel_shuffle(self.up[i](h), 2) + skips[i])
        return x + F.pixel_shuffle(self.tail(h), 2)


def read_gray(path):
    im = Image.open(path).convert("L")
    return np.asarray(im, dtype=np.float32) / 255.0


def psnr(a, b):
    return 10 * math.log10(1.0 / max(float(np.mean((a - b) ** 2)), 1e-12))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--arch", default="ffdnet")
    p.add_argument("--depth", type=int, default=15)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--levels", type=int, default=4)
    p.add_argument("--blocks", type=int, default=2)
    p.add_argument("--patch", type=int, default=64)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--sigma", default="0-55")
    p.add_argument("--quantize", action="store_true")
    p.add_argument("--loss", default="l2")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--lr-min", type=float, default=1e-5)
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--validate-every", type=int, default=500)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    lo, hi = (float(s) for s in a.sigma.split("-"))

    names = sorted(f for f in os.listdir(a.data) if f.lower().endswith((".png", ".jpg", ".jpeg")))
    val, pool = [], []
    for i, n in enumerate(names):
        im = read_gray(os.path.join(a.data, n))
        (val if i % 50 == 49 else pool).append(im)
    pool = [im for im in pool if min(im.shape) >= a.patch]

    net = FfdNet(1, a.depth, a.width) if a.arch == "ffdnet" else UNet(a.width, a.levels, a.blocks)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    sched = lambda s: a.lr_min + 0.5 * (a.lr - a.lr_min) * (1 + math.cos(math.pi * min(s, a.steps) / a.steps))

    def batch():
        ps, sig = [], []
        for _ in range(a.batch):
            im = pool[rng.integers(len(pool))]
            y, x = rng.integers(im.shape[0] - a.patch + 1), rng.integers(im.shape[1] - a.patch + 1)
            c = im[y:y + a.patch, x:x + a.patch]
            mode = rng.integers(8)
            if mode & 4: c = c.T
            if mode & 1: c = c[::-1, :]
            if mode & 2: c = c[:, ::-1]
            ps.append(np.ascontiguousarray(c))
            sig.append((lo + rng.random() * (hi - lo)) / 255.0)
        clean = torch.from_numpy(np.stack(ps)[:, None])
        level = torch.tensor(sig, dtype=torch.float32)
        noisy = clean + torch.randn_like(clean) * level.view(-1, 1, 1, 1)
        if a.quantize:
            noisy = (noisy * 255).round().div(255).clamp(0, 1)
        return clean, noisy, level

    def validate():
        net.eval()
        out = {}
        with torch.no_grad():
            for s in (15, 25, 50):
                tot = 0.0
                for i, im in enumerate(val):
                    noisy = im + np.random.default_rng(1000 + i).standard_normal(im.shape).astype(np.float32) * s / 255.0
                    if a.quantize:
                        noisy = np.clip(np.round(noisy * 255) / 255, 0, 1)
                    h, w = im.shape
                    ph, pw = (-h) % 16, (-w) % 16  # the U-Net needs sides divisible by 2^levels
                    t = F.pad(torch.from_numpy(noisy)[None, None], (0, pw, 0, ph), mode="reflect")
                    r = net(t, torch.tensor([s / 255.0]))[0, 0, :h, :w].clamp(0, 1).numpy()
                    tot += psnr(im, r)
                out[s] = tot / len(val)
        net.train()
        return out

    with open(a.out, "w") as f:
        f.write("step,wall_s,loss,lr,val_psnr15,val_psnr25,val_psnr50\n")
        t0 = time.perf_counter()
        net.train()
        for step in range(1, a.steps + 1):
            for g in opt.param_groups:
                g["lr"] = sched(step)
            clean, noisy, level = batch()
            out = net(noisy, level)
            loss = (out - clean).abs().mean() if a.loss == "l1" else F.mse_loss(out, clean)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % a.validate_every == 0 or step == a.steps:
                v = validate()
                f.write(f"{step},{time.perf_counter() - t0:.1f},{loss.item():.6f},{sched(step):.3g},{v[15]:.4f},{v[25]:.4f},{v[50]:.4f}\n")
                f.flush()
                print(step, f"{time.perf_counter() - t0:.0f}s", {k: round(x, 3) for k, x in v.items()}, flush=True)


if __name__ == "__main__":
    main()
