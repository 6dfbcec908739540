package retouch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import retouch.image.Image;
import retouch.image.ImageFiles;

/**
 * The input corpus (retouch-core/src/test/resources/corpus, see retouch.image.Corpus) through
 * {@code POST /v1/restore} with the shipped denoisers: unusual but valid uploads come back upright
 * and at their size; bad ones get a 4xx JSON error naming the upload, never a 500 or a stack
 * trace, and the next good request still succeeds. Also the health endpoints.
 */
class CorpusHttpTest {
    static final Path CORPUS = Path.of("..", "retouch-core", "src", "test", "resources", "corpus").toAbsolutePath().normalize();

    @RegisterExtension
    static final RunningServer server = new RunningServer(ServerConfig.defaults().withMaxPixels(4_000_000).withTimeout(Duration.ofSeconds(120)));

    static List<String[]> manifest() throws IOException {
        return Files.readAllLines(CORPUS.resolve("MANIFEST.tsv")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.split("\t")).toList();
    }

    static Stream<Arguments> bad() throws IOException {
        return manifest().stream().filter(a -> a[1].equals("refuse")).map(a -> Arguments.of(a[0]));
    }

    static Stream<Arguments> good() throws IOException {
        return manifest().stream().filter(a -> a[1].equals("ok")).map(a -> Arguments.of(a[0], a[2]));
    }

    private static HttpResponse<byte[]> restore(String filename, byte[] bytes, String... fields) throws Exception {
        return server.restore(new Http.Form().file("image", filename, "application/octet-stream", bytes).fields(fields));
    }

