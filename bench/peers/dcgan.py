"""PyTorch reference of Retouch's DCGAN and its training step (retouch.nn.gan.DcganGenerator,
DcganDiscriminator, GanTraining), unconditional or class-conditional (projection discriminator).

Used by bench/synth-bench.sh (training images/s, `--steps N`) and bench/synth-quality.sh
(`--minutes M --samples-out DIR`: train for M wall minutes, then write EMA samples as PNGs).

Generator (28x28: 7x7 grid, two stages; g-width w): linear (z[, onehot]) -> 4w*7*7, reshape,
BatchNorm, ReLU, [nearest x2, conv3x3, BatchNorm, ReLU] with 2w then w channels, conv3x3 -> 1, tanh.
Discriminator (d-width v), spectral norm on every layer (torch.nn.utils.spectral_norm, one power
iteration per training forward, as Retouch's SpectralNormLayer): [conv3x3/1, LReLU 0.2,
conv4x4/2 pad 1, LReLU 0.2] with (v, 2v) then (2v, 4v) channels, flatten, linear -> 1 score;
conditional adds <embed(y), h> with a spectrally normalised classes x features embedding.
Retouch computes convolutions with fewer than 16 filters with 16 and keeps the first ones (the
generator's 1-channel output layer; see retouch.nn.blocks.Layers); --thin java (default) does the
same here, --thin plain uses one filter.

One step (GanTraining.step, nDis = 1): D update on a real batch and a fake batch generated without
gradient (separate D forwards), hinge loss; then G update through D (D's gradients are filled and
thrown away, as in Retouch); then EMA of all generator weights and BatchNorm statistics with
decay min(0.999, (1+t)/(10+t)). Adam betas (0, 0.9), lr_g 1e-4, lr_d 4e-4 (TTUR).
"""
import time

_T_START = time.perf_counter()  # --minutes counts from here, as `timeout` counts a JVM's start-up and data loading

import argparse
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm

from peer_layers import conv, load_fashion_mnist, upsample


