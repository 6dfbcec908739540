"""What the PyTorch references of Retouch's synthesis networks (dcgan.py, vae.py) share: layers
written as Retouch computes them, and the Fashion-MNIST training set."""
import gzip
import os

import numpy as np
import torch
import torch.nn as nn

MIN_FILTERS = 16  # retouch.nn.blocks.Layers.MIN_BACKWARD_SAFE_FILTERS


class Keep(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def forward(self, x):
        return x[:, :self.n]


def conv(cin, cout, stride, thin):
    """3x3 conv, padding 1; a thin output layer computed with 16 filters and sliced, as in Retouch."""
    if thin == "java" and cout < MIN_FILTERS:
        return nn.Sequential(nn.Conv2d(cin, MIN_FILTERS, 3, stride, 1), Keep(cout))
    return nn.Conv2d(cin, cout, 3, stride, 1)


class UpsampleExpand(nn.Module):
    """Nearest x2 as Retouch writes it (Layers.upsampleNearest: reshape, broadcast, reshape); --upsample expand."""

    def forward(self, x):
        n, c, h, w = x.shape
        return x.reshape(n, c, h, 1, w, 1).expand(n, c, h, 2, w, 2).reshape(n, c, 2 * h, 2 * w)


def upsample(kind):
    return UpsampleExpand() if kind == "expand" else nn.Upsample(scale_factor=2, mode="nearest")


def load_fashion_mnist(scale, offset, root="/usr/share/datasets/fashion-mnist"):
    """The training images as N x 1 x 28 x 28 floats (byte value / scale - offset) and their labels."""
    with gzip.open(os.path.join(root, "train-images-idx3-ubyte.gz")) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(os.path.join(root, "train-labels-idx1-ubyte.gz")) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    return torch.from_numpy(x.astype(np.float32) / scale - offset), torch.from_numpy(y.astype(np.int64))
