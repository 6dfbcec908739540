package retouch.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Request counters and latency histograms in the Prometheus text format (version 0.0.4), written
 * by hand: a handful of series does not need a metrics library.
 */
final class ServerMetrics {
    /** Histogram bucket upper bounds, seconds. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

    private record Key(String route, String method, String status) {}

    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
        final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
        }

        void observe(double seconds) {
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) i++;
            counts[i].increment();
            sum.add(seconds);
        }
    }

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();
    private final long startNanos = System.nanoTime();

    void record(String route, String method, int status, double seconds) {
        requests.computeIfAbsent(new Key(route, method, Integer.toString(status)), k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, k -> new Histogram()).observe(seconds);
    }

    void error(String code) {
        errors.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    long requestCount(String route, int status) {
        long n = 0;
        for (var e : requests.entrySet()) {
            if (e.getKey().route.equals(route) && e.getKey().status.equals(Integer.toString(status))) n += e.getValue().sum();
        }
        return n;
    }

    String render(WorkQueue queue, IntSupplier modelsLoaded) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("# HELP retouch_http_requests_total HTTP requests by route, method and status.\n");
        sb.append("# TYPE retouch_http_requests_total counter\n");
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put("{route=\"" + k.route + "\",method=\"" + k.method + "\",status=\"" + k.status + "\"}", v.sum()));
        sorted.forEach((labels, v) -> sb.append("retouch_http_requests_total").append(labels).append(' ').append(v).append('\n'));

        sb.append("# HELP retouch_http_request_duration_seconds Time from request to response, by route.\n");
        sb.append("# TYPE retouch_http_request_duration_seconds histogram\n");
        new TreeMap<>(latency).forEach((route, h) -> {
            long cum = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cum += h.counts[i].sum();
                String le = i < BUCKETS.length ? num(BUCKETS[i]) : "+Inf";
                sb.append("retouch_http_request_duration_seconds_bucket{route=\"").append(route).append("\",le=\"").append(le).append("\"} ")
                        .append(cum).append('\n');
            }
            sb.append("retouch_http_request_duration_seconds_sum{route=\"").append(route).append("\"} ").append(num(h.sum.sum())).append('\n');
            sb.append("retouch_http_request_duration_seconds_count{route=\"").append(route).append("\"} ").append(cum).append('\n');
        });

        sb.append("# HELP retouch_errors_total Error responses by error code.\n");
        sb.append("# TYPE retouch_errors_total counter\n");
        new TreeMap<>(errors).forEach((code, v) -> sb.append("retouch_errors_total{code=\"").append(code).append("\"} ").append(v.sum()).append('\n'));

        gauge(sb, "retouch_queue_depth", "Requests waiting for a worker.", queue.waiting());
        gauge(sb, "retouch_queue_capacity", "Waiting places; beyond them requests get 503.", queue.capacity());
        gauge(sb, "retouch_work_running", "Requests being worked on.", queue.running());
        gauge(sb, "retouch_workers", "Worker threads.", queue.workers());
        gauge(sb, "retouch_http_in_flight", "HTTP API requests being served.", inFlight.get());
        gauge(sb, "retouch_models_loaded", "Models loaded and cached.", modelsLoaded.getAsInt());
        long rss = residentBytes();
        if (rss >= 0) gauge(sb, "retouch_process_resident_memory_bytes", "Resident set size of the server process.", rss);
        sb.append("# HELP retouch_uptime_seconds Seconds since the server started.\n# TYPE retouch_uptime_seconds gauge\n");
        sb.append("retouch_uptime_seconds ").append(num((System.nanoTime() - startNanos) / 1e9)).append('\n');
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append(' ').append(v).append('\n');
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    /** VmRSS of this process from /proc (Linux), or -1. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
