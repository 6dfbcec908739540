#!/usr/bin/env bash
# Soak test of the HTTP service: starts `retouch serve` on 127.0.0.1 on a free port, waits until it
# is ready, runs bench/load/soak.py (a mixed workload from a few clients: restore of every task,
# generate, bad uploads, slow uploads, abandoned connections, concurrent first requests for one
# model) for the given time, stops the server gracefully and exits with the soak's status
# (non-zero when a response fell outside 200/4xx/503, a 503 lacked Retry-After, RSS grew more than
# 1.2x after warm-up, or fds/threads did not come back).
#
#   bash bench/load/soak.sh              # 1800 s
#   bash bench/load/soak.sh 180          # a 3-minute check
#   CLIENTS=4 SOAK_OPTS="--size 96" bash bench/load/soak.sh 600
#   RETOUCH="java -jar path/to/retouch-cli.jar" bash bench/load/soak.sh   # another launcher (must exec the JVM)
#
# Server options go in SERVE_OPTS (default "--workers 2 --queue 4", so that first requests for one
# model really load it concurrently). Only loopback is used; every loop is bounded.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/serve.sh"
DURATION="${1:-1800}"
CLIENTS="${CLIENTS:-3}"
SERVE_OPTS="${SERVE_OPTS:---workers 2 --queue 4}"
OUTDIR="${OUTDIR:-$(mktemp -d -t retouch-soak-XXXX)}"
PORT="$(free_port)"
LOG="$OUTDIR/server.log"
mkdir -p "$OUTDIR/tmp"

# A private temp folder: upload files left behind would show up here.
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -Djava.io.tmpdir=$OUTDIR/tmp"
# shellcheck disable=SC2086
start_server "$LOG" $SERVE_OPTS
echo "soak: $(date -u +%FT%TZ) server pid $SERVER on 127.0.0.1:$PORT ($SERVE_OPTS), log $LOG; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
# shellcheck disable=SC2086
python3 "$ROOT/bench/load/soak.py" --url "http://127.0.0.1:$PORT" --pid "$SERVER" --seconds "$DURATION" \
  --clients "$CLIENTS" --json "$OUTDIR/soak.json" ${SOAK_OPTS:-} || status=$?
kill -TERM "$SERVER"
for _ in $(seq 1 120); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.5; done
kill -KILL "$SERVER" 2>/dev/null || true
wait "$SERVER" 2>/dev/null || true
trap - EXIT
left="$(find "$OUTDIR/tmp" -path '*retouch-server-*' -type f 2>/dev/null | wc -l)"
echo "soak: upload temp files left after shutdown: $left"
errors="$(grep -c -E 'internal error|Exception' "$LOG" || true)"
echo "soak: server log lines with 'internal error' or 'Exception': $errors (log $LOG)"
[ "$left" = 0 ] || status=1
exit $status