class Generator(nn.Module):
    def __init__(self, channels=1, size=28, latent=64, width=16, classes=0, thin="java", up="interpolate"):
        super().__init__()
        self.grid = 7 if size == 28 else 4
        stages = int(math.log2(size // self.grid))
        self.top = min(512, width << stages)
        self.classes = classes
        self.head = nn.Linear(latent + classes, self.top * self.grid * self.grid)
        body, cin = [nn.BatchNorm2d(self.top), nn.ReLU()], self.top
        for s in range(stages - 1, -1, -1):
            w = min(512, width << s)
            body += [upsample(up), conv(cin, w, 1, thin), nn.BatchNorm2d(w), nn.ReLU()]
            cin = w
        body += [conv(cin, channels, 1, thin), nn.Tanh()]
        self.body = nn.Sequential(*body)

    def forward(self, z, onehot=None):
        if self.classes:
            z = torch.cat([z, onehot], 1)
        return self.body(self.head(z).view(z.shape[0], self.top, self.grid, self.grid))


class Discriminator(nn.Module):
    def __init__(self, channels=1, size=28, width=16, classes=0):
        super().__init__()
        stages = 2 if size == 28 else int(math.log2(size // 4))
        f, cin, w = [], channels, width
        for s in range(stages):
            f += [spectral_norm(nn.Conv2d(cin, w, 3, 1, 1)), nn.LeakyReLU(0.2)]
            cin, w = w, min(512, width << (s + 1))
            f += [spectral_norm(nn.Conv2d(cin, w, 4, 2, 1)), nn.LeakyReLU(0.2)]
            cin = w
        self.features = nn.Sequential(*f, nn.Flatten())
        side = size >> stages
        feats = cin * side * side
        self.score = spectral_norm(nn.Linear(feats, 1))
        self.classes = classes
        # Projection (Miyato & Koyama 2018): a classes x features matrix, spectrally normalised.
        self.embed = spectral_norm(nn.Embedding(classes, feats)) if classes else None

    def forward(self, x, y=None):
        h = self.features(x)
        out = self.score(h)
        if self.classes:
            out = out + (self.embed(y) * h).sum(1, keepdim=True)
        return out


def write_png(path, img):
    """8-bit gray PNG with the standard library only (zlib + struct)."""
    import struct
    import zlib
    h, w = img.shape
    raw = b"".join(b"\x00" + img[r].tobytes() for r in range(h))

    def chunk(tag, data):
        c = tag + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--conditional", action="store_true")
    p.add_argument("--latent", type=int, default=64)
    p.add_argument("--g-width", type=int, default=16)
    p.add_argument("--d-width", type=int, default=16)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr-g", type=float, default=1e-4)
    p.add_argument("--lr-d", type=float, default=4e-4)
    p.add_argument("--betas", default="0,0.9")
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--steps", type=int, default=30, help="timed steps (ignored with --minutes)")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--minutes", type=float, default=0,
                   help="train until this many wall minutes after the process started, instead of --steps")
    p.add_argument("--samples-out", help="after training, write --samples EMA samples here as PNGs")
    p.add_argument("--samples", type=int, default=10000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default="fashion-mnist", help="fashion-mnist or random")
    p.add_argument("--size", type=int, default=28, help="image side: 28, or a power of two with --data random")
    p.add_argument("--channels", type=int, default=1, help="1 or 3 (3 with --data random)")
    p.add_argument("--thin", default="java", choices=["java", "plain"])
    p.add_argument("--upsample", default="interpolate", choices=["interpolate", "expand"],
                   help="nearest x2 as PyTorch users write it, or as Retouch computes it (reshape/expand/reshape)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    if a.size not in (28, 32, 64) or a.channels not in (1, 3):
        p.error("--size must be 28, 32 or 64 and --channels 1 or 3 (Retouch's DCGAN)")
    if (a.size, a.channels) != (28, 1) and a.data != "random":
        p.error("--size/--channels other than 28/1 need --data random")
    if a.samples_out and (a.size, a.channels) != (28, 1):
        p.error("--samples-out writes 28x28 gray PNGs only")
    if a.data == "random":
        pool, labels = torch.rand(10000, a.channels, a.size, a.size) * 2 - 1, torch.randint(0, 10, (10000,))
    else:
        pool, labels = load_fashion_mnist(127.5, 1)
    classes = 10 if a.conditional else 0
    shape = dict(channels=a.channels, size=a.size)
    g = Generator(**shape, latent=a.latent, width=a.g_width, classes=classes, thin=a.thin, up=a.upsample)
    d = Discriminator(**shape, width=a.d_width, classes=classes)
    ema = Generator(**shape, latent=a.latent, width=a.g_width, classes=classes, thin=a.thin, up=a.upsample)
    ema.load_state_dict(g.state_dict())
    ema.eval()
    for t in ema.parameters():
        t.requires_grad_(False)
    betas = tuple(float(b) for b in a.betas.split(","))
    opt_g = torch.optim.Adam(g.parameters(), lr=a.lr_g, betas=betas)
    opt_d = torch.optim.Adam(d.parameters(), lr=a.lr_d, betas=betas)
    # EMA over parameters and BatchNorm running statistics (not the batch counter), as Retouch.
    src = [t for t in list(g.parameters()) + list(g.buffers()) if t.is_floating_point()]
    dst = [t for t in list(ema.parameters()) + list(ema.buffers()) if t.is_floating_point()]
    oh = (lambda y: F.one_hot(y, 10).float()) if classes else (lambda y: None)
    yarg = (lambda y: y) if classes else (lambda y: None)
    g.train()
    d.train()
    deadline = _T_START + a.minutes * 60 if a.minutes > 0 else None
    step, t0 = 0, None
    while True:
        if deadline is None and step == a.warmup + a.steps:
            break
        if deadline is not None and step > 0 and time.perf_counter() >= deadline:
            break
        if step == (0 if deadline else a.warmup):
            t0, cpu0 = time.perf_counter(), time.process_time()
        step += 1
        # D step: real batch (with replacement) and a fake batch made without gradient.
        idx = torch.randint(0, len(pool), (a.batch,))
        real, y_real = pool[idx], labels[idx]
        y_fake = torch.randint(0, 10, (a.batch,))
        with torch.no_grad():
            fake = g(torch.randn(a.batch, a.latent), oh(y_fake))
        s_real = d(real, yarg(y_real))
        s_fake = d(fake, yarg(y_fake))
        loss_d = F.relu(1 - s_real).mean() + F.relu(1 + s_fake).mean()
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_d.item(), s_real.mean().item(), s_fake.mean().item()  # GanTraining logs these
        # G step through D (D's gradients are computed and cleared by opt_d.zero_grad next step).
        y_g = torch.randint(0, 10, (a.batch,))
        loss_g = -d(g(torch.randn(a.batch, a.latent), oh(y_g)), yarg(y_g)).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        loss_g.item()
        beta = min(a.ema, (1 + step) / (10 + step))
        with torch.no_grad():
            for e, s in zip(dst, src):
                e.mul_(beta).add_(s, alpha=1 - beta)
    train_s, cpu_s = time.perf_counter() - t0, time.process_time() - cpu0
    timed = step - (0 if deadline else a.warmup)
    r = {"engine": "pytorch " + torch.__version__, "arch": "cdcgan" if classes else "dcgan", "latent": a.latent,
         "g_width": a.g_width, "d_width": a.d_width, "batch": a.batch, "size": a.size, "channels": a.channels, "steps": timed, "data": a.data,
         "upsample": a.upsample,
         "threads": torch.get_num_threads(), "images_per_s": a.batch * timed / train_s,
         "images_per_cpu_s": a.batch * timed / cpu_s, "step_ms": train_s * 1000 / timed,
         "g_params": sum(t.numel() for t in g.parameters()), "d_params": sum(t.numel() for t in d.parameters()),
         "loss_d": loss_d.item(), "loss_g": loss_g.item(), "wall_s": time.perf_counter() - _T_START}
    if a.samples_out:
        os.makedirs(a.samples_out, exist_ok=True)
        gen = torch.Generator().manual_seed(4321)
        with torch.no_grad():
            for start in range(0, a.samples, 500):
                n = min(500, a.samples - start)
                y = torch.arange(start, start + n) % 10
                x = ema(torch.randn(n, a.latent, generator=gen), oh(y))
                px = ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).numpy()
                for k in range(n):
                    write_png(os.path.join(a.samples_out, "%05d.png" % (start + k)), px[k, 0])
        r["samples_out"] = a.samples_out
        r["samples"] = a.samples
    print(json.dumps(r))


if __name__ == "__main__":
    main()
