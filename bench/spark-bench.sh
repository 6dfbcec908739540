#!/usr/bin/env bash
# Spark throughput benchmark: the same folder of noisy images restored by
#   1. retouch restore (one JVM, RETOUCH_THREADS=2 engine threads),
#   2. retouch spark restore --master local[1] (one task at a time, one engine thread per task),
#   3. retouch spark restore --master local[2] (two tasks at once, one engine thread each),
# then the per-core rate, the scaling from 1 to 2 task slots, Spark's overhead per image and a
# projection for an N-core cluster. Results go to $WORK/results.txt.
#
#   bench/spark-bench.sh                       # 200 gray 512x512 images, --quality fast
#   N=40 SIZE=256 bench/spark-bench.sh         # smaller
#   QUALITY=auto bench/spark-bench.sh          # the default path (slower: BM3D's Wiener stage on denoise-gray)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-200}"
SIZE="${SIZE:-512}"
QUALITY="${QUALITY:-fast}"
RGB_EVERY="${RGB_EVERY:-0}"
WORK="${WORK:-$ROOT/runs/spark-bench}"
mkdir -p "$WORK"
cd "$ROOT"

if [ ! -f "$WORK/data/noisy/img-$(printf %04d $((N - 1))).png" ] || [ -f "$WORK/data/noisy/img-$(printf %04d "$N").png" ]; then
  rm -rf "$WORK/data"
  python3 bench/spark_images.py "$WORK/data" "$N" "$SIZE" --sigma 25 --rgb-every "$RGB_EVERY" --seed 1
fi
./retouch --version >/dev/null         # builds the CLI if needed
./retouch spark --help >/dev/null      # builds retouch-spark if needed
export RETOUCH_SKIP_BUILD=1

now() { date +%s.%N; }
RES="$WORK/results.txt"
{
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'): $N gray ${SIZE}x${SIZE} images (sigma 25), --task denoise --quality $QUALITY; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RES"

rm -rf "$WORK/out-cli"
t0=$(now)
RETOUCH_THREADS=2 OMP_NUM_THREADS=2 ./retouch restore "$WORK/data/noisy" -o "$WORK/out-cli" --task denoise --quality "$QUALITY" >/dev/null 2>"$WORK/cli.log"
t1=$(now)
echo "cli2 wall=$(echo "$t1 - $t0" | bc)" >> "$RES"

for k in 1 2; do
  rm -rf "$WORK/out-local$k"
  t0=$(now)
  RETOUCH_THREADS=1 OMP_NUM_THREADS=1 ./retouch spark restore --input "$WORK/data/noisy" --output "$WORK/out-local$k" \
    --task denoise --quality "$QUALITY" --master "local[$k]" --json > "$WORK/summary-local$k.json" 2>"$WORK/spark-local$k.log"
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
job = {k: n / s[k]["seconds"] for k in (1, 2)}
print("retouch restore, 2 engine threads:      %7.1f s  %.3f images/s" % (wall["cli2"], cli))
for k in (1, 2):
    print("spark local[%d], 1 thread per task:      %7.1f s  %.3f images/s end to end; job %.1f s, %.3f images/s; startup %.1f s; %.0f ms per image in the task"
          % (k, wall["local%d" % k], e2e[k], s[k]["seconds"], job[k], s[k]["startup_seconds"], s[k]["mean_millis_per_image"]))
print("local[2] / local[1] throughput: %.2fx (job), %.2fx (end to end)" % (job[2] / job[1], e2e[2] / e2e[1]))
print("local[2] / retouch restore (2 threads): %.2f (job), %.2f (end to end)" % (job[2] / cli, e2e[2] / cli))
per_image_overhead = s[1]["seconds"] / n - s[1]["mean_millis_per_image"] / 1000
fixed = wall["local1"] - s[1]["seconds"]
print("Spark overhead: %.0f ms per image (local[1] job time per image minus time spent in the image's task), %.1f s fixed (JVM, Spark, report)"
      % (per_image_overhead * 1000, fixed))
rate = job[1]                      # images/s per core, one engine thread per task
eff = job[2] / (2 * job[1])        # scaling efficiency from 1 to 2 slots on this machine
print("projection (per-core rate %.3f images/s, efficiency %.2f kept): " % (rate, min(eff, 1.0)))
for cores in (16, 64, 256):
    thr = cores * rate * min(eff, 1.0)
    print("  %4d cores: %.1f images/s; 1,000,000 images in %.1f h (+ %.0f s fixed)" % (cores, thr, 1e6 / thr / 3600, fixed))
PY
cat "$RES"
