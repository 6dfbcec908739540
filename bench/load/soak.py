#!/usr/bin/env python3
"""Soak test of the Retouch HTTP service: a mixed workload from a few clients for a fixed time.

Python 3 standard library only. Talks to one server on 127.0.0.1 (the URL must be loopback) and
reads that server's /proc/PID entries. Every loop is bounded in count and in time: the run stops at
--seconds (plus a bounded drain), every request has a socket timeout.

Workload (picked at random per step, weights in MIX):
  restore   POST /v1/restore for every task GET /v1/models lists as available (small generated
            images, a mask for inpainting, a known blur for deblur, a colour picture for denoise)
  generate  GET and POST /v1/generate for every installed generator (PNG grid and JSON)
  bad       truncated PNG, garbage bytes, wrong field names, a PNG header claiming 60000x60000,
            empty file, bad CRC, sigma=abc, unknown model, not multipart, broken multipart,
            Content-Length above the limit, unknown path, wrong method, bad generate parameters
  slow      a valid multipart upload sent in small chunks with sleeps in between
  abandon   connect-and-close, half the headers, half the body, full request then close without
            reading, read part of a response then close
  cheap     /v1/models, /health/live, /health/ready, /metrics, /, /openapi.json
and, right after the server is ready, concurrent first requests for the same model (restore and
generate) from several threads at once.

Checks (exit status 1 when one fails):
  * no response outside 200 / 4xx / 503 (client side and the server's own /metrics counters);
  * every 503 carries Retry-After;
  * resident memory at the end within --rss-factor (1.2) of the value after warm-up (the first
    --warmup fraction of the run, at least --min-warmup seconds, and until every task and generator
    has answered once, so that every model is loaded);
  * open file descriptors and threads back to their values after warm-up once the load stops
    (measured in a quiet moment; idle connections and pool threads get --settle seconds to go);
  * every request got an answer (no resets or client timeouts outside the abandon/slow probes).
"""
import argparse
import collections
import http.client
import io
import json
import os
import random
import socket
import struct
import sys
import threading
import time
import urllib.parse
import zlib

# ---------------------------------------------------------------------------------------------- images


def png_bytes(width, height, channels=1, seed=0, mask_box=None, crc_ok=True, declared=None):
    """An 8-bit PNG: smooth pattern + noise (gray or RGB); mask_box=(x0,y0,x1,y1) gives a mask."""
    rnd = random.Random(seed)
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            if mask_box is not None:
                x0, y0, x1, y1 = mask_box
                v = 255 if (x0 <= x < x1 and y0 <= y < y1) else 0
                row.extend([v] * channels)
                continue
            base = (x * 3 + y * 2) % 200 + 20
            for c in range(channels):
                row.append(max(0, min(255, base + c * 17 + rnd.randint(-25, 25))))
        rows.append(bytes(row))
    raw = b"".join(rows)
    w, h = declared if declared else (width, height)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0 if channels == 1 else 2, 0, 0, 0)

    def chunk(kind, data, good=True):
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        if not good:
            crc ^= 0x5A5A5A5A
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr, crc_ok) + chunk(b"IDAT", zlib.compress(raw, 6))
            + chunk(b"IEND", b""))


def multipart(fields, files, boundary=None):
    """(body, content_type) for fields {name: value} and files [(field, filename, bytes)]."""
    boundary = boundary or "----soak%016x" % random.getrandbits(64)
    out = io.BytesIO()
    for k, v in fields.items():
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)).encode())
    for field, filename, data in files:
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                   "Content-Type: application/octet-stream\r\n\r\n" % (boundary, field, filename)).encode())
        out.write(data)
        out.write(b"\r\n")
    out.write(("--%s--\r\n" % boundary).encode())
    return out.getvalue(), "multipart/form-data; boundary=" + boundary


# ---------------------------------------------------------------------------------------------- process


def proc_sample(pid):
    """(rss_kib, threads, fds) of a process, or None when it is gone."""
    try:
        rss = threads = None
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("Threads:"):
                    threads = int(line.split()[1])
        fds = len(os.listdir("/proc/%d/fd" % pid))
        return rss, threads, fds
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------- the run


