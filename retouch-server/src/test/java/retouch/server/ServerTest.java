package retouch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;

/** The endpoints, limits and lifecycle of the server, against a fake generator where work must be slow. */
class ServerTest {

    @TempDir Path models;

    /** Tests that limit the catalog to their own models folder set this; the next test starts without it. */
    @AfterEach
    void catalogSeesEveryFolderAgain() {
        System.clearProperty(ModelCatalog.ONLY_PROPERTY);
    }

    private RetouchServer start(ServerConfig c, long generatorDelayMillis) throws Exception {
        Fixtures.writeFakeGeneratorModel(models, "bars");
        return RetouchServer.start(c.withPort(0).withModelsDir(models),
                path -> new Fixtures.FakeGenerator(ModelFile.readMeta(Path.of(path)), generatorDelayMillis));
    }

    @Test
    void infoEndpoints() throws Exception {
        try (RetouchServer s = start(ServerConfig.defaults(), 0)) {
            String u = s.url();
            JsonNode h = Http.json(Http.get(u + "/health"));
            assertEquals("ok", h.path("status").asText());

            JsonNode m = Http.json(Http.get(u + "/v1/models"));
            JsonNode denoise = null, bars = null;
            for (JsonNode e : m.path("models")) {
                if (e.path("name").asText().equals("denoise-gray")) denoise = e;
                if (e.path("name").asText().equals("bars")) bars = e;
            }
            assertTrue(denoise != null && bars != null, m.toString());
            assertEquals("denoise", denoise.path("tasks").get(0).asText());
            assertTrue(denoise.path("metrics").has("set12_sigma25_psnr"), "metrics from model.json");
            assertEquals(3, bars.path("labels").size());
            assertTrue(m.path("tasks").path("denoise").path("available").asBoolean());
            // The repository ships inpaint-gray: it is the default for photos (not inpaint-fmnist).
            assertEquals("model", m.path("tasks").path("inpaint").path("kind").asText());
            assertEquals("inpaint-gray", m.path("tasks").path("inpaint").path("method").asText());
            for (String task : retouch.nn.task.RestorationTasks.ids()) assertTrue(m.path("tasks").has(task), "GET /v1/models lists " + task);
            assertTrue(m.path("tasks").path("generate").path("available").asBoolean());

            JsonNode api = Http.json(Http.get(u + "/openapi.json"));
            assertTrue(api.path("openapi").asText().startsWith("3."));
            assertTrue(api.path("paths").has("/v1/restore"));

            HttpResponse<byte[]> page = Http.get(u + "/");
            assertEquals(200, page.statusCode());
            assertTrue(Http.text(page).contains("<canvas id=\"mask-canvas\""));
            assertEquals(200, Http.get(u + "/app.js").statusCode());

            String metrics = Http.text(Http.get(u + "/metrics"));
            assertTrue(metrics.contains("retouch_http_requests_total{route=\"/v1/models\",method=\"GET\",status=\"200\"} 1"), metrics);
            assertTrue(metrics.contains("retouch_http_request_duration_seconds_bucket{route=\"/health\",le=\"+Inf\"} 1"), metrics);
            assertTrue(metrics.contains("retouch_queue_depth 0"), metrics);
            assertTrue(metrics.contains("# TYPE retouch_errors_total counter"), metrics);
        }
    }

