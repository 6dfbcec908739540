package retouch.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target for the multipart upload path: the fuzzed bytes are the body of a
 * {@code multipart/form-data} POST (boundary {@value #BOUNDARY}) sent over loopback to a Jetty server
 * whose handler does what {@code POST /v1/restore} does before the work queue: {@link Multipart#parse},
 * the field parsers of {@link RestoreEndpoint}, {@link Uploads#probe} and {@link Uploads#read} of every
 * uploaded file. Bad bodies must end in an {@link ApiException} (a 4xx/413/415 answer); any other
 * exception in the handler is rethrown here as the finding, and every upload's temporary file must
 * be gone after the request.
 *
 * <p>Seeds: {@code src/test/resources/retouch/server/MultipartFuzzTestInputs/upload/} (raw bodies).
 */
class MultipartFuzzTest {
    static final String BOUNDARY = "fuzzBoundary";
    private static final long MAX_BYTES = 1 << 20;
    private static final long MAX_PIXELS = 1 << 18;
    private static final AtomicReference<Throwable> FAILURE = new AtomicReference<>();
    private static Path tmp;
    private static Javalin app;

    @BeforeAll
    static void start() throws IOException {
        tmp = Files.createTempDirectory("retouch-fuzz-multipart-");
        app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = MAX_BYTES;
        }).post("/upload", ctx -> {
            try (Multipart form = Multipart.parse(ctx, tmp, MAX_BYTES)) {
                String task = RestoreEndpoint.parseTask(form.field("task"));
                RestoreEndpoint.parseSigma(form.field("sigma"));
                RestoreEndpoint.parseBlur(form.field("blur"), task);
                form.field("model");
                Multipart.Upload image = form.requireFile("image", "attach an image");
                Uploads.probe(image, MAX_PIXELS);
                Uploads.read(image, MAX_PIXELS, 1f);
                Multipart.Upload mask = form.file("mask");
                if (mask != null) {
                    Uploads.probe(mask, MAX_PIXELS);
                    Uploads.read(mask, MAX_PIXELS, 0f);
                }
                ctx.result("ok");
            } catch (ApiException e) {
                ctx.status(e.status()).result(e.code());
            } catch (Throwable t) {
                FAILURE.compareAndSet(null, t);
                ctx.status(500).result("unexpected " + t);
            }
        }).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws IOException {
        if (app != null) app.stop();
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest(maxDuration = "5m")
    void upload(byte[] body) throws Throwable {
        FAILURE.set(null);
        int status;
        // the test's own connection to its loopback server, not a request the input steers (Jazzer's SSRF detector)
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections(
                (host, port) -> port == app.port() && (host.equals("localhost") || host.equals("127.0.0.1")))) {
            status = post(body);
        }
        Throwable t = FAILURE.getAndSet(null);
        if (t != null) throw t;
        assertTrue(status == 200 || (status >= 400 && status < 500), "status " + status);
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("upload-")), "an upload's temporary file was left behind");
        }
    }

    /** Sends the body raw (no client-side checks) and returns the status code. */
    private static int post(byte[] body) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
                    + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') head.write(c);
            String line = head.toString(StandardCharsets.US_ASCII);
            String[] parts = line.split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("no HTTP answer: '" + line + "'");
            return Integer.parseInt(parts[1]);
        }
    }
}
