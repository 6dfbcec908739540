#!/usr/bin/env bash
# Time of the two ways Retouch denoises a colour photo, one run: denoise-gray on the three opponent
# colour planes against the RGB-trained denoise-color, network alone and with the Wiener stage,
# on N noisy copies of Kodak24's kodim23 (768×512), one process per setting (JVM start
# and model load paid once in each; the per-image figure is (time(N) − time(1)) / (N − 1)).
# Usage: bench/denoise-colour-bench.sh [N]   (needs ../shared/data/kodak24 and python3; prints one JSON line)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-4}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$ROOT/retouch" degrade "$ROOT/../shared/data/kodak24/kodim23.png" -o "$WORK/noisy.png" --degrade noise:gauss:25 --seed 0 >/dev/null
mkdir -p "$WORK/one" "$WORK/many"
cp "$WORK/noisy.png" "$WORK/one/1.png"
for i in $(seq 1 "$N"); do cp "$WORK/noisy.png" "$WORK/many/$i.png"; done
seconds() { # MODEL REFINE FOLDER
  local start end
  start=$(date +%s.%N)
  "$ROOT/retouch" restore --refine $2 "$WORK/$3" -o "$WORK/out-$1-$2-$3" --model "$1" --sigma 25 >/dev/null 2>&1
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}
results=()
for model in denoise-gray denoise-color; do
  for refine in none wiener; do
    results+=("$model" "$refine" "$(seconds $model $refine one)" "$(seconds $model $refine many)")
  done
done
python3 - "$N" "${results[@]}" <<'PY'
import json, sys
n, rest = int(sys.argv[1]), sys.argv[2:]
out = {"images": n, "size": "768x512 RGB"}
for i in range(0, len(rest), 4):
    model, refine, one, many = rest[i], rest[i + 1], float(rest[i + 2]), float(rest[i + 3])
    out[f"{model}_{refine}_s_per_image"] = round((many - one) / (n - 1), 2)
out["ratio_network"] = round(out["denoise-color_none_s_per_image"] / out["denoise-gray_none_s_per_image"], 2)
out["ratio_with_wiener"] = round(out["denoise-color_wiener_s_per_image"] / out["denoise-gray_wiener_s_per_image"], 2)
print(json.dumps(out))
PY