    @Test
    void generateSamplesAtTheModelsOwnTemperatureUnlessAsked() throws Exception {
        Fixtures.writeFakeGeneratorModel(models, "bars");
        ModelMeta warm = ModelMeta.builder("fake-bars").name("warm").tasks("generate").channels(1, 1)
                .labels(List.of("one", "two", "three")).hyper("sample_temperature", 1.3).build();
        java.nio.file.Files.createDirectories(models.resolve("warm"));
        java.nio.file.Files.write(models.resolve("warm").resolve(ModelFile.META_FILE), ModelFile.json().writeValueAsBytes(warm));
        java.util.Map<String, Fixtures.FakeGenerator> made = new java.util.concurrent.ConcurrentHashMap<>();
        try (RetouchServer s = RetouchServer.start(ServerConfig.defaults().withPort(0).withModelsDir(models), path -> {
            Fixtures.FakeGenerator g = new Fixtures.FakeGenerator(ModelFile.readMeta(Path.of(path)), 0);
            made.put(g.meta().name(), g);
            return g;
        })) {
            assertEquals(200, Http.get(s.url() + "/v1/generate?model=warm&n=1&seed=1").statusCode());
            assertEquals(1.3f, made.get("warm").lastTemperature, 1e-6, "no temperature asked: the model's sample_temperature, as the CLI does");
            assertEquals(200, Http.get(s.url() + "/v1/generate?model=warm&n=1&seed=1&temperature=0.7").statusCode());
            assertEquals(0.7f, made.get("warm").lastTemperature, 1e-6);
            assertEquals(200, Http.get(s.url() + "/v1/generate?model=bars&n=1&seed=1").statusCode());
            assertEquals(1f, made.get("bars").lastTemperature, 1e-6, "a model without sample_temperature samples at 1");
        }
    }

    @Test
    void generatePngAndJson() throws Exception {
        try (RetouchServer s = start(ServerConfig.defaults(), 0)) {
            HttpResponse<byte[]> r = Http.get(s.url() + "/v1/generate?model=bars&label=two&n=9&seed=5");
            assertEquals(200, r.statusCode(), Http.text(r));
            assertEquals("5", r.headers().firstValue("X-Retouch-Seed").orElse(""));
            Image grid = Fixtures.decode(r.body());
            assertEquals(3 * 16 + 4 * 2, grid.width(), "3 columns of 16 px with 2 px gutters");

            HttpResponse<byte[]> again = Http.get(s.url() + "/v1/generate?model=bars&label=two&n=9&seed=5");
            assertTrue(java.util.Arrays.equals(r.body(), again.body()), "same seed, same picture");

            HttpResponse<byte[]> j = Http.post(s.url() + "/v1/generate", "application/x-www-form-urlencoded",
                    "label=1&n=3&seed=7&format=json".getBytes());
            assertEquals(200, j.statusCode(), Http.text(j));
            JsonNode body = Http.json(j);
            assertEquals("bars", body.path("model").asText());
            assertEquals("two", body.path("label").asText());
            assertEquals(3, body.path("images").size());
            Image first = Fixtures.decode(Base64.getDecoder().decode(body.path("images").get(0).asText()));
            assertEquals(16, first.width());
            double sum = 0;
            for (float v : first.data()) sum += v;
            assertEquals(2 * 12, sum, 1e-3, "label 'two' draws two bars of 12 px");
        }
    }

