"""PyTorch reference of Retouch's restoration networks (same layers as retouch.nn.restore).

Used by bench/restore-bench to measure training patches/s and 512x512 inference time of the same
architecture in PyTorch and in Retouch, in one run, same threads, same allocator.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def body(in_ch, out_ch, depth, width):
    layers = [nn.Conv2d(in_ch, width, 3, padding=1, bias=True), nn.ReLU(inplace=True)]
    for _ in range(depth - 2):
        layers += [nn.Conv2d(width, width, 3, padding=1, bias=False), nn.BatchNorm2d(width, momentum=0.1, eps=1e-5),
                   nn.ReLU(inplace=True)]
    layers += [nn.Conv2d(width, out_ch, 3, padding=1, bias=False)]
    return nn.Sequential(*layers)


class DnCnn(nn.Module):
    def __init__(self, channels=1, depth=17, width=64):
        super().__init__()
        self.body = body(channels, channels, depth, width)

    def forward(self, x, level=None):
        return x - self.body(x)


class FfdNet(nn.Module):
    def __init__(self, channels=1, depth=15, width=64, residual=True):
        super().__init__()
        self.residual = residual
        self.body = body(4 * channels + 1, 4 * channels, depth, width)

    def forward(self, x, level):
        down = F.pixel_unshuffle(x, 2)
        m = level.view(-1, 1, 1, 1).expand(down.shape[0], 1, down.shape[2], down.shape[3])
        up = F.pixel_shuffle(self.body(torch.cat([down, m], 1)), 2)
        return x + up if self.residual else up


def build(arch, channels, depth, width):
    return DnCnn(channels, depth, width) if arch == "dncnn" else FfdNet(channels, depth, width)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", default="ffdnet")
    p.add_argument("--depth", type=int, default=15)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--channels", type=int, default=1)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--patch", type=int, default=64)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--infer-size", type=int, default=512)
    p.add_argument("--infer-runs", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = build(a.arch, a.channels, a.depth, a.width)
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    x = torch.rand(a.batch, a.channels, a.patch, a.patch)
    level = torch.rand(a.batch) * 55 / 255
    y = x + torch.randn_like(x) * level.view(-1, 1, 1, 1)
    net.train()
    for i in range(a.warmup + a.steps):
        if i == a.warmup:
            t0 = time.perf_counter()
        opt.zero_grad()
        loss = F.mse_loss(net(y, level), x)
        loss.backward()
        opt.step()
    train_s = time.perf_counter() - t0
    net.eval()
    img = torch.rand(1, a.channels, a.infer_size, a.infer_size)
    lv = torch.tensor([25 / 255])
    with torch.no_grad():
        net(img, lv)
        times = []
        for _ in range(a.infer_runs):
            t = time.perf_counter()
            net(img, lv)
            times.append(time.perf_counter() - t)
    print(json.dumps({"engine": "pytorch " + torch.__version__, "arch": a.arch, "depth": a.depth, "width": a.width,
                      "batch": a.batch, "patch": a.patch, "threads": a.threads,
                      "train_patches_per_s": a.batch * a.steps / train_s,
                      "infer_ms_median": sorted(times)[len(times) // 2] * 1000}))


if __name__ == "__main__":
    main()
