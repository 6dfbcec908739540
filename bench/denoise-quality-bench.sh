#!/usr/bin/env bash
# The two denoising paths side by side in one run: --quality fast (one network pass) and
# --quality max (network + BM3D Wiener stage + fusion head), on the 512x512 Set12 photos with
# 8-bit noisy inputs (sigma 25), through the CLI as a user runs it. Time per image is measured
# end to end as (time for all N images - time for 1) / (N - 1), so JVM start and model load cancel.
# Also prints mean PSNR of each path against the clean photos.
# Usage: bench/denoise-quality-bench.sh [MODEL]   (default: the task's shipped model; prints one JSON line)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="${1:-}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/all" "$WORK/one" "$WORK/clean"
n=0
for f in "$ROOT"/../shared/data/set12/*.png; do
  if python3 - "$f" <<'PY'
import struct, sys
with open(sys.argv[1], "rb") as fh:
    head = fh.read(24)
w, h = struct.unpack(">II", head[16:24])
sys.exit(0 if (w, h) == (512, 512) else 1)
PY
  then
    b=$(basename "$f")
    cp "$f" "$WORK/clean/$b"
    "$ROOT/retouch" degrade "$f" -o "$WORK/all/$b" --degrade noise:gauss:25 --seed "$n" >/dev/null
    n=$((n + 1))
  fi
done
cp "$(ls "$WORK"/all/*.png | head -1)" "$WORK/one/"
model_args=(--task denoise)
[ -n "$MODEL" ] && model_args=(--model "$MODEL")
seconds() { # quality, folder
  local s e
  s=$(date +%s.%N)
  "$ROOT/retouch" restore "$WORK/$2" -o "$WORK/out-$1-$2" "${model_args[@]}" --sigma 25 --quality "$1" >/dev/null 2>&1
  e=$(date +%s.%N)
  python3 -c "print($e - $s)"
}
psnr() { # quality
  local sum=0
  for f in "$WORK"/clean/*.png; do
    p=$("$ROOT/retouch" metrics "$f" "$WORK/out-$1-all/$(basename "$f")" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['psnr'])")
    sum=$(python3 -c "print($sum + $p)")
  done
  python3 -c "print($sum / $n)"
}
f1=$(seconds fast one); fa=$(seconds fast all)
m1=$(seconds max one); ma=$(seconds max all)
python3 - "$n" "$f1" "$fa" "$m1" "$ma" "$(psnr fast)" "$(psnr max)" "${MODEL:-task default}" <<'PY'
import json, sys
n = int(sys.argv[1]); f1, fa, m1, ma, pf, pm = map(float, sys.argv[2:8])
fast, best = (fa - f1) / (n - 1), (ma - m1) / (n - 1)
print(json.dumps({"images": n, "size": "512x512 gray, sigma 25, 8-bit noisy", "model": sys.argv[8],
                  "fast_s_per_image": round(fast, 3), "max_s_per_image": round(best, 3), "max_over_fast": round(best / fast, 2),
                  "fast_psnr": round(pf, 2), "max_psnr": round(pm, 2)}))
PY
