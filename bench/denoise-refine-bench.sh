#!/usr/bin/env bash
# Time of denoise-gray with and without its BM3D Wiener stage and fusion head on 512×512 gray
# photos, one run: the same folder of N noisy copies restored by one process per setting (JVM
# start and model load are paid once in each, so differences per image are the stages' costs).
# Usage: bench/denoise-refine-bench.sh [N]   (needs ../shared/data/set12 and python3; prints one JSON line)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-6}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/in"
"$ROOT/retouch" degrade "$ROOT/../shared/data/set12/08.png" -o "$WORK/noisy.png" --degrade noise:gauss:25 --seed 0 >/dev/null
for i in $(seq 1 "$N"); do cp "$WORK/noisy.png" "$WORK/in/$i.png"; done
run() {
  local start end
  start=$(date +%s.%N)
  "$ROOT/retouch" restore --refine $1 "$WORK/in" -o "$WORK/out-$1" --model denoise-gray --sigma 25 >/dev/null 2>&1
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}
net=$(run none)
ref=$(run wiener)
# the fusion head runs only on models that have one (model.json fusion_depth)
if grep -q '"fusion_depth"' "$ROOT/models/denoise-gray/model.json"; then fus=$(run fusion); else fus=0; fi
python3 - "$N" "$net" "$ref" "$fus" <<'PY'
import json, sys
n, net, ref, fus = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
out = {"images": n, "size": "512x512 gray", "network_s": round(net, 2), "network_plus_wiener_s": round(ref, 2),
       "wiener_per_image_s": round((ref - net) / n, 3), "ratio": round(ref / net, 2)}
if fus > 0:
    out.update({"network_wiener_fusion_s": round(fus, 2), "fusion_per_image_s": round((fus - ref) / n, 3),
                "ratio_fusion": round(fus / net, 2)})
print(json.dumps(out))
PY
