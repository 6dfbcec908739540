"""PyTorch reference of Retouch's convolutional VAE and its training step (retouch.nn.vae.Vae, VaeTraining).

Used by bench/synth-bench.sh to time training images/s of the same network in PyTorch and in
Retouch (`retouch bench --arch vae`), in one run, same threads, same allocator, same batch.

Network (28x28 input: a 7x7 grid, two stages; `width` w, latent L):
  encoder  conv3x3/2 (1->w) LeakyReLU 0.2, conv3x3/2 (w->2w) LeakyReLU 0.2, flatten,
           linear -> 2L = (mu, logvar), logvar clipped to [-12, 8]
  decoder  linear L -> 2w*7*7, reshape, ReLU,
           [nearest x2, conv3x3 (-> w), ReLU] x 2, conv3x3 -> 1 logit per pixel
Retouch computes every convolution with fewer than 16 filters with 16 and keeps the first ones
(libtorch 2.7.1's CPU convolution returns a wrong input gradient for very thin layers, see
retouch.nn.blocks.Layers); --thin java (default) does the same here so both engines do the same
arithmetic, --thin plain uses a 1-filter output layer.

Training step (as VaeTraining.step): a batch of random training images (with replacement),
dynamically binarised (x ~ Bernoulli(gray)), one reparameterised z per image, loss = mean over the
batch of [sum over pixels of Bernoulli NLL with logits + KL(q(z|x) || N(0, I))], Adam with a
cosine learning-rate schedule (1e-3 -> 1e-5). Prints one JSON line.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from peer_layers import conv, load_fashion_mnist, upsample


class Vae(nn.Module):
    def __init__(self, channels=1, size=28, latent=32, width=32, classes=0, thin="java", up="interpolate"):
        super().__init__()
        self.grid = 7 if size == 28 else 4
        stages = int(math.log2(size // self.grid))
        self.classes = classes
        enc, w, cin = [], width, channels
        for s in range(stages):
            enc += [conv(cin, w, 2, thin), nn.LeakyReLU(0.2)]
            cin = w
            if s < stages - 1:
                w = min(w * 2, 512)
        self.top = w
        self.encoder = nn.Sequential(*enc, nn.Flatten())
        self.encoder_head = nn.Linear(w * self.grid * self.grid + classes, 2 * latent)
        self.decoder_head = nn.Linear(latent + classes, w * self.grid * self.grid)
        dec, cin = [], w
        for s in range(stages):
            w = max(w // 2, width)
            out = width if s == stages - 1 else w
            dec += [upsample(up), conv(cin, out, 1, thin), nn.ReLU()]
            cin = out
        dec += [conv(cin, channels, 1, thin)]
        self.decoder = nn.Sequential(*dec)

    def encode(self, x, onehot=None):
        f = self.encoder(x)
        if self.classes:
            f = torch.cat([f, onehot], 1)
        mu, logvar = self.encoder_head(f).chunk(2, 1)
        return mu, logvar.clamp(-12, 8)

    def decode(self, z, onehot=None):
        if self.classes:
            z = torch.cat([z, onehot], 1)
        h = F.relu(self.decoder_head(z).view(z.shape[0], self.top, self.grid, self.grid))
        return self.decoder(h)


def load(data, n_random=10000):
    if data == "random":
        g = torch.Generator().manual_seed(0)
        return torch.rand(n_random, 1, 28, 28, generator=g), torch.randint(0, 10, (n_random,), generator=g)
    return load_fashion_mnist(255, 0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--latent", type=int, default=32)
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--conditional", action="store_true")
    p.add_argument("--no-binarize", action="store_true")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--lr-min", type=float, default=1e-5)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default="fashion-mnist", help="fashion-mnist or random")
    p.add_argument("--thin", default="java", choices=["java", "plain"])
    p.add_argument("--upsample", default="interpolate", choices=["interpolate", "expand"],
                   help="nearest x2 as PyTorch users write it, or as Retouch computes it (reshape/expand/reshape)")
    p.add_argument("--profile", help="write the autograd profiler's chrome trace of the timed steps here")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    pool, labels = load(a.data)
    held = min(500, len(pool) // 5)
    pool, labels = pool[:len(pool) - held].contiguous(), labels[:len(pool) - held]
    classes = 10 if a.conditional else 0
    vae = Vae(latent=a.latent, width=a.width, classes=classes, thin=a.thin, up=a.upsample)
    opt = torch.optim.Adam(vae.parameters(), lr=a.lr)
    total = a.warmup + a.steps
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda t: (a.lr_min + 0.5 * (a.lr - a.lr_min) * (1 + math.cos(math.pi * min(t, total) / total))) / a.lr)
    vae.train()
    for i in range(total):
        if i == a.warmup:
            if a.profile:
                prof = torch.autograd.profiler.profile(record_shapes=True)
                prof.__enter__()
            t0, cpu0 = time.perf_counter(), time.process_time()
        idx = torch.randint(0, len(pool), (a.batch,))
        x = pool[idx]
        if not a.no_binarize:
            x = (torch.rand_like(x) < x).float()
        oh = F.one_hot(labels[idx], 10).float() if classes else None
        mu, logvar = vae.encode(x, oh)
        z = mu + (0.5 * logvar).exp() * torch.randn_like(mu)
        logits = vae.decode(z, oh)
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1).mean()
        kl = (-0.5 * (1 + logvar - mu.square() - logvar.exp()).sum(1)).mean()
        loss = rec + kl
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        rec.item(), kl.item()  # VaeTraining reads both for its log
    train_s, cpu_s = time.perf_counter() - t0, time.process_time() - cpu0
    if a.profile:
        prof.__exit__(None, None, None)
        prof.export_chrome_trace(a.profile)
    print(json.dumps({"engine": "pytorch " + torch.__version__, "arch": "vae" if not classes else "cvae",
                      "latent": a.latent, "width": a.width, "batch": a.batch, "size": 28, "steps": a.steps,
                      "data": a.data, "binarized": not a.no_binarize, "upsample": a.upsample,
                      "threads": torch.get_num_threads(),
                      "images_per_s": a.batch * a.steps / train_s, "images_per_cpu_s": a.batch * a.steps / cpu_s,
                      "step_ms": train_s * 1000 / a.steps,
                      "params": sum(t.numel() for t in vae.parameters()), "loss": loss.item()}))


if __name__ == "__main__":
    main()
