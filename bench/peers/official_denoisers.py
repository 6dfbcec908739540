"""The authors' published denoisers (DnCNN-S sigma 25, FFDNet gray and colour), in PyTorch, on 8-bit noisy PNGs.

Runs the OFFICIAL weights, unchanged, next to Retouch (bench/denoise-peers.sh): DnCNN-S for
sigma 25 from cszn/DnCNN (PyTorch), FFDNet gray and FFDNet gray for clipped inputs from cszn/FFDNet
(MatConvNet .mat files, MATLAB v7.3 = HDF5, read with h5py). Nothing is retrained or converted on
disk: the .mat layers are rebuilt in PyTorch here, following the official test code
(utilities/vl_simplenn.m, vl_nnSubP.m, vl_ffdnet_matlab.m; layer list as stored in the .mat):

    SubP 1/2 (2x2 space-to-depth, MatConvNet's channel order) -> concat noise map sigma/255
    -> conv 3x3 5->64 + ReLU -> 13 x (conv 3x3 64->64 + ReLU) -> conv 3x3 64->4 -> SubP 2
    (15 convs, zero padding 1, batch norm already merged into the biases; no residual: the
    network outputs the clean image). FFDNet colour (FFDNet_Clip_color.mat): the same with 3
    colours, SubP grouping each colour's four sub-images (vl_nnSubP), one noise map
    (one channel of sigma/255, as for gray), 96 filters and 12 convs. Odd sides are padded by repeating the last row/column,
    then cropped, as the demos do.

    DnCNN-S: conv+ReLU, 15 x (conv + BN(eps 1e-4) + ReLU), conv; output = input - network(input).

Weights cache
-------------
Files are read from $RETOUCH_PEERS_CACHE (default ~/.cache/retouch-peers) and each one is
checked against the sha256 recorded below before use; a missing or different file is an error.
The machine that runs CI cannot reach GitHub, so filling the cache is a manual step, once, on a
machine that can:

    git clone https://github.com/cszn/DnCNN  /tmp/DnCNN      # checked at e93b278 (2021-10-10)
    git clone https://github.com/cszn/FFDNet /tmp/FFDNet     # checked at e787f46 (2021-10-10)
    python3 bench/peers/official_denoisers.py --fetch-from /tmp/DnCNN --fetch-from /tmp/FFDNet

--fetch-from takes a checkout, a bare git directory (the file is read from HEAD), or a flat folder
holding the files under their cache names; it copies only files whose sha256 matches, then copy
the cache folder to the machine that runs the benchmark.

Use
---
    # denoise a folder of 8-bit noisy PNGs, score against the clean PNGs of the same names:
    python3 bench/peers/official_denoisers.py --model ffdnet-clip --sigma 25 \\
        --noisy NOISY_DIR --clean CLEAN_DIR --out OUT_DIR [--threads 2]
    # score any outputs (e.g. Retouch's) with the same PSNR code:
    python3 bench/peers/official_denoisers.py --score OUT_DIR --clean CLEAN_DIR
    # port check against the papers' protocol (float noise, unclipped; and 8-bit inputs):
    python3 bench/peers/official_denoisers.py --check --clean ../shared/data/set12 --sigma 25

Each run prints one JSON object. Time per image covers reading the PNG, the forward pass and
writing the 8-bit PNG, after one untimed warm-up pass on the first image; process start and weight
loading are not counted. PSNR (peak 255) is computed on the 8-bit output (clipped, rounded half up
as MATLAB's im2uint8), per image, then averaged.
"""
import argparse
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
import types
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

CACHE = os.path.expanduser(os.environ.get("RETOUCH_PEERS_CACHE", "~/.cache/retouch-peers"))

# cache name -> (GitHub repository, path in it, sha256 of the file as published)
WEIGHTS = {
    "dncnn_sigma25_model.pth": (
        "cszn/DnCNN", "TrainingCodes/dncnn_pytorch/models/DnCNN_sigma25/model.pth",
        "1cbd0af9c6f83b2f2a8254fb21ad0c09e4771e042805544d7e886f71eb4a8b8c"),
    "FFDNet_Clip_gray.mat": (
        "cszn/FFDNet", "models/FFDNet_Clip_gray.mat",
        "c51ca4b7920313015caa5a773339701bc3d0c900b41a5aed7847efd1243400f3"),
    "FFDNet_Clip_color.mat": (
        "cszn/FFDNet", "models/FFDNet_Clip_color.mat",
        "7966f04fbe529d45181a3a19b51fff7f1939a9fefce8a0b44dc878b3cd6bf6a2"),
    "FFDNet_gray.mat": (
        "cszn/FFDNet", "models/FFDNet_gray.mat",
        "14c231e87a444a9bd85b0b5e174e73b4f6ac50bf4050e75a0d3f4d69f77a2093"),
}
MODELS = {"dncnn-s25": "dncnn_sigma25_model.pth", "ffdnet-clip": "FFDNet_Clip_gray.mat",
          "ffdnet": "FFDNet_gray.mat", "ffdnet-clip-color": "FFDNet_Clip_color.mat"}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def weight_file(name):
    path = os.path.join(CACHE, name)
    repo, repo_path, want = WEIGHTS[name]
    if not os.path.isfile(path):
        sys.exit(f"official_denoisers: {path} missing: fill the cache with --fetch-from "
                 f"(a checkout of github.com/{repo}, file {repo_path}); see this script's header")
    got = sha256(path)
    if got != want:
        sys.exit(f"official_denoisers: {path}: sha256 {got}, expected {want} ({repo}/{repo_path})")
    return path


