#!/usr/bin/env python3
"""Check a TorchScript image model in PyTorch: the files `retouch models export-torchscript` writes,
or any model meant for `retouch restore --model x.pt`.

    python3 tools/torchscript_check.py model.pt
        loads the file, prints its code, the Retouch description (extra/retouch.json, if any),
        and the output shape for a 1x1 and a 1x3 64x64 probe input
    python3 tools/torchscript_check.py model.pt --input x.npy --expected y.npy [--tol 1e-4]
        runs the model on x.npy (N x C x H x W float32) and compares with y.npy (e.g. what Retouch
        computed); exit status 1 when the max absolute difference exceeds the tolerance

Needs PyTorch (Debian/Ubuntu: apt-get install python3-torch) and NumPy; run it with the Python that
has them (on Debian /usr/bin/python3).
"""
import argparse
import json
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--input")
    ap.add_argument("--expected")
    ap.add_argument("--tol", type=float, default=1e-4)
    args = ap.parse_args()
    try:
        import numpy as np
        import torch
    except ImportError as e:
        sys.exit(f"{e}: this check needs PyTorch and NumPy (apt-get install python3-torch)")

    extra = {"retouch.json": ""}
    model = torch.jit.load(args.model, map_location="cpu", _extra_files=extra)
    model.eval()
    if args.input is None:
        print(model.code)
        if extra["retouch.json"]:
            print("retouch.json:", json.dumps(json.loads(extra["retouch.json"]), indent=2))
        with torch.no_grad():
            for c in (1, 3):
                try:
                    y = model(torch.rand(1, c, 64, 64))
                    print(f"input 1x{c}x64x64 -> output {tuple(y.shape)}")
                except Exception as e:  # noqa: BLE001 - report any failure of the probe
                    print(f"input 1x{c}x64x64 -> fails: {str(e).strip().splitlines()[-1]}")
        return 0
    if args.expected is None:
        sys.exit("--input needs --expected")
    x = torch.from_numpy(np.load(args.input).astype(np.float32))
    expected = np.load(args.expected).astype(np.float32)
    with torch.no_grad():
        y = model(x).numpy()
    if y.shape != expected.shape:
        print(f"shape {y.shape} != expected {expected.shape}")
        return 1
    diff = float(np.abs(y - expected).max())
    print(f"torch {torch.__version__}: max abs difference {diff:.3g} (tolerance {args.tol:g})")
    return 0 if diff <= args.tol else 1


if __name__ == "__main__":
    sys.exit(main())
