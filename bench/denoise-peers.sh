#!/usr/bin/env bash
# Retouch next to the authors' published denoisers, same inputs, one run: FFDNet gray for clipped
# inputs (FFDNet_Clip_gray.mat) and DnCNN-S sigma 25 (PyTorch model.pth), official weights run in
# PyTorch by bench/peers/official_denoisers.py, against `retouch restore --task denoise --sigma 25`
# (default quality, --quality max, --quality fast).
#
# Inputs: the 512x512 photos of Set12 (08-12; 01-07 are 256x256), sigma-25 Gaussian noise made by
# numpy outside Retouch (default_rng(SEED + i), i = index in name order), added on the 0-255 scale,
# rounded and clipped to 8 bits. Every method reads the same noisy PNGs, gets the true sigma, writes
# 8-bit PNGs, and all outputs are scored by the same PSNR code (official_denoisers.py --score).
# Time per image: Retouch end to end through the CLI as (time for all N images - time for 1)/(N-1),
# so JVM start and model load cancel; the peers read + forward + write per image after one untimed
# warm-up pass, process start and weight loading not counted.
# Threads: RETOUCH_THREADS (default 2) for both: libtorch intra-op threads on both sides (bench/peer-env.sh,
# which also preloads tcmalloc when installed), and Java's common pool parallelism (RETOUCH_THREADS - 1
# workers + the caller) for Retouch's BM3D Wiener stage unless RETOUCH_JAVA_OPTS is set.
#
# Needs: python3-torch, python3-h5py, python3-numpy, python3-pil (Debian), the built CLI, and the
# weights in the peers' cache: see the header of bench/peers/official_denoisers.py (--fetch-from).
# Usage: [RETOUCH_THREADS=2] [SEED=0] [QUALITIES="auto max fast"] [MODEL=NAME|PATH] bash bench/denoise-peers.sh
# (MODEL: run that model instead of the task's shipped one)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer-env.sh
SIGMA=25
SEED="${SEED:-0}"
QUALITIES="${QUALITIES:-auto max fast}"
SET12="${SET12:-../shared/data/set12}"
PY=/usr/bin/python3
PEERS=bench/peers/official_denoisers.py
export RETOUCH_JAVA_OPTS="${RETOUCH_JAVA_OPTS:--Xmx2g -Djava.util.concurrent.ForkJoinPool.common.parallelism=$((threads - 1))}"
./retouch --version >/dev/null   # build once if needed, outside the timing
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# 1. The noisy inputs (and the clean references under the same names).
n=$("$PY" - "$SET12" "$WORK" "$SIGMA" "$SEED" <<'PY'
import os, sys
import numpy as np
from PIL import Image
src, work, sigma, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
for d in ("clean", "all", "one"):
    os.makedirs(os.path.join(work, d))
names = [f for f in sorted(os.listdir(src)) if f.endswith(".png") and Image.open(os.path.join(src, f)).size == (512, 512)]
for i, name in enumerate(names):
    x = np.asarray(Image.open(os.path.join(src, name)).convert("L"), dtype=np.float64)
    noise = np.random.default_rng(seed + i).standard_normal(x.shape)
    y = np.clip(np.round(x + sigma * noise), 0, 255).astype(np.uint8)
    Image.fromarray(x.astype(np.uint8)).save(os.path.join(work, "clean", name))
    Image.fromarray(y).save(os.path.join(work, "all", name))
    if i == 0:
        Image.fromarray(y).save(os.path.join(work, "one", name))
print(len(names))
PY
)
[ "$n" -ge 2 ] || { echo "denoise-peers: need at least two 512x512 PNGs in $SET12" >&2; exit 1; }

# 2. The official denoisers.
for m in ffdnet-clip dncnn-s25; do
  "$PY" "$PEERS" --model "$m" --sigma "$SIGMA" --threads "$threads" \
    --noisy "$WORK/all" --clean "$WORK/clean" --out "$WORK/out-$m" > "$WORK/$m.json"
done

# 3. Retouch, through the CLI as a user runs it.
seconds() { # quality, input folder, output folder
  local s e
  s=$(date +%s.%N)
  RETOUCH_SKIP_BUILD=1 ./retouch restore "$WORK/$2" -o "$WORK/$3" --task denoise ${MODEL:+--model "$MODEL"} --sigma "$SIGMA" --quality "$1" \
    >"$WORK/$3.log" 2>&1 || { echo "denoise-peers: retouch restore --quality $1 failed:" >&2; cat "$WORK/$3.log" >&2; return 1; }
  e=$(date +%s.%N)
  "$PY" -c "print($e - $s)"
}
for q in $QUALITIES; do
  t1=$(seconds "$q" one "rt-$q-one")
  tn=$(seconds "$q" all "rt-$q")
  "$PY" "$PEERS" --score "$WORK/rt-$q" --clean "$WORK/clean" \
    | "$PY" -c "import json,sys; d=json.load(sys.stdin); d['s_per_image']=round(($tn - $t1)/($n - 1), 4); d['t_one']=$t1; d['t_all']=$tn; print(json.dumps(d))" \
    > "$WORK/rt-$q.json"
done
"$PY" "$PEERS" --score "$WORK/all" --clean "$WORK/clean" > "$WORK/noisy.json"

# 4. The table.
"$PY" - "$WORK" "$n" "$threads" "$SEED" "${LD_PRELOAD:-none}" "${MODEL:-denoise-gray}" $QUALITIES <<'PY'
import json, os, sys
work, n, threads, seed, alloc, model, qualities = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7:]
load = lambda name: json.load(open(os.path.join(work, name + ".json")))
rows = [("noisy input (8-bit)", load("noisy"), None)]
rows += [("FFDNet gray, clip model (official weights)", load("ffdnet-clip"), None),
         ("DnCNN-S sigma 25 (official PyTorch weights)", load("dncnn-s25"), None)]
rows += [(f"Retouch {model}, --quality {q}" + (" (default)" if q == "auto" else ""), load("rt-" + q), q)
         for q in qualities]
print(f"Set12 512x512 photos: {n} images, sigma 25, 8-bit noisy inputs (numpy seed {seed}), sigma given; "
      f"threads {threads}, LD_PRELOAD {os.path.basename(alloc)}")
print(f"{'method':52s}{'mean PSNR':>10s}{'s / image':>11s}")
for name, d, q in rows:
    t = "" if "s_per_image" not in d else f"{d['s_per_image']:.2f}"
    print(f"{name:52s}{d['mean_psnr']:10.2f}{t:>11s}")
print(json.dumps({name: {k: d.get(k) for k in ("mean_psnr", "s_per_image", "forward_s_per_image", "t_one", "t_all")
                         if d.get(k) is not None} for name, d, q in rows}))
PY
