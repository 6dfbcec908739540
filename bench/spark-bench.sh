#!/usr/bin/env bash
# Spark throughput benchmark: the same folder of noisy images restored by
#   1. retouch restore (one JVM, RETOUCH_THREADS=2 engine threads),
#   2. retouch spark restore --master local[1] (one task at a time, one engine thread per task),
#   3. retouch spark restore --master local[2] (two tasks at once, one engine thread each),
# then the per-core rate, the scaling from 1 to 2 task slots, Spark's overhead per image and a
# projection for an N-core cluster. Results go to $WORK/results.txt.
#
# Model: by default denoise-gray's network alone, as a copy of models/denoise-gray whose model.json
# says "refine": "none" ($WORK/denoise-gray-net, given to both with --model); NETWORK_ONLY=0 runs
# --task denoise as shipped (with its refinement stages: several times slower).
#
#   bench/spark-bench.sh                       # 200 gray 512x512 images
#   N=40 SIZE=256 bench/spark-bench.sh         # smaller
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-200}"
SIZE="${SIZE:-512}"
NETWORK_ONLY="${NETWORK_ONLY:-1}"
RGB_EVERY="${RGB_EVERY:-0}"
WORK="${WORK:-$ROOT/runs/spark-bench}"
mkdir -p "$WORK"
cd "$ROOT"

if [ ! -f "$WORK/data/noisy/img-$(printf %04d $((N - 1))).png" ] || [ -f "$WORK/data/noisy/img-$(printf %04d "$N").png" ]; then
  rm -rf "$WORK/data"
  python3 bench/spark_images.py "$WORK/data" "$N" "$SIZE" --sigma 25 --rgb-every "$RGB_EVERY" --seed 1
fi
if [ "$NETWORK_ONLY" = 1 ]; then
  rm -rf "$WORK/denoise-gray-net" && cp -r models/denoise-gray "$WORK/denoise-gray-net"
  sed -i 's/"name" : "denoise-gray"/"name" : "denoise-gray-net"/; s/"refine" : "[a-z]*"/"refine" : "none"/' "$WORK/denoise-gray-net/model.json"
  HOW=(--model "$WORK/denoise-gray-net"); WHAT="denoise-gray's network alone (refine none)"
else
  HOW=(--task denoise); WHAT="--task denoise as shipped"
fi
./retouch --version >/dev/null         # builds the CLI if needed
./retouch spark --help >/dev/null      # builds retouch-spark if needed
export RETOUCH_SKIP_BUILD=1

now() { date +%s.%N; }
RES="$WORK/results.txt"
{
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'): $N gray ${SIZE}x${SIZE} images (sigma 25), $WHAT; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RES"

rm -rf "$WORK/out-cli"
t0=$(now)
RETOUCH_THREADS=2 OMP_NUM_THREADS=2 ./retouch restore "$WORK/data/noisy" -o "$WORK/out-cli" "${HOW[@]}" >/dev/null 2>"$WORK/cli.log"
t1=$(now)
echo "cli2 wall=$(echo "$t1 - $t0" | bc)" >> "$RES"

for k in 1 2; do
  rm -rf "$WORK/out-local$k"
  t0=$(now)
  RETOUCH_THREADS=1 OMP_NUM_THREADS=1 ./retouch spark restore --input "$WORK/data/noisy" --output "$WORK/out-local$k" \
    "${HOW[@]}" --master "local[$k]" --json > "$WORK/summary-local$k.json" 2>"$WORK/spark-local$k.log"
  t1=$(now)
  echo "local$k wall=$(echo "$t1 - $t0" | bc)" >> "$RES"
done

python3 - "$WORK" "$N" >> "$RES" <<'PY'
import json, sys
work, n = sys.argv[1], int(sys.argv[2])
wall = {}
for line in open(work + "/results.txt"):
    if "wall=" in line:
        k, v = line.split(" wall=")
        wall[k] = float(v)
s = {k: json.load(open("%s/summary-local%d.json" % (work, k))) for k in (1, 2)}
for k in (1, 2):
    assert s[k]["restored"] == n, s[k]
cli = n / wall["cli2"]
e2e = {k: n / wall["local%d" % k] for k in (1, 2)}
job = {k: n / s[k]["restore_seconds"] for k in (1, 2)}   # first image taken up -> last one done
print("retouch restore, 2 engine threads:      %7.1f s  %.3f images/s" % (wall["cli2"], cli))
for k in (1, 2):
    print("spark local[%d], 1 thread per task:      %7.1f s  %.3f images/s end to end; restoring %.1f s, %.3f images/s; %.0f ms per image in its task"
          % (k, wall["local%d" % k], e2e[k], s[k]["restore_seconds"], job[k], s[k]["mean_millis_per_image"]))
print("local[2] / local[1] throughput: %.2fx (restoring), %.2fx (end to end)" % (job[2] / job[1], e2e[2] / e2e[1]))
print("local[2] / retouch restore (2 threads): %.2f (restoring), %.2f (end to end)" % (job[2] / cli, e2e[2] / cli))
per_image_overhead = s[1]["restore_seconds"] / n - s[1]["mean_millis_per_image"] / 1000
fixed = wall["local1"] - s[1]["restore_seconds"]
print("Spark overhead: %.0f ms per image (local[1]: restoring time per image minus the time inside the image's own work), %.1f s fixed (JVM, Spark, listing, report)"
      % (per_image_overhead * 1000, fixed))
rate = job[1]                      # images/s per core, one engine thread per task
eff = min(job[2] / (2 * job[1]), 1.0)   # scaling from 1 to 2 slots on this machine
print("projection for N cores (per-core rate %.3f images/s; scaling efficiency %.2f as measured here, 1.0 ideal):" % (rate, eff))
for cores in (16, 64, 256):
    print("  %4d cores: %.1f-%.1f images/s; 1,000,000 images in %.1f-%.1f h (+ %.0f s fixed)"
          % (cores, cores * rate * eff, cores * rate, 1e6 / (cores * rate) / 3600, 1e6 / (cores * rate * eff) / 3600, fixed))
PY
cat "$RES"