    private static void assertRefused(HttpResponse<byte[]> r, String name) throws IOException {
        String body = Http.text(r);
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.statusCode() + " " + body);
        JsonNode j = Http.json(r);
        String m = j.path("message").asText();
        assertFalse(j.path("error").asText().isEmpty(), body);
        if (name != null) assertTrue(m.contains(name), "message should name " + name + ": " + m);
        assertFalse(m.contains("\n") || m.contains("Exception") || m.contains("\tat ") || m.contains("/tmp/"), "one clean line: " + m);
    }

    private static void goodStillWorks() throws Exception {
        HttpResponse<byte[]> r = restore("ok.jpg", Files.readAllBytes(CORPUS.resolve("good/exif-6.jpg")), "method", "median");
        assertEquals(200, r.statusCode(), Http.text(r));
        assertUpright(r.body(), 48, 32, true, "after a bad request");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badUploadIsA4xxNamingIt(String file) throws Exception {
        String name = Path.of(file).getFileName().toString();
        assertRefused(restore(name, Files.readAllBytes(CORPUS.resolve(file)), "task", "denoise", "method", "median"), name);
        goodStillWorks();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("good")
    void goodUploadComesBackUpright(String file, String detail) throws Exception {
        String name = Path.of(file).getFileName().toString();
        HttpResponse<byte[]> r = restore(name, Files.readAllBytes(CORPUS.resolve(file)), "task", "denoise");
        assertEquals(200, r.statusCode(), Http.text(r));
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        String[] d = detail.split(" ");
        String[] wh = d[0].split("x");
        assertUpright(r.body(), Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), d.length > 1, file);
    }

    @Test
    void headersSayHowTheUploadWasRead() throws Exception {
        HttpResponse<byte[]> r = restore("pages.tif", Files.readAllBytes(CORPUS.resolve("good/two-pages.tif")), "method", "median");
        assertEquals(200, r.statusCode(), Http.text(r));
        assertEquals("TIFF with 2 pages: the first page was used", r.headers().firstValue("X-Retouch-Input-Note").orElse(""));
        r = restore("phone.jpg", Files.readAllBytes(CORPUS.resolve("good/exif-6.jpg")), "method", "median");
        assertEquals("6", r.headers().firstValue("X-Retouch-Orientation").orElse(""));
        assertUpright(r.body(), 48, 32, true, "exif-6.jpg");
    }

    @ParameterizedTest(name = "{0}x{0}")
    @ValueSource(ints = {1, 5})
    void tinyImagesGetA400OrAResultNeverA500(int side) throws Exception {
        Path tmp = Files.createTempFile("tiny", ".png");
        try {
            ImageFiles.writePng(Image.filled(3, side, side, 0.5f), tmp);
            byte[] png = Files.readAllBytes(tmp);
            HttpResponse<byte[]> r = restore("tiny.png", png, "task", "denoise");
            assertEquals(400, r.statusCode(), Http.text(r));
            assertTrue(Http.json(r).path("message").asText().contains("sigma"), Http.text(r));
            assertTrue(Http.json(r).path("message").asText().startsWith("image upload 'tiny.png': image is " + side + "x" + side), Http.text(r));
            r = restore("tiny.png", png, "task", "denoise", "sigma", "15");
            assertEquals(200, r.statusCode(), Http.text(r));
            assertUpright(r.body(), side, side, false, "tiny");
            for (String method : List.of("nlm", "median")) {
                r = restore("tiny.png", png, "task", "denoise", "method", method);
                assertTrue(r.statusCode() == 200 || r.statusCode() == 400, method + ": " + Http.text(r));
            }
            goodStillWorks();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @ParameterizedTest(name = "sigma={0}")
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "-1", "256", "1e308", "abc"})
    void badSigmaIsA400(String sigma) throws Exception {
        HttpResponse<byte[]> r = restore("ok.jpg", Files.readAllBytes(CORPUS.resolve("good/exif-1.jpg")), "task", "denoise", "sigma", sigma);
        assertEquals(400, r.statusCode(), Http.text(r));
        assertRefused(r, null);
        assertTrue(Http.json(r).path("message").asText().contains("sigma"), Http.text(r));
    }

    @Test
    void badMasksAre4xx() throws Exception {
        byte[] photo = Files.readAllBytes(CORPUS.resolve("good/exif-1.jpg"));
        Path allHole = Files.createTempFile("hole", ".png");
        try {
            ImageFiles.writePng(Image.filled(1, 32, 48, 1f), allHole);
            Http.Form f = new Http.Form().file("image", "photo.jpg", "image/jpeg", photo)
                    .file("mask", "hole.png", "image/png", Files.readAllBytes(allHole)).field("task", "inpaint");
            assertRefused(server.restore(f), null);
            f = new Http.Form().file("image", "photo.jpg", "image/jpeg", photo)
                    .file("mask", "mask.png", "image/png", "not a mask".getBytes()).field("task", "inpaint");
            assertRefused(server.restore(f), "mask.png");
            // exif-6.jpg is stored 32 wide and 48 high and shown 48 wide: a mask of the stored shape is refused,
            // one of the shown shape fills the hole
            byte[] turned = Files.readAllBytes(CORPUS.resolve("good/exif-6.jpg"));
            ImageFiles.writePng(retouch.degrade.Masks.centerBox(48, 32, 0.4), allHole);
            f = new Http.Form().file("image", "turned.jpg", "image/jpeg", turned)
                    .file("mask", "stored.png", "image/png", Files.readAllBytes(allHole)).field("task", "inpaint");
            assertRefused(server.restore(f), "EXIF orientation");
            ImageFiles.writePng(retouch.degrade.Masks.centerBox(32, 48, 0.4), allHole);
            f = new Http.Form().file("image", "turned.jpg", "image/jpeg", turned)
                    .file("mask", "shown.png", "image/png", Files.readAllBytes(allHole)).field("task", "inpaint");
            HttpResponse<byte[]> ok = server.restore(f);
            assertEquals(200, ok.statusCode(), Http.text(ok));
            goodStillWorks();
        } finally {
            Files.deleteIfExists(allHole);
        }
    }

    @Test
    void livenessAndReadinessAreSeparate() throws Exception {
        for (String path : List.of("/health/live", "/livez")) {
            HttpResponse<byte[]> r = Http.get(server.url() + path);
            assertEquals(200, r.statusCode(), path);
            assertEquals("alive", Http.json(r).path("status").asText());
        }
        for (String path : List.of("/health/ready", "/readyz", "/health")) {
            HttpResponse<byte[]> r = Http.get(server.url() + path);
            assertEquals(200, r.statusCode(), path + " " + Http.text(r));
            JsonNode j = Http.json(r);
            assertEquals("ok", j.path("status").asText());
            assertTrue(j.path("ready").asBoolean());
            assertTrue(j.path("models").path("readable").asInt() > 0, j.toString());
        }
    }

    static void assertUpright(byte[] png, int w, int h, boolean mark, String what) throws IOException {
        Image g = Fixtures.decode(png).toGray();
        assertEquals(w + "x" + h, g.width() + "x" + g.height(), what + " size");
        if (!mark) return;
        double tl = mean(g, 0, 0, w / 4, h / 4), br = mean(g, h - h / 4, w - w / 4, w / 4, h / 4);
        double tr = mean(g, 0, w - w / 4, w / 4, h / 4), bl = mean(g, h - h / 4, 0, w / 4, h / 4);
        assertTrue(tl > 0.7 && br < 0.45 && tr < 0.45 && bl < 0.45,
                what + ": bright block expected top-left; corner means tl " + tl + " tr " + tr + " bl " + bl + " br " + br);
    }

    private static double mean(Image g, int y0, int x0, int w, int h) {
        double s = 0;
        for (int y = y0; y < y0 + h; y++) for (int x = x0; x < x0 + w; x++) s += g.get(0, y, x);
        return s / (w * h);
    }
}
