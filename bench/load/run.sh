#!/usr/bin/env bash
# Load test of the HTTP service: starts `retouch serve` on a free port, drives it with
# bench/load/LoadTest.java (N clients x T seconds of POST /v1/restore), prints the report, stops
# the server (gracefully) and exits with LoadTest's status.
#
#   bash bench/load/run.sh                      # 8 clients x 60 s, 256x256 denoise with denoise-gray
#   CLIENTS=4 SECONDS_=30 SIZE=512 bash bench/load/run.sh
#   RETOUCH="java -jar path/to/retouch-cli.jar" bash bench/load/run.sh   # another launcher
#
# Extra server options go in SERVE_OPTS (e.g. SERVE_OPTS="--workers 1 --queue 4").
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/serve.sh"
CLIENTS="${CLIENTS:-8}"
SECONDS_="${SECONDS_:-60}"
SIZE="${SIZE:-256}"
PORT="${PORT:-$(free_port 2>/dev/null || echo 18080)}"
LOG="${LOG:-$(mktemp -t retouch-serve-XXXX.log)}"

# shellcheck disable=SC2086
start_server "$LOG" ${SERVE_OPTS:-}
# The launcher execs java, so $SERVER is the JVM whose RSS we read.
echo "server pid $SERVER on port $PORT (log $LOG); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
status=0
java "$ROOT/bench/load/LoadTest.java" --url "http://127.0.0.1:$PORT" --clients "$CLIENTS" --seconds "$SECONDS_" \
  --size "$SIZE" --pid "$SERVER" ${LOAD_OPTS:-} || status=$?
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^retouch_(http_requests_total\{route="/v1/restore"|errors_total|process_resident)' || true
kill -TERM "$SERVER"
wait "$SERVER" 2>/dev/null || true
trap - EXIT
exit $status
