# Sourced by run.sh and soak.sh: `retouch serve` on a free loopback port, ready before they drive it.
# Sets ROOT (the checkout, also the working folder) and RETOUCH (the launcher, default ./retouch; it
# must exec the JVM, so the PID is the server's); start_server also uses PORT.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
RETOUCH="${RETOUCH:-$ROOT/retouch}"

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_server LOG [serve options...]: starts the server (SERVER: its PID; stopped on exit) and waits
# at most 5 minutes (the launcher may build the jar first) until /health/ready, or /health on a
# server without it, answers 200.
start_server() {
  local log="$1" code
  shift
  # shellcheck disable=SC2086
  $RETOUCH serve --host 127.0.0.1 --port "$PORT" "$@" >"$log" 2>&1 &
  SERVER=$!
  trap 'kill -TERM $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 600); do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/health/ready" 2>/dev/null || true)"
    [ "$code" = 404 ] && code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/health" 2>/dev/null || true)"
    if [ "$code" = 200 ]; then return 0; fi
    kill -0 "$SERVER" 2>/dev/null || { echo "server exited; log:"; cat "$log"; exit 1; }
    sleep 0.5
  done
  echo "server not ready after 5 minutes; log:"
  tail -50 "$log"
  exit 1
}