def fetch_from(sources):
    """Copy the weights from local checkouts / bare git dirs / flat folders into the cache."""
    os.makedirs(CACHE, exist_ok=True)
    done = {}
    for name, (repo, repo_path, want) in WEIGHTS.items():
        target = os.path.join(CACHE, name)
        if os.path.isfile(target) and sha256(target) == want:
            done[name] = "already in cache"
            continue
        for src in sources:
            tmp = tempfile.NamedTemporaryFile(dir=CACHE, delete=False)
            tmp.close()
            ok = False
            for cand in (os.path.join(src, repo_path), os.path.join(src, repo.split("/")[1], repo_path),
                         os.path.join(src, name)):
                if os.path.isfile(cand):
                    shutil.copyfile(cand, tmp.name)
                    ok = sha256(tmp.name) == want
                    if ok:
                        break
            if not ok and os.path.isfile(os.path.join(src, "HEAD")):  # a bare git directory
                with open(tmp.name, "wb") as out:
                    r = subprocess.run(["git", "--git-dir", src, "show", f"HEAD:{repo_path}"],
                                       stdout=out, stderr=subprocess.DEVNULL)
                ok = r.returncode == 0 and sha256(tmp.name) == want
            if ok:
                os.chmod(tmp.name, 0o644)
                os.replace(tmp.name, target)
                done[name] = f"copied from {src}"
                break
            os.unlink(tmp.name)
        else:
            done[name] = f"NOT FOUND with sha256 {want} ({repo}/{repo_path})"
    print(json.dumps({"cache": CACHE, "files": done}, indent=1))
    return all(not v.startswith("NOT") for v in done.values())


# ---------------------------------------------------------------------------------------- DnCNN

class DnCNN(nn.Module):
    """cszn/DnCNN TrainingCodes/dncnn_pytorch: same module indices, so the state dict loads strictly."""

    def __init__(self, depth=17, width=64, channels=1):
        super().__init__()
        layers = [nn.Conv2d(channels, width, 3, padding=1, bias=True), nn.ReLU(inplace=True)]
        for _ in range(depth - 2):
            layers += [nn.Conv2d(width, width, 3, padding=1, bias=False),
                       nn.BatchNorm2d(width, eps=0.0001, momentum=0.95), nn.ReLU(inplace=True)]
        layers.append(nn.Conv2d(width, channels, 3, padding=1, bias=False))
        self.dncnn = nn.Sequential(*layers)

    def forward(self, x, sigma=None):
        return x - self.dncnn(x)


class _PickledDnCNN(nn.Module):
    """Stands in for the class that model.pth was pickled with (__main__.DnCNN of main_train.py)."""


class _Unpickler(pickle.Unpickler):
    # model.pth is a whole pickled module: allow torch's own classes and the one training class only.
    def find_class(self, module, name):
        if module == "__main__" and name == "DnCNN":
            return _PickledDnCNN
        if module == "torch" or module.startswith("torch.") or (module, name) == ("collections", "OrderedDict"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"model.pth: unexpected class {module}.{name}")


def load_dncnn(path):
    safe_pickle = types.SimpleNamespace(Unpickler=_Unpickler, load=pickle.load, __name__="pickle")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SourceChangeWarning: the classes' source differs from 2018's
        whole = torch.load(path, map_location="cpu", pickle_module=safe_pickle)
    net = DnCNN()
    net.load_state_dict(whole.state_dict(), strict=True)
    return net.eval()


# --------------------------------------------------------------------------------------- FFDNet

# vl_nnSubP: sub-image i (1-based) takes rows a = mod(i-1,2), columns b = floor((i-1)/2), i.e. the
# row offset varies fastest: (0,0), (1,0), (0,1), (1,1). F.pixel_unshuffle's channel k takes
# (k // 2, k % 2): (0,0), (0,1), (1,0), (1,1). So MatConvNet channel i = PyTorch channel PERM[i].
SUBP_PERM = [0, 2, 1, 3]


