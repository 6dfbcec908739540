# Shared by the crash-safety scripts in bench/crash: how to run Retouch, and tiny data sets.
# Source it; it sets ROOT and defines retouch_cmd (an array) and make_* helpers.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# RETOUCH_JAR: a CLI jar to run directly (e.g. built with
#   mvn -B -q -o -DbuildDirName=target-crash -DskipTests -pl retouch-cli -am package
# then RETOUCH_JAR=retouch-cli/target-crash/retouch-cli.jar); otherwise the ./retouch launcher.
# The java flags mirror the launcher's. 'exec' in both keeps the PID that is killed the JVM's.
if [ -n "${RETOUCH_JAR:-}" ]; then
  case "$RETOUCH_JAR" in /*) ;; *) RETOUCH_JAR="$ROOT/$RETOUCH_JAR";; esac
  [ -f "$RETOUCH_JAR" ] || { echo "RETOUCH_JAR=$RETOUCH_JAR: no such jar; build it first" >&2; exit 3; }
  if [ -z "${LD_PRELOAD:-}" ] && [ -f /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 ]; then
    export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
  fi
  retouch_cmd=(java -Xmx2g -XX:MaxDirectMemorySize=1g -Djava.awt.headless=true -Dai.djl.offline=true
               "-Dretouch.home=$ROOT" -jar "$RETOUCH_JAR")
else
  retouch_cmd=("$ROOT/retouch")
fi

# One thread: libtorch's float sums are then in a fixed order, so runs are bit-reproducible.
export RETOUCH_THREADS=1 OMP_NUM_THREADS=1

# Six gray crops of samples/camera.png (PNG) in $1, $2 pixels square (default 96, at most 212).
make_crops() {
  local dir="$1" size="${2:-96}"
  [ -f "$dir/c5.png" ] && return 0
  mkdir -p "$dir"
  python3 - "$ROOT/samples/camera.png" "$dir" "$size" <<'PY'
import sys, zlib, struct
# A tiny PNG reader/writer for 8-bit gray, non-interlaced PNGs (samples/camera.png), no PIL needed.
src, out, s = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, 'rb').read()
pos, idat, w = 8, b'', 0
while pos < len(data):
    n, = struct.unpack('>I', data[pos:pos + 4]); t = data[pos + 4:pos + 8]; body = data[pos + 8:pos + 8 + n]
    if t == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        assert depth == 8 and ctype == 0, 'camera.png should be 8-bit gray'
    elif t == b'IDAT':
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
rows, prev = [], bytearray(w)
for y in range(h):
    f = raw[y * (w + 1)]; line = bytearray(raw[y * (w + 1) + 1:(y + 1) * (w + 1)])
    for x in range(w):
        a = line[x - 1] if x else 0; b = prev[x]; c = prev[x - 1] if x else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
def chunk(t, b):
    return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
for i in range(6):
    y0, x0 = 40 * i, 60 * i
    body = b''.join(b'\0' + bytes(rows[y0 + y][x0:x0 + s]) for y in range(s))
    png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', s, s, 8, 0, 0, 0, 0)) \
        + chunk(b'IDAT', zlib.compress(body)) + chunk(b'IEND', b'')
    open(f'{out}/c{i}.png', 'wb').write(png)
PY
}

# A tiny labeled IDX set (MNIST layout: 28x28 squares whose position is the class) in $1.
make_idx() {
  local dir="$1"
  [ -f "$dir/t10k-labels-idx1-ubyte" ] && return 0
  mkdir -p "$dir"
  python3 - "$dir" <<'PY'
import sys, random, struct
d = sys.argv[1]
for prefix, n, seed in (('train', 300, 1), ('t10k', 200, 2)):
    r = random.Random(seed)
    im = bytearray(struct.pack('>IIII', 0x803, n, 28, 28)); lab = bytearray(struct.pack('>II', 0x801, n))
    for i in range(n):
        k = i % 10; lab.append(k)
        y0, x0 = 4 + (k // 5) * 12 + r.randrange(3), 1 + (k % 5) * 5 + r.randrange(2)
        for y in range(28):
            for x in range(28):
                im.append(200 + r.randrange(56) if y0 <= y < y0 + 6 and x0 <= x < x0 + 6 else r.randrange(40))
    open(f'{d}/{prefix}-images-idx3-ubyte', 'wb').write(im); open(f'{d}/{prefix}-labels-idx1-ubyte', 'wb').write(lab)
PY
}
