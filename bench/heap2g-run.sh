# Sourced by the bench scripts that time one `retouch` command under a 2 GiB heap.
# heap2g_run LOG ARGS...: runs the built CLI jar with ARGS under -Xmx2g (no progress bar, output to
# LOG) and prints "WALL_SECONDS MAX_RSS_KB" as /usr/bin/time -v measured them.
heap2g_run() {
  local log="$1"; shift
  RETOUCH_NO_PROGRESS=1 /usr/bin/time -v java -Xmx2g -Djava.awt.headless=true -Dai.djl.offline=true -Dretouch.home="$PWD" \
    -jar retouch-cli/target/retouch-cli.jar "$@" > "$log" 2>&1
  /usr/bin/python3 - "$log" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
w = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
s = (int(w.group(1) or 0) * 3600) + int(w.group(2)) * 60 + float(w.group(3))
print(s, re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
PY
}