class FFDNet(nn.Module):
    def __init__(self, convs):
        super().__init__()
        layers = []
        for i, (w, b) in enumerate(convs):
            conv = nn.Conv2d(w.shape[1], w.shape[0], 3, padding=1, bias=True)
            conv.weight.data.copy_(torch.from_numpy(w))
            conv.bias.data.copy_(torch.from_numpy(b))
            layers.append(conv)
            if i < len(convs) - 1:
                layers.append(nn.ReLU(inplace=True))
        self.body = nn.Sequential(*layers)

    def forward(self, x, sigma):
        h, w = x.shape[-2:]
        if h % 2:
            x = torch.cat([x, x[..., -1:, :]], dim=-2)
        if w % 2:
            x = torch.cat([x, x[..., :, -1:]], dim=-1)
        colours = x.shape[1]
        perm = [c * 4 + k for c in range(colours) for k in SUBP_PERM]  # vl_nnSubP groups each colour's four
        down = F.pixel_unshuffle(x, 2)[:, perm]
        maps = self.body[0].in_channels - down.shape[1]  # one noise map (gray and colour models alike)
        level = torch.full_like(down[:, :maps], sigma / 255.0)
        out = self.body(torch.cat([down, level], dim=1))
        return F.pixel_shuffle(out[:, perm], 2)[..., :h, :w]


def load_ffdnet(path):
    import h5py  # Debian: python3-h5py
    convs, kinds = [], []
    with h5py.File(path, "r") as f:
        layers = f["net"]["layers"]
        for ref in np.array(layers).flatten():
            layer = f[ref]
            kind = "".join(map(chr, np.array(layer["type"]).flatten()))
            if kind == "SubP":
                kind += f"({float(np.array(layer['scale']).flatten()[0]):g})"
            if kind == "conv":
                for key in ("pad", "stride", "dilate"):  # 3x3 convs, zero padding 1 on every side
                    if not np.all(np.array(layer[key]) == 1):
                        raise ValueError(f"{path}: conv {key} {np.array(layer[key]).flatten()}, expected 1")
                w_ref, b_ref = np.array(layer["weights"]).flatten()
                # MATLAB W(kh, kw, cin, cout), column-major; HDF5 holds it as [cout][cin][kw][kh].
                w = np.ascontiguousarray(np.array(f[w_ref], dtype=np.float32).transpose(0, 1, 3, 2))
                b = np.array(f[b_ref], dtype=np.float32).reshape(-1)
                convs.append((w, b))
            kinds.append(kind)
    want = ["SubP(0.5)", "concat"] + ["conv", "relu"] * (len(convs) - 1) + ["conv", "SubP(2)"]
    if kinds != want:
        raise ValueError(f"{path}: unexpected layer list {kinds}")
    gray = convs[0][0].shape[1] == 5 and convs[-1][0].shape[0] == 4
    colour = convs[0][0].shape[1] == 13 and convs[-1][0].shape[0] == 12
    assert gray or colour, f"{path}: first conv reads {convs[0][0].shape[1]} channels, last writes {convs[-1][0].shape[0]}"
    return FFDNet(convs).eval()


# ------------------------------------------------------------------------------------- helpers

def load_model(name):
    path = weight_file(MODELS[name])
    return load_dncnn(path) if name.startswith("dncnn") else load_ffdnet(path)


def read_gray(path):
    """An 8-bit gray PNG as HxW, or an 8-bit RGB one as HxWx3."""
    im = Image.open(path)
    if im.mode not in ("L", "RGB"):
        raise ValueError(f"{path}: mode {im.mode}, expected 8-bit gray or RGB")
    return np.asarray(im, dtype=np.uint8)