class Soak:
    MIX = [("restore", 38), ("generate", 14), ("bad", 22), ("slow", 6), ("abandon", 12), ("cheap", 8)]

    def __init__(self, args):
        self.args = args
        u = urllib.parse.urlparse(args.url)
        self.host, self.port = u.hostname, u.port
        if self.host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("soak: only a loopback URL is allowed, not " + args.url)
        self.host = "127.0.0.1" if self.host == "localhost" else self.host
        self.lock = threading.Lock()
        self.status = collections.Counter()          # status code -> count
        self.by_op = collections.Counter()            # (op, status) -> count
        self.no_retry_after = 0
        self.no_response = collections.Counter()      # op -> count (reset, timeout) on requests that expect an answer
        self.unexpected = collections.Counter()       # (op, status, error code) for a good request that got 4xx
        self.latency = collections.defaultdict(list)  # op -> seconds of 200s
        self.samples = []                             # (t, rss, threads, fds, phase)
        self.stop = threading.Event()
        self.pause = threading.Event()                # set: clients idle at the next step
        self.idle = threading.Semaphore(0)
        self.t0 = time.monotonic()
        self.hard_end = self.t0 + args.seconds + args.settle + 240
        self.rnd = random.Random(args.seed)
        # Small inputs so each request is cheap (the point is the mix and the time, not the load).
        s = args.size
        self.gray = png_bytes(s, s, 1, seed=1)
        self.colour = png_bytes(s, s, 3, seed=2)
        self.small = png_bytes(s // 2, s // 2, 1, seed=3)
        self.mask = png_bytes(s, s, 1, mask_box=(s // 4, s // 4, s // 2, s // 2))
        self.truncated = self.gray[: len(self.gray) // 2]
        self.bad_crc = png_bytes(s, s, 1, seed=4, crc_ok=False)
        self.huge = png_bytes(4, 4, 1, seed=5, declared=(60000, 60000))
        self.garbage = bytes(random.Random(6).getrandbits(8) for _ in range(3000))
        self.tasks = []
        self.missing_tasks = []
        self.generators = []
        self.gen_ok = set()                           # generators that have answered 200 (loaded)

    # ------------------------------------------------------------------ recording

    def record(self, op, status, headers=None, body=b"", expect_ok=True, dt=None):
        with self.lock:
            self.status[status] += 1
            self.by_op[(op, status)] += 1
            if status == 503 and not (headers and headers.get("retry-after")):
                self.no_retry_after += 1
            if expect_ok and 400 <= status < 500:
                code = ""
                try:
                    code = json.loads(body.decode("utf-8", "replace")).get("error", "")
                except (ValueError, AttributeError):
                    pass
                self.unexpected[(op, status, code)] += 1
            if status == 200 and dt is not None:
                self.latency[op.split(":")[0]].append(dt)

    def lost(self, op):
        with self.lock:
            self.no_response[op] += 1

    # ------------------------------------------------------------------ HTTP

    def request(self, op, method, path, body=None, headers=None, expect_ok=True, timeout=None):
        """One request on a fresh connection; records the status. Returns (status, headers, body)."""
        t = time.monotonic()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout or self.args.request_timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            h = {k.lower(): v for k, v in r.getheaders()}
        except (OSError, http.client.HTTPException):
            self.lost(op)
            return None, {}, b""
        finally:
            conn.close()
        self.record(op, r.status, h, data, expect_ok, time.monotonic() - t)
        if r.status == 503:
            ra = h.get("retry-after", "1")
            try:
                wait = float(ra)
            except ValueError:
                wait = 1.0
            time.sleep(min(self.args.max_backoff, max(0.05, wait)))
        return r.status, h, data

    def restore(self, op, fields, files, expect_ok=True):
        body, ctype = multipart(fields, files)
        return self.request(op, "POST", "/v1/restore", body, {"Content-Type": ctype}, expect_ok)

    def raw_socket(self, timeout=10.0):
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        return s

    @staticmethod
    def read_status(sock, limit=65536):
        """Reads a response's head from a raw socket: (status, headers) or (None, {})."""
        buf = b""
        deadline = time.monotonic() + sock.gettimeout()
        while b"\r\n\r\n" not in buf and len(buf) < limit and time.monotonic() < deadline:
            chunk = sock.recv(4096)
            if not chunk:
                break
            buf += chunk
        if not buf.startswith(b"HTTP/"):
            return None, {}
        head = buf.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        headers = {}
        for line in head[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        return int(head[0].split()[1]), headers

    # ------------------------------------------------------------------ workload

    def load_catalog(self):
        st, _, data = self.request("cheap:models", "GET", "/v1/models")
        if st != 200:
            raise SystemExit("soak: GET /v1/models answered %s" % st)
        m = json.loads(data)
        for task, t in m.get("tasks", {}).items():
            if task != "generate" and t.get("available"):
                self.tasks.append(task)
            elif task != "generate":
                self.missing_tasks.append(task)  # no model installed: 404 no_model expected
        self.generators = list(m.get("tasks", {}).get("generate", {}).get("models", []))
        return m

    def restore_step(self, rnd):
        task = rnd.choice(self.tasks)
        fields = {"task": task}
        files = [("image", "soak.png", self.gray)]
        if task in ("inpaint", "gan-inpaint"):
            files.append(("mask", "mask.png", self.mask))
        elif task == "denoise":
            v = rnd.random()
            if v < 0.3:
                files = [("image", "colour.png", self.colour)]
            elif v < 0.5:
                fields["sigma"] = "15"
            elif v < 0.6:
                fields["method"] = rnd.choice(["gaussian", "median", "tv"])
        elif task == "deblur" and rnd.random() < 0.5:
            fields["blur"] = rnd.choice(["gauss:1.6", "motion:7:30"])
        elif task in ("sr2", "sr3", "sr4"):
            files = [("image", "small.png", self.small)]
        self.restore("restore:" + task, fields, files)

    def generate_step(self, rnd):
        if not self.generators:
            self.request("generate:none", "GET", "/v1/generate?n=4", expect_ok=False)
            return
        g = rnd.choice(self.generators)
        n = rnd.choice([1, 4, 9])
        seed = rnd.randrange(1000)
        v = rnd.random()
        if v < 0.5:
            st = self.request("generate:get-png", "GET", "/v1/generate?model=%s&n=%d&seed=%d" % (g, n, seed))[0]
        elif v < 0.8:
            body = urllib.parse.urlencode({"model": g, "n": n, "seed": seed, "format": "json"})
            st = self.request("generate:post-json", "POST", "/v1/generate", body,
                              {"Content-Type": "application/x-www-form-urlencoded"})[0]
        else:
            body, ctype = multipart({"model": g, "n": str(n), "seed": str(seed)}, [])
            st = self.request("generate:post-multipart", "POST", "/v1/generate", body, {"Content-Type": ctype})[0]
        if st == 200:
            with self.lock:
                self.gen_ok.add(g)

    def bad_step(self, rnd):
        kind = rnd.randrange(17)
        op = "bad:%d" % kind
        if kind == 0:
            self.restore(op + ":truncated-png", {"task": "denoise"}, [("image", "cut.png", self.truncated)], False)
        elif kind == 1:
            self.restore(op + ":garbage", {"task": "denoise"}, [("image", "x.png", self.garbage)], False)
        elif kind == 2:
            self.restore(op + ":wrong-field", {"task": "denoise"}, [("picture", "a.png", self.gray)], False)
        elif kind == 3:
            self.restore(op + ":huge-header", {"task": "denoise"}, [("image", "huge.png", self.huge)], False)
        elif kind == 4:
            self.restore(op + ":empty", {"task": "denoise"}, [("image", "empty.png", b"")], False)
        elif kind == 5:
            self.restore(op + ":bad-crc", {"task": "denoise"}, [("image", "crc.png", self.bad_crc)], False)
        elif kind == 6:
            self.restore(op + ":sigma", {"task": "denoise", "sigma": rnd.choice(["abc", "NaN", "-1", "1e9"])},
                         [("image", "a.png", self.gray)], False)
        elif kind == 7:
            self.restore(op + ":unknown-model", {"model": "no-such-model"}, [("image", "a.png", self.gray)], False)
        elif kind == 8:
            self.request(op + ":not-multipart", "POST", "/v1/restore", b'{"image": 1}',
                         {"Content-Type": "application/json"}, False)
        elif kind == 9:
            body, ctype = multipart({"task": "denoise"}, [("image", "a.png", self.gray)])
            self.request(op + ":boundary-mismatch", "POST", "/v1/restore", body[: len(body) // 3],
                         {"Content-Type": "multipart/form-data; boundary=other"}, False)
        elif kind == 10:
            self.restore(op + ":image-as-text", {"image": "not a file", "task": "denoise"}, [], False)
        elif kind == 11:
            self.too_large(op + ":content-length")
        elif kind == 12:
            self.request(op + ":not-found", "GET", "/v1/nothing", expect_ok=False)
        elif kind == 13:
            self.request(op + ":wrong-method", "GET", "/v1/restore", expect_ok=False)
        elif kind == 14:
            g = self.generators[0] if self.generators else "x"
            q = rnd.choice(["n=1000", "n=abc", "temperature=0", "format=gif", "label=no-such-label", "seed=x"])
            self.request(op + ":generate-param", "GET", "/v1/generate?model=%s&%s" % (g, q), expect_ok=False)
        elif kind == 15:
            task = rnd.choice(["inpaint", "gan-inpaint"])
            self.restore(op + ":no-mask", {"task": task}, [("image", "a.png", self.gray)], False)
        else:
            self.restore(op + ":bad-task", {"task": rnd.choice(["sr9", "", "x" * 300] + self.missing_tasks)},
                         [("image", "a.png", self.gray)], False)

    def raw_exchange(self, op, send):
        """A raw connection: send(socket) writes the request, then the answer's status and headers
        are read. (status, headers), or None when the connection failed (counted as lost)."""
        try:
            s = self.raw_socket(self.args.request_timeout)
        except OSError:
            self.lost(op)
            return None
        try:
            send(s)
            st, h = self.read_status(s)
        except OSError:
            st, h = None, {}
        finally:
            s.close()
        if st is None:
            self.lost(op)
            return None
        return st, h

    def too_large(self, op):
        """Headers announcing a body above the upload limit, then only a little of it."""
        def send(s):
            s.sendall(("POST /v1/restore HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                       "Content-Length: %d\r\nConnection: close\r\n\r\n" % (self.host, self.port, 1 << 30)).encode())
            s.sendall(b"--b\r\n" + b"x" * 1000)

        answer = self.raw_exchange(op, send)
        if answer:
            st, h = answer
            self.record(op, st, h, b"", False)

    def slow_step(self, rnd):
        """A valid upload trickled in small chunks (2-6 s in all), then the answer read."""
        op = "slow:upload"
        body, ctype = multipart({"task": "denoise", "sigma": "15"}, [("image", "slow.png", self.small)])
        head = ("POST /v1/restore HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                "Connection: close\r\n\r\n" % (self.host, self.port, ctype, len(body))).encode()
        t = time.monotonic()

        def send(s):
            s.sendall(head)
            pieces = max(8, min(40, len(body) // 64))
            step = -(-len(body) // pieces)
            pause = rnd.uniform(2.0, 6.0) / pieces
            for i in range(0, len(body), step):
                if self.stop.is_set() and time.monotonic() > self.hard_end:
                    break
                s.sendall(body[i:i + step])
                time.sleep(pause)

        answer = self.raw_exchange(op, send)
        if answer:
            st, h = answer
            self.record(op, st, h, b"", True, time.monotonic() - t)

    def abandon_step(self, rnd):
        kind = rnd.randrange(5)
        with self.lock:
            self.by_op[("abandon:%d" % kind, "sent")] += 1
        body, ctype = multipart({"task": "denoise", "sigma": "15"}, [("image", "a.png", self.gray)])
        head = ("POST /v1/restore HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                % (self.host, self.port, ctype, len(body))).encode()
        try:
            s = self.raw_socket(10.0)
        except OSError:
            return
        try:
            if kind == 0:
                pass  # connect, then close
            elif kind == 1:
                s.sendall(head[: len(head) // 2])  # half the headers
            elif kind == 2:
                s.sendall(head + body[: len(body) // 2])  # headers + half the body
                time.sleep(rnd.uniform(0, 0.5))
            elif kind == 3:
                s.sendall(head + body)  # the whole request, never read the answer
            else:
                g = self.generators[0] if self.generators else ""
                req = "GET /v1/generate?model=%s&n=64&seed=1 HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (g, self.host, self.port)
                s.sendall(req.encode())
                s.recv(100)  # part of the answer, then hang up
        except OSError:
            pass
        finally:
            s.close()

    def cheap_step(self, rnd):
        path = rnd.choice(["/v1/models", "/health/live", "/health/ready", "/metrics", "/", "/openapi.json"])
        # readiness answers 503 + Retry-After while overloaded: a valid answer, not a failure
        st, h, _ = self.request("cheap:" + path, "GET", path, expect_ok=True)

    def first_requests(self):
        """Right after start: several threads ask for the same model at the same moment."""
        model_task = "denoise" if "denoise" in self.tasks else (self.tasks[0] if self.tasks else None)
        barrier = threading.Barrier(self.args.first_burst + (2 if self.generators else 0))
        threads = []

        def restore_one(i):
            try:
                barrier.wait(30)
            except threading.BrokenBarrierError:
                pass
            files = [("image", "first.png", self.gray)]
            if model_task in ("inpaint", "gan-inpaint"):
                files.append(("mask", "mask.png", self.mask))
            self.restore("first:restore-" + str(model_task), {"task": model_task, "sigma": "15"}, files)

        def generate_one(i):
            try:
                barrier.wait(30)
            except threading.BrokenBarrierError:
                pass
            self.request("first:generate", "GET", "/v1/generate?model=%s&n=4&seed=%d" % (self.generators[0], i))

        if model_task:
            for i in range(self.args.first_burst):
                threads.append(threading.Thread(target=restore_one, args=(i,), daemon=True))
        if self.generators:
            for i in range(2):
                threads.append(threading.Thread(target=generate_one, args=(i,), daemon=True))
        for t in threads:
            t.start()
        for t in threads:
            t.join(self.args.request_timeout + 40)

    def client(self, idx):
        rnd = random.Random(self.args.seed * 1000 + idx)
        kinds = [k for k, _ in self.MIX]
        weights = [w for _, w in self.MIX]
        steps = 0
        while not self.stop.is_set() and time.monotonic() < self.hard_end and steps < self.args.max_steps:
            if self.pause.is_set():
                self.idle.release()
                while self.pause.is_set() and not self.stop.is_set() and time.monotonic() < self.hard_end:
                    time.sleep(0.1)
                continue
            kind = rnd.choices(kinds, weights)[0]
            try:
                getattr(self, kind + "_step")(rnd)
            except Exception as e:  # a bug in the soak itself must not end the run silently
                with self.lock:
                    self.by_op[("soak-error:" + kind + ":" + type(e).__name__, "x")] += 1
            steps += 1
            time.sleep(rnd.uniform(0, self.args.think))

    def all_warm(self):
        with self.lock:
            done = {op for (op, st) in self.by_op if st == 200}
        need = {"restore:" + t for t in self.tasks}
        gens = self.gen_ok >= set(self.generators)
        return need <= done and gens

    def sample(self, phase):
        s = proc_sample(self.args.pid)
        if s is not None:
            self.samples.append((round(time.monotonic() - self.t0, 1), s[0], s[1], s[2], phase))
            print("[%6.0fs] %-8s rss %7.1f MiB  threads %4d  fds %4d  requests %d" % (
                time.monotonic() - self.t0, phase, s[0] / 1024, s[1], s[2], sum(self.status.values())), flush=True)
        return s

    def quiet_sample(self, phase, threads):
        """Pauses the clients, waits for the server to have no request in flight, samples."""
        self.pause.set()
        for _ in threads:
            self.idle.acquire(timeout=self.args.request_timeout + 30)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                conn.request("GET", "/health/ready")
                b = json.loads(conn.getresponse().read())
                conn.close()
                if b.get("running", 0) == 0 and b.get("queue_depth", 0) == 0:
                    break
            except (OSError, ValueError, http.client.HTTPException):
                pass
            time.sleep(0.5)
        time.sleep(2)
        s = self.sample(phase)
        return s

    def settle(self, base):
        """After the load: waits (bounded) until fds and threads are back to the baseline."""
        deadline = time.monotonic() + self.args.settle
        s = self.sample("end")
        while s is not None and time.monotonic() < deadline:
            if s[1] <= base[1] + self.args.thread_tolerance and s[2] <= base[2] + self.args.fd_tolerance:
                break
            time.sleep(5)
            s = self.sample("settle")
        return s

    def metrics_5xx(self):
        """The server's own count of responses >= 500 other than 503, from /metrics."""
        try:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=20)
            conn.request("GET", "/metrics")
            text = conn.getresponse().read().decode()
            conn.close()
        except (OSError, http.client.HTTPException):
            return None, {}
        bad, by_status = 0, collections.Counter()
        for line in text.splitlines():
            if line.startswith("retouch_http_requests_total{"):
                labels, value = line.rsplit(" ", 1)
                st = labels.split('status="', 1)[1].split('"', 1)[0]
                by_status[st] += int(float(value))
                if st.isdigit() and int(st) >= 500 and int(st) != 503:
                    bad += int(float(value))
        return bad, by_status

    def run(self):
        a = self.args
        start = self.sample("start")
        if start is None:
            raise SystemExit("soak: no process %d" % a.pid)
        self.load_catalog()
        print("soak: tasks %s (without a model: %s); generators %s" % (", ".join(self.tasks), ", ".join(self.missing_tasks) or "none",
                                                                    ", ".join(self.generators) or "none"), flush=True)
        self.first_requests()
        self.sample("first")
        threads = [threading.Thread(target=self.client, args=(i,), daemon=True) for i in range(a.clients)]
        for t in threads:
            t.start()
        # the working set (allocator caches, per-task buffers) takes a minute or two to level out after
        # the models load: a short run still gets --min-warmup seconds, at most half of it
        warm_len = min(max(a.seconds * a.warmup, a.min_warmup), a.seconds / 2)
        warm_end = self.t0 + warm_len
        end = self.t0 + a.seconds
        next_sample = time.monotonic() + a.sample_every
        base = None
        while time.monotonic() < end:
            now = time.monotonic()
            # warm-up: the first --warmup of the run, and at least until every task and generator
            # has answered once (models load on first use), but no longer than twice that time
            if base is None and now >= warm_end and (self.all_warm() or now >= warm_end + warm_len):
                base = self.quiet_sample("warm", threads)
                self.pause.clear()
            elif now >= next_sample:
                self.sample("load")
                next_sample = now + a.sample_every
            time.sleep(min(1.0, max(0.05, end - time.monotonic())))
        if base is None:
            base = self.quiet_sample("warm", threads)
            self.pause.clear()
        # stop: the clients finish their current request (each bounded by its timeout)
        loaded = self.quiet_sample("stopped", threads)
        self.stop.set()
        for t in threads:
            t.join(a.request_timeout + 30)
        final = self.settle(base)
        bad5xx, server_status = self.metrics_5xx()
        return self.report(start, base, loaded, final, bad5xx, server_status)

    def report(self, start, base, loaded, final, bad5xx, server_status):
        a = self.args
        base_t = next((smp[0] for smp in self.samples if smp[4] == "warm"), 0)
        total = sum(self.status.values())
        outside = {s: n for s, n in self.status.items() if not (s == 200 or 400 <= s < 500 or s == 503)}
        lost = sum(self.no_response.values())
        rss_ratio = loaded[0] / base[0] if loaded and base else float("nan")
        rss_ratio_end = final[0] / base[0] if final and base else float("nan")
        checks = [
            ("responses outside 200/4xx/503 (client): 0", not outside, str(outside or 0)),
            ("responses >= 500 except 503 (server /metrics): 0", bad5xx == 0, str(bad5xx)),
            ("every 503 has Retry-After", self.no_retry_after == 0, "%d without" % self.no_retry_after),
            ("every request answered (no reset/timeout)", lost == 0, str(dict(self.no_response)) if lost else "0 lost"),
            ("RSS at end <= %.1fx after warm-up" % a.rss_factor, loaded is not None and rss_ratio <= a.rss_factor,
             "%.1f -> %.1f MiB (x%.3f); after settling %.1f MiB" % (base[0] / 1024, loaded[0] / 1024, rss_ratio,
                                                                    final[0] / 1024 if final else float("nan"))),
            ("threads back to warm-up value", final is not None and final[1] <= base[1] + a.thread_tolerance,
             "%d -> %d under load -> %d" % (base[1], loaded[1], final[1] if final else -1)),
            ("open fds back to warm-up value", final is not None and final[2] <= base[2] + a.fd_tolerance,
             "%d -> %d under load -> %d" % (base[2], loaded[2], final[2] if final else -1)),
        ]
        soak_errors = {k: v for k, v in self.by_op.items() if k[0].startswith("soak-error")}
        print()
        print("=== soak summary ===")
        print("duration %.0f s (load %d s, warm-up %d s), %d clients, %d answered requests, %.2f req/s" % (
            time.monotonic() - self.t0, a.seconds, int(base_t), a.clients, total, total / max(1, a.seconds)))
        print("status counts: " + ", ".join("%s: %d" % (k, v) for k, v in sorted(self.status.items())))
        print("server /metrics status counts: " + ", ".join("%s: %d" % (k, v) for k, v in sorted(server_status.items())))
        print("process: start rss %.1f MiB threads %d fds %d; warm-up rss %.1f MiB threads %d fds %d; "
              "end of load rss %.1f MiB threads %d fds %d; settled rss %.1f MiB threads %d fds %d" % (
                  start[0] / 1024, start[1], start[2], base[0] / 1024, base[1], base[2],
                  loaded[0] / 1024, loaded[1], loaded[2], final[0] / 1024, final[1], final[2]))
        peak = max(s[1] for s in self.samples)
        print("peak rss %.1f MiB; peak threads %d; peak fds %d" % (
            peak / 1024, max(s[2] for s in self.samples), max(s[3] for s in self.samples)))
        print("per operation (status: count):")
        ops = collections.defaultdict(dict)
        for (op, st), n in self.by_op.items():
            ops[op][st] = n
        for op in sorted(ops):
            lat = self.latency.get(op.split(":")[0]) if op.startswith("restore") else None
            print("  %-34s %s" % (op, ", ".join("%s: %d" % (k, v) for k, v in sorted(ops[op].items(), key=str))))
        for op, lats in sorted(self.latency.items()):
            lats = sorted(lats)
            print("  latency of 200s, %-16s n=%d p50 %.2f s p95 %.2f s max %.2f s" % (
                op, len(lats), lats[len(lats) // 2], lats[int(len(lats) * 0.95)], lats[-1]))
        if self.unexpected:
            print("good requests answered 4xx (not a failure, but look): " + ", ".join(
                "%s %s %s: %d" % (k[0], k[1], k[2], v) for k, v in sorted(self.unexpected.items())))
        if soak_errors:
            print("errors in the soak script itself: %s" % soak_errors)
        print("checks:")
        ok = True
        for name, passed, detail in checks:
            ok &= bool(passed)
            print("  [%s] %s  (%s)" % ("PASS" if passed else "FAIL", name, detail))
        if a.json:
            with open(a.json, "w") as f:
                json.dump({"status": {str(k): v for k, v in self.status.items()},
                           "server_status": dict(server_status),
                           "by_op": {"%s %s" % k: v for k, v in self.by_op.items()},
                           "samples": self.samples, "checks": [[n, bool(p), d] for n, p, d in checks],
                           "start": start, "warm": base, "loaded": loaded, "settled": final}, f, indent=1)
        print("soak: %s" % ("PASS" if ok else "FAIL"))
        return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True, help="server base URL (loopback only)")
    p.add_argument("--pid", type=int, required=True, help="the server's process id (for /proc)")
    p.add_argument("--seconds", type=int, default=1800, help="length of the load (default 1800)")
    p.add_argument("--clients", type=int, default=3)
    p.add_argument("--size", type=int, default=64, help="side of the test images (px)")
    p.add_argument("--warmup", type=float, default=0.1, help="fraction of the run before the baseline")
    p.add_argument("--min-warmup", type=float, default=90.0, help="shortest warm-up in seconds (short runs)")
    p.add_argument("--sample-every", type=float, default=15.0, help="seconds between process samples")
    p.add_argument("--request-timeout", type=float, default=180.0, help="client socket timeout (s)")
    p.add_argument("--max-backoff", type=float, default=2.0, help="longest wait after a 503 (s)")
    p.add_argument("--think", type=float, default=0.3, help="longest pause between a client's requests (s)")
    p.add_argument("--max-steps", type=int, default=100000, help="most requests per client")
    p.add_argument("--first-burst", type=int, default=6, help="threads that ask for the same model at start")
    p.add_argument("--settle", type=float, default=120.0, help="seconds to wait for fds/threads to come back")
    p.add_argument("--rss-factor", type=float, default=1.2)
    p.add_argument("--fd-tolerance", type=int, default=0)
    p.add_argument("--thread-tolerance", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", help="write the figures to this file")
    sys.exit(Soak(p.parse_args()).run())


if __name__ == "__main__":
    main()
