import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.imageio.ImageIO;

/**
 * Load test for the Retouch HTTP service: N concurrent clients POST /v1/restore for T seconds and
 * the program reports throughput, latency percentiles, status counts, whether every non-200 was a
 * 503 with Retry-After, and the server's resident memory (VmRSS from /proc/PID/status) after the
 * first 100 responses and at the end. JDK only: run it as a single-file program,
 *
 * <pre>
 *   java bench/load/LoadTest.java --url http://127.0.0.1:8080 --clients 8 --seconds 60 --size 256 --pid SERVER_PID
 * </pre>
 *
 * or let bench/load/run.sh start the server, run this and stop the server. A client that gets a 503
 * waits for its Retry-After (at most --max-backoff seconds) before the next request, as a polite
 * client would. Exit status 0 when the acceptance checks hold (no 500s, every non-200 is a 503 with
 * Retry-After, RSS at end within 1.3x of RSS after 100 requests), 1 otherwise.
 */
public final class LoadTest {
    static String url = "http://127.0.0.1:8080";
    static int clients = 8;
    static int seconds = 60;
    static int size = 256;
    static double sigma = 25;
    static String task = "denoise";
    static String model = "denoise-gray";
    static String image;
    static long pid = -1;
    static double maxBackoff = 1.0;
    static String json;