    @Test
    void fullQueueGets503WithRetryAfter() throws Exception {
        try (RetouchServer s = start(ServerConfig.defaults().withWorkers(1).withQueueCapacity(1), 700)) {
            ExecutorService clients = Executors.newFixedThreadPool(5);
            List<Future<HttpResponse<byte[]>>> fs = new ArrayList<>();
            for (int i = 0; i < 5; i++) fs.add(clients.submit(() -> Http.get(s.url() + "/v1/generate?model=bars&n=1&seed=1")));
            int ok = 0, busy = 0;
            for (Future<HttpResponse<byte[]>> f : fs) {
                HttpResponse<byte[]> r = f.get();
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertEquals(503, r.statusCode(), Http.text(r));
                    assertEquals("busy", Http.json(r).path("error").asText());
                    assertTrue(Integer.parseInt(r.headers().firstValue("Retry-After").orElse("0")) >= 1, "Retry-After");
                    busy++;
                }
            }
            clients.shutdown();
            assertTrue(ok >= 1 && ok <= 2 + 1, "one running and one waiting (plus one that may slip in after): " + ok);
            assertTrue(busy >= 2, "the rest are refused: " + busy);
            assertTrue(Http.text(Http.get(s.url() + "/metrics")).contains("retouch_errors_total{code=\"busy\"}"));
        }
    }

    @Test
    void slowRequestTimesOut() throws Exception {
        try (RetouchServer s = start(ServerConfig.defaults().withTimeout(Duration.ofMillis(300)), 1500)) {
            HttpResponse<byte[]> r = Http.get(s.url() + "/v1/generate?model=bars&n=1");
            assertEquals(503, r.statusCode());
            assertEquals("timeout", Http.json(r).path("error").asText());
            assertTrue(r.headers().firstValue("Retry-After").isPresent());
        }
    }

    @Test
    void shutdownFinishesRequestsInFlight() throws Exception {
        RetouchServer s = start(ServerConfig.defaults().withShutdownGrace(Duration.ofSeconds(20)), 1500);
        String u = s.url();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<HttpResponse<byte[]>> slow = pool.submit(() -> Http.get(u + "/v1/generate?model=bars&n=1"));
        Thread.sleep(400); // the request is being worked on
        long t0 = System.nanoTime();
        Future<?> closing = pool.submit(s::close);
        Thread.sleep(200);
        // new API work is refused while draining (or the port is already closed)
        try {
            HttpResponse<byte[]> late = Http.get(u + "/v1/generate?model=bars&n=1");
            assertEquals(503, late.statusCode());
            assertEquals("shutting_down", Http.json(late).path("error").asText());
        } catch (java.io.IOException refused) {
            // connection refused: also fine
        }
        HttpResponse<byte[]> r = slow.get();
        assertEquals(200, r.statusCode(), "the request in flight finished: " + Http.text(r));
        closing.get();
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "close did not wait for the whole grace period");
        pool.shutdown();
    }

    /** POST /v1/restore with task=inpaint: {@code image} and its {@code mask} (1 = hole) as PNG uploads. */
    private static HttpResponse<byte[]> inpaint(RetouchServer s, Image image, Image mask) throws Exception {
        return Http.post(s.url() + "/v1/restore", new Http.Form()
                .file("image", "d.png", "image/png", Fixtures.png(image)).field("task", "inpaint")
                .file("mask", "m.png", "image/png", Fixtures.png(mask)));
    }

    @Test
    void inpaintingFallsBackToTeleaInsideTheMaskOnly() throws Exception {
        // Only this test's folder: the repository's own inpainting models must not be picked.
        System.setProperty(ModelCatalog.ONLY_PROPERTY, "true");
        try (RetouchServer s = start(ServerConfig.defaults(), 0)) {
            Image im = Fixtures.pattern(64, 48);
            Image mask = new Image(1, 48, 64);
            for (int y = 20; y < 28; y++) for (int x = 10; x < 50; x++) mask.set(0, y, x, 1f);
            Image damaged = im.copy();
            for (int y = 20; y < 28; y++) for (int x = 10; x < 50; x++) damaged.set(0, y, x, 1f);
            HttpResponse<byte[]> r = inpaint(s, damaged, mask);
            assertEquals(200, r.statusCode(), Http.text(r));
            assertEquals("telea", r.headers().firstValue("X-Retouch-Method").orElse(""));
            assertEquals("classical", r.headers().firstValue("X-Retouch-Method-Kind").orElse(""));
            assertTrue(r.headers().firstValue("X-Retouch-Note").orElse("").contains("Telea"));
            Image out = Fixtures.decode(r.body());
            Image in8 = damaged.quantize8();
            int changedInside = 0;
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    boolean hole = mask.get(0, y, x) > 0.5f;
                    if (!hole) assertEquals(in8.get(0, y, x), out.get(0, y, x), 1e-6, "unchanged outside the mask at " + x + "," + y);
                    else if (Math.abs(in8.get(0, y, x) - out.get(0, y, x)) > 1e-6) changedInside++;
                }
            }
            assertTrue(changedInside > 200, "the hole was filled: " + changedInside);
            assertTrue(Psnr.of(im, out) > Psnr.of(im, damaged) + 3, "filled closer to the original");
        }
    }

    @Test
    void inpaintingUsesAnInstalledModelAndKeepsKnownPixels() throws Exception {
        // Only this test's folder: the repository's own inpainting models must not be picked.
        System.setProperty(ModelCatalog.ONLY_PROPERTY, "true");
        // A small untrained U-Net stands in for inpaint-gray: the server must pick it, pass the mask and keep known pixels.
        retouch.nn.Engines.init();
        ModelMeta meta = ModelMeta.builder(retouch.nn.inpaint.UNet.ARCHITECTURE).name("inpaint-tiny").channels(1, 1)
                .hyper("levels", 2).hyper("width", 16).hyper("mask", true).tasks("inpaint").valueRange(0, 1).build();
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ModelFile.save(models.resolve("inpaint-tiny"), meta, retouch.nn.store.Architectures.buildInitialized(meta, m));
        }
        try (RetouchServer s = start(ServerConfig.defaults(), 0)) {
            JsonNode tasks = Http.json(Http.get(s.url() + "/v1/models")).path("tasks");
            assertEquals("inpaint-tiny", tasks.path("inpaint").path("method").asText(), tasks.toString());
            assertTrue(tasks.path("inpaint").path("available").asBoolean(), tasks.toString());
            Image rgb = Image.stack(Fixtures.pattern(40, 30), Fixtures.pattern(40, 30), Fixtures.pattern(40, 30));
            Image mask = new Image(1, 15, 20); // half the image's size: resized by the server
            for (int y = 5; y < 10; y++) for (int x = 4; x < 16; x++) mask.set(0, y, x, 1f);
            HttpResponse<byte[]> r = inpaint(s, rgb, mask);
            assertEquals(200, r.statusCode(), Http.text(r));
            assertEquals("inpaint-tiny", r.headers().firstValue("X-Retouch-Method").orElse(""));
            Image out = Fixtures.decode(r.body());
            assertEquals(3, out.channels());
            Image in8 = rgb.quantize8();
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 40; x++) {
                    if (y >= 10 && y < 20 && x >= 8 && x < 32) continue;
                    for (int c = 0; c < 3; c++) assertEquals(in8.get(c, y, x), out.get(c, y, x), 1e-6, "known pixel " + x + "," + y);
                }
            }
            HttpResponse<byte[]> bad = inpaint(s, rgb, Image.filled(1, 30, 40, 1f));
            assertEquals(400, bad.statusCode(), Http.text(bad));
            assertTrue(Http.text(bad).contains("every pixel"), Http.text(bad));
        }
    }

    @Test
    void sixteenBitStaysSixteenBitAndRgbStaysRgb() throws Exception {
        // Only this test's folder: the repository ships sr4-color, and the no-model answer is checked below.
        System.setProperty(ModelCatalog.ONLY_PROPERTY, "true");
        try (RetouchServer s = start(ServerConfig.defaults(), 0)) {
            Image rgb = Image.stack(Fixtures.pattern(40, 32), Fixtures.pattern(40, 32), Fixtures.pattern(40, 32));
            HttpResponse<byte[]> r = Http.post(s.url() + "/v1/restore", new Http.Form()
                    .file("image", "c.png", "image/png", Fixtures.png(rgb)).field("method", "gaussian"));
            assertEquals(200, r.statusCode(), Http.text(r));
            assertEquals(3, Fixtures.decode(r.body()).channels());
            HttpResponse<byte[]> up = Http.post(s.url() + "/v1/restore", new Http.Form()
                    .file("image", "c.png", "image/png", Fixtures.png(rgb)).field("task", "sr2").field("method", "bicubic"));
            assertEquals(200, up.statusCode(), Http.text(up));
            assertEquals(80, Fixtures.decode(up.body()).width());
            HttpResponse<byte[]> none = Http.post(s.url() + "/v1/restore", new Http.Form()
                    .file("image", "c.png", "image/png", Fixtures.png(rgb)).field("task", "sr4"));
            assertNotEquals(200, none.statusCode());
            assertEquals("no_model", Http.json(none).path("error").asText());
            assertTrue(Http.json(none).path("message").asText().contains("method=bicubic"));
        }
    }
}
