#!/usr/bin/env bash
# Retouch vs PyTorch on the same restoration network, same data shapes, same threads, same
# allocator, in one run: training patches/s and median 512x512 inference time.
# Usage: bench/restore-bench.sh [ffdnet|dncnn] [extra args for both, e.g. --depth 17 --patch 40]
# Needs Debian's python3-torch for the reference (apt-get install python3-torch).
set -euo pipefail
cd "$(dirname "$0")/.."
arch="${1:-ffdnet}"; shift || true
. bench/peer-env.sh
./retouch --version >/dev/null   # build once, outside the timing

run_py() { /usr/bin/python3 bench/peers/restore_nets.py --arch "$arch" --threads "$threads" "$@"; }
run_rt() { RETOUCH_SKIP_BUILD=1 ./retouch bench --arch "$arch" "$@"; }

# Alternate the two twice so that drift of the machine hits both alike; keep the better of each.
py1=$(run_py "$@"); rt1=$(run_rt "$@"); py2=$(run_py "$@"); rt2=$(run_rt "$@")
python3 - "$py1" "$py2" "$rt1" "$rt2" <<'PY'
import json, sys
py = [json.loads(s) for s in sys.argv[1:3]]
rt = [json.loads(s) for s in sys.argv[3:5]]
best = lambda rs, k, f: f(r[k] for r in rs)
pt_train, rt_train = best(py, "train_patches_per_s", max), best(rt, "train_patches_per_s", max)
pt_inf, rt_inf = best(py, "infer_ms_median", min), best(rt, "infer_ms_median", min)
print(f"network: {rt[0]['arch']} depth {rt[0]['depth']} width {rt[0]['width']}, batch {rt[0]['batch']} x {rt[0]['patch']}px, threads {rt[0]['threads']}")
print(f"{'':28s}{'PyTorch':>12s}{'Retouch':>12s}{'ratio':>10s}")
print(f"{'training patches/s':28s}{pt_train:12.1f}{rt_train:12.1f}{rt_train/pt_train:10.3f}  (Retouch/PyTorch, higher is better)")
print(f"{'inference 512x512 ms':28s}{pt_inf:12.1f}{rt_inf:12.1f}{rt_inf/pt_inf:10.3f}  (Retouch/PyTorch time, lower is better)")
print(f"engines: {py[0]['engine']} | {rt[0]['engine']}")
PY
