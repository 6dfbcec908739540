#!/usr/bin/env bash
# Retouch vs PyTorch on the same synthesis network and training step: same batch,
# same data (28x28 Fashion-MNIST, or noise of another shape), same threads, same allocator, in one run: training images/s.
# Usage: bench/synth-bench.sh [vae|cvae|dcgan|cdcgan] [extra args for both, e.g. --steps 30 --data random]
#   vae    latent 32, width 32, batch 128, Bernoulli likelihood, dynamically binarised, Adam (cosine lr)
#   dcgan  latent 64, g-width 16, d-width 16, batch 64, hinge, SN discriminator, Adam (0, 0.9), EMA
#   cdcgan the same, class-conditional (projection discriminator)
#   64x64 RGB (the gan-faces networks): bench/synth-bench.sh dcgan --data random --size 64 --channels 3 --steps 10
# The PyTorch references are bench/peers/vae.py and bench/peers/dcgan.py; they need Debian's
# python3-torch (apt-get install python3-torch). RETOUCH_CMD overrides the launcher (./retouch);
# ROUNDS (default 2) sets how many times the two alternate; RETOUCH_THREADS (default 2) the threads.
# On a machine shared with other jobs, 2 threads measure mostly how each OpenMP runtime copes with
# being descheduled (results swing 2-3x between runs); RETOUCH_THREADS=1 gives stable figures.
set -euo pipefail
cd "$(dirname "$0")/.."
arch="${1:-vae}"; shift || true
. bench/peer-env.sh
rt_cmd="${RETOUCH_CMD:-./retouch}"
case "$arch" in
  vae) peer=(bench/peers/vae.py) ;;
  cvae) peer=(bench/peers/vae.py --conditional) ;;
  dcgan) peer=(bench/peers/dcgan.py) ;;
  cdcgan) peer=(bench/peers/dcgan.py --conditional) ;;
  *) echo "usage: $0 [vae|cvae|dcgan|cdcgan] [args]" >&2; exit 2 ;;
esac
"$rt_cmd" --version >/dev/null   # build once, outside the timing

run_py() { /usr/bin/python3 "${peer[@]}" --threads "$threads" "$@"; }
run_rt() { RETOUCH_SKIP_BUILD=1 "$rt_cmd" bench --arch "$arch" "$@" 2>/dev/null; }

load0=$(cut -d' ' -f1-3 /proc/loadavg)
# Alternate the two (ROUNDS times, default twice) so that drift of the machine hits both alike;
# keep the better of each.
py=(); rt=()
for _ in $(seq "${ROUNDS:-2}"); do py+=("$(run_py "$@")"); rt+=("$(run_rt "$@")"); done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$load0" "$load1" "$(nproc --all)" "${#py[@]}" "${py[@]}" "${rt[@]}" <<'PY'
import json, sys
load0, load1, cores, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
py = [json.loads(s) for s in sys.argv[5:5 + n]]
rt = [json.loads(s) for s in sys.argv[5 + n:5 + 2 * n]]
r = rt[0]
if "g_width" in r:
    net = f"{r['arch']}: latent {r['latent']}, g-width {r['g_width']}, d-width {r['d_width']}, G {r['g_params']:,} / D {r['d_params']:,} weights"
    same = (r["g_params"], r["d_params"]) == (py[0]["g_params"], py[0]["d_params"])
else:
    net = f"{r['arch']}: latent {r['latent']}, width {r['width']}, {r['params']:,} weights, binarised {r['binarized']}"
    same = r["params"] == py[0]["params"]
print(f"network {net}; batch {r['batch']} x {r.get('channels', 1)}x{r['size']}x{r['size']}, {r['steps']} timed steps, data {r['data']}, threads {r['threads']}")
if not same:
    print("WARNING: weight counts differ between the engines: the networks are not the same")
def row(label, key, note):
    pt_best, rt_best = max(p[key] for p in py), max(x[key] for x in rt)
    print(f"{label:30s}{pt_best:10.1f}{rt_best:10.1f}{rt_best / pt_best:8.3f}  {note}")
print(f"{'':30s}{'PyTorch':>10s}{'Retouch':>10s}{'ratio':>8s}")
row("training images/s (best)", "images_per_s", "(Retouch/PyTorch, higher is better)")
row("images per CPU-second (best)", "images_per_cpu_s", "(CPU time of the whole process, all threads)")
pairs = sorted(x["images_per_s"] / p["images_per_s"] for p, x in zip(py, rt))
mid = len(pairs) // 2
median = pairs[mid] if len(pairs) % 2 else (pairs[mid - 1] + pairs[mid]) / 2
print(f"per-round ratios (Retouch/PyTorch, wall): {', '.join('%.3f' % v for v in pairs)}; median {median:.3f}")
runs = lambda rs, k: ", ".join("%.1f" % x[k] for x in rs)
print(f"each run, alternating: PyTorch {runs(py, 'images_per_s')}; Retouch {runs(rt, 'images_per_s')} images/s")
print(f"                       PyTorch {runs(py, 'images_per_cpu_s')}; Retouch {runs(rt, 'images_per_cpu_s')} images/CPU-s")
print(f"engines: {py[0]['engine']} | {r['engine']}")
print(f"load average (1/5/15 min) before {load0}, after {load1}; {cores} cores")
PY