    record Sample(long startNanos, long nanos, int status, boolean retryAfter) {}

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--url" -> { url = v; i++; }
                case "--clients" -> { clients = Integer.parseInt(v); i++; }
                case "--seconds" -> { seconds = Integer.parseInt(v); i++; }
                case "--size" -> { size = Integer.parseInt(v); i++; }
                case "--sigma" -> { sigma = Double.parseDouble(v); i++; }
                case "--task" -> { task = v; i++; }
                case "--model" -> { model = v; i++; }
                case "--image" -> { image = v; i++; }
                case "--pid" -> { pid = Long.parseLong(v); i++; }
                case "--max-backoff" -> { maxBackoff = Double.parseDouble(v); i++; }
                case "--json" -> { json = v; i++; }
                case "-h", "--help" -> { usage(); return; }
                default -> { System.err.println("unknown argument " + a); usage(); System.exit(2); }
            }
        }
        byte[] png = image != null ? Files.readAllBytes(Path.of(image)) : noisyCamera(size, sigma);
        String boundary = "----retouch-load-" + Long.toHexString(System.nanoTime());
        byte[] body = multipart(boundary, png);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        // One request first, untimed: loads the model so the timed run measures serving.
        HttpResponse<byte[]> warm = http.send(request(boundary, body), HttpResponse.BodyHandlers.ofByteArray());
        if (warm.statusCode() != 200) {
            System.err.println("warm-up request failed: " + warm.statusCode() + " " + new String(warm.body(), StandardCharsets.UTF_8));
            System.exit(1);
        }

        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        AtomicLong rssAfter100 = new AtomicLong(-1);
        long rssStart = rssKb();
        List<long[]> rssTrace = Collections.synchronizedList(new ArrayList<>());
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        CountDownLatch finished = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long s = System.nanoTime();
                        int status;
                        boolean retry = false;
                        double backoff = 0;
                        try {
                            HttpResponse<byte[]> r = http.send(request(boundary, body), HttpResponse.BodyHandlers.ofByteArray());
                            status = r.statusCode();
                            var ra = r.headers().firstValue("Retry-After");
                            retry = ra.isPresent();
                            if (retry) backoff = Math.min(maxBackoff, Double.parseDouble(ra.get()));
                        } catch (IOException e) {
                            status = -1;
                            errors.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(), k -> new LongAdder()).increment();
                        }
                        samples.add(new Sample(s - t0, System.nanoTime() - s, status, retry));
                        if (done.incrementAndGet() == 100) rssAfter100.set(rssKb());
                        if (backoff > 0) Thread.sleep((long) (backoff * 1000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finished.countDown();
                }
            }, "client-" + c);
            t.start();
        }
        while (!finished.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
            rssTrace.add(new long[] {(System.nanoTime() - t0) / 1_000_000_000L, rssKb(), done.get()});
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long rssEnd = rssKb();
        report(samples, wall, rssStart, rssAfter100.get(), rssEnd, rssTrace, errors);
    }

    static void usage() {
        System.out.println("java bench/load/LoadTest.java [--url URL] [--clients N] [--seconds T] [--size 256|512] [--sigma 25]"
                + " [--task denoise] [--model denoise-gray] [--image FILE] [--pid SERVER_PID] [--max-backoff S] [--json OUT]");
    }

    static HttpRequest request(String boundary, byte[] body) {
        return HttpRequest.newBuilder(URI.create(url + "/v1/restore")).timeout(Duration.ofSeconds(300))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    static byte[] multipart(String boundary, byte[] png) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"load.png\"\r\nContent-Type: image/png\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(png);
        StringBuilder sb = new StringBuilder("\r\n");
        field(sb, boundary, "task", task);
        if (model != null && !model.isBlank()) field(sb, boundary, "model", model);
        field(sb, boundary, "sigma", "auto");
        sb.append("--").append(boundary).append("--\r\n");
        out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static void field(StringBuilder sb, String boundary, String name, String value) {
        sb.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n").append(value).append("\r\n");
    }

    /** The centre size x size of samples/camera.png with σ Gaussian noise (seed 1), as an 8-bit gray PNG. */
    static byte[] noisyCamera(int size, double sigma) throws IOException {
        File f = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("samples/camera.png"))) { f = p.resolve("samples/camera.png").toFile(); break; }
        }
        if (f == null) throw new IOException("samples/camera.png not found above " + Path.of("").toAbsolutePath() + "; give --image FILE");
        BufferedImage cam = ImageIO.read(f);
        int x0 = (cam.getWidth() - size) / 2, y0 = (cam.getHeight() - size) / 2;
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        Random rng = new Random(1);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = cam.getRaster().getSample(x0 + x, y0 + y, 0);
                int n = (int) Math.round(v + sigma * rng.nextGaussian());
                out.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, n)));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return bytes.toByteArray();
    }

    static long rssKb() {
        if (pid <= 0) return -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static double pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }

    static void report(List<Sample> samples, double wall, long rssStart, long rss100, long rssEnd, List<long[]> trace, Map<String, LongAdder> errors)
            throws IOException {
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Long> ok = new ArrayList<>(), all = new ArrayList<>();
        int non200 = 0, non200Good = 0;
        for (Sample s : samples) {
            statuses.merge(s.status(), 1, Integer::sum);
            all.add(s.nanos());
            if (s.status() == 200) {
                ok.add(s.nanos());
            } else {
                non200++;
                if (s.status() == 503 && s.retryAfter()) non200Good++;
            }
        }
        Collections.sort(ok);
        Collections.sort(all);
        int n500 = statuses.getOrDefault(500, 0);
        double ratio = rss100 > 0 && rssEnd > 0 ? (double) rssEnd / rss100 : Double.NaN;
        boolean pass = n500 == 0 && non200 == non200Good && (Double.isNaN(ratio) || ratio <= 1.3);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Retouch HTTP load test, %s%n", Instant.now()));
        sb.append(String.format(Locale.ROOT, "target %s/v1/restore, task %s, model %s, %s, %d clients x %d s (wall %.1f s)%n",
                url, task, model, image != null ? image : size + "x" + size + " camera + sigma " + sigma + " noise", clients, seconds, wall));
        sb.append(String.format(Locale.ROOT, "requests: %d total, %.2f/s; 200: %d, %.2f/s (%.1f images/min)%n",
                samples.size(), samples.size() / wall, ok.size(), ok.size() / wall, ok.size() / wall * 60));
        sb.append("status counts: ").append(statuses).append('\n');
        sb.append(String.format(Locale.ROOT, "latency of 200s, ms: p50 %.0f  p95 %.0f  p99 %.0f  max %.0f%n",
                pct(ok, 50), pct(ok, 95), pct(ok, 99), pct(ok, 100)));
        sb.append(String.format(Locale.ROOT, "latency of all,  ms: p50 %.0f  p95 %.0f  p99 %.0f  max %.0f%n",
                pct(all, 50), pct(all, 95), pct(all, 99), pct(all, 100)));
        sb.append(String.format(Locale.ROOT, "non-200: %d, of which 503 with Retry-After: %d; 500s: %d%n", non200, non200Good, n500));
        if (!errors.isEmpty()) sb.append("client-side errors: ").append(errors).append('\n');
        sb.append(String.format(Locale.ROOT, "server RSS (MB): before %.0f, after first 100 requests %.0f, at end %.0f; end/after-100 = %.3f%n",
                rssStart / 1024.0, rss100 / 1024.0, rssEnd / 1024.0, ratio));
        StringBuilder tr = new StringBuilder();
        for (long[] t : trace) tr.append(String.format(Locale.ROOT, " %ds:%.0f", t[0], t[1] / 1024.0));
        sb.append("RSS trace (MB):").append(tr).append('\n');
        sb.append("checks: ").append(pass ? "PASS" : "FAIL").append(" (no 500s; every non-200 is a 503 with Retry-After; RSS end <= 1.3 x after-100)\n");
        System.out.print(sb);
        if (json != null) {
            String j = String.format(Locale.ROOT,
                    "{\"clients\":%d,\"seconds\":%d,\"requests\":%d,\"ok\":%d,\"ok_per_s\":%.3f,\"p50_ms\":%.1f,\"p95_ms\":%.1f,\"p99_ms\":%.1f,"
                            + "\"statuses\":\"%s\",\"non200\":%d,\"non200_503_retry_after\":%d,\"rss_after_100_kb\":%d,\"rss_end_kb\":%d,\"rss_ratio\":%.4f,\"pass\":%b}%n",
                    clients, seconds, samples.size(), ok.size(), ok.size() / wall, pct(ok, 50), pct(ok, 95), pct(ok, 99), statuses, non200, non200Good,
                    rss100, rssEnd, ratio, pass);
            Files.writeString(Path.of(json), j);
        }
        System.exit(pass ? 0 : 1);
    }
}