def to_uint8(x):
    """MATLAB's im2uint8 on [0,1] floats: clip, x*255 rounded half up."""
    return np.floor(np.clip(x, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def psnr(clean, out):
    mse = np.mean((clean.astype(np.float64) - out.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else float(10 * np.log10(255.0 ** 2 / mse))


def pngs(folder):
    return sorted(f for f in os.listdir(folder) if f.lower().endswith(".png"))


@torch.inference_mode()
def denoise(net, y, sigma):
    """y: float32 HxW (gray) or HxWx3 (colour) in [0,1] scale (may exceed it). Returns the same shape, unclipped."""
    t = torch.from_numpy(np.ascontiguousarray(y, dtype=np.float32))
    t = t[None, None] if t.dim() == 2 else t.permute(2, 0, 1)[None]
    out = net(t, sigma)[0]
    return out[0].numpy() if y.ndim == 2 else out.permute(1, 2, 0).numpy()


def run(args):
    net = load_model(args.model)
    names = pngs(args.noisy)
    os.makedirs(args.out, exist_ok=True)
    denoise(net, read_gray(os.path.join(args.noisy, names[0])) / np.float32(255), args.sigma)  # warm-up
    rows = []
    for name in names:
        t0 = time.perf_counter()
        y = read_gray(os.path.join(args.noisy, name)).astype(np.float32) / 255
        t1 = time.perf_counter()
        x = denoise(net, y, args.sigma)
        t2 = time.perf_counter()
        out = to_uint8(x)
        Image.fromarray(out).save(os.path.join(args.out, name))
        t3 = time.perf_counter()
        row = {"image": name, "s": round(t3 - t0, 4), "forward_s": round(t2 - t1, 4)}
        if args.clean:
            row["psnr"] = round(psnr(read_gray(os.path.join(args.clean, name)), out), 3)
        rows.append(row)
    res = {"model": args.model, "weights": MODELS[args.model], "sha256": WEIGHTS[MODELS[args.model]][2],
           "sigma": args.sigma, "threads": torch.get_num_threads(), "torch": torch.__version__,
           "images": len(rows), "s_per_image": round(float(np.mean([r["s"] for r in rows])), 4),
           "forward_s_per_image": round(float(np.mean([r["forward_s"] for r in rows])), 4)}
    if args.clean:
        res["mean_psnr"] = round(float(np.mean([r["psnr"] for r in rows])), 3)
    res["per_image"] = rows
    print(json.dumps(res))


def score(args):
    rows = [{"image": n, "psnr": round(psnr(read_gray(os.path.join(args.clean, n)),
                                            read_gray(os.path.join(args.score, n))), 3)}
            for n in pngs(args.score)]
    print(json.dumps({"folder": args.score, "images": len(rows),
                      "mean_psnr": round(float(np.mean([r["psnr"] for r in rows])), 3), "per_image": rows}))


def check(args):
    """The papers' protocol on a clean folder: noise N(0, sigma/255) from np.random.seed(seed) per
    image, as DnCNN's main_test.py; 'float': unclipped float input, 'uint8': the same noisy image
    clipped and rounded to 8 bits. PSNR of the 8-bit output, mean over the folder."""
    nets = {m: load_model(m) for m in ("dncnn-s25", "ffdnet", "ffdnet-clip")}
    sums = {}
    names = pngs(args.clean)
    for name in names:
        clean = read_gray(os.path.join(args.clean, name))
        np.random.seed(args.seed)
        y = (clean / np.float32(255) + np.random.normal(0, args.sigma / 255.0, clean.shape)).astype(np.float32)
        y8 = to_uint8(y).astype(np.float32) / 255
        for cond, inp in (("float", y), ("uint8", y8)):
            sums.setdefault(("noisy", cond), []).append(psnr(clean, to_uint8(inp)))
            for m, net in nets.items():
                sums.setdefault((m, cond), []).append(psnr(clean, to_uint8(denoise(net, inp, args.sigma))))
    print(json.dumps({"set": os.path.abspath(args.clean), "images": len(names), "sigma": args.sigma,
                      "seed": args.seed, "mean_psnr": {f"{m} {c}": round(float(np.mean(v)), 3)
                                                       for (m, c), v in sums.items()}}))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--fetch-from", action="append", metavar="DIR",
                   help="fill the cache from a checkout / bare git dir / flat folder (repeatable)")
    p.add_argument("--model", choices=sorted(MODELS))
    p.add_argument("--noisy", help="folder of 8-bit gray noisy PNGs")
    p.add_argument("--clean", help="folder of the clean PNGs (same names)")
    p.add_argument("--out", help="where the denoised PNGs go")
    p.add_argument("--score", metavar="DIR", help="only score the PNGs of DIR against --clean")
    p.add_argument("--check", action="store_true", help="port check on --clean with generated noise")
    p.add_argument("--sigma", type=float, default=25.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=int(os.environ.get("RETOUCH_THREADS", "2")))
    args = p.parse_args()
    if args.fetch_from:
        sys.exit(0 if fetch_from(args.fetch_from) else 1)
    torch.set_num_threads(args.threads)
    if args.score:
        if not args.clean:
            p.error("--score needs --clean")
        score(args)
    elif args.check:
        if not args.clean:
            p.error("--check needs --clean")
        check(args)
    else:
        if not (args.model and args.noisy and args.out):
            p.error("--model, --noisy and --out are needed (or --score, --check, --fetch-from)")
        run(args)


if __name__ == "__main__":
    main()
