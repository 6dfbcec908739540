package retouch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import retouch.image.Image;
import retouch.metrics.Psnr;

/** The shipped denoiser through HTTP: camera 512x512 with σ25 noise gains at least 6 dB. */
class RestoreQualityTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer(ServerConfig.defaults());

    /** {@code POST /v1/restore} with {@code image} as the PNG upload {@code filename} and fields given as name, value, ... */
    private static HttpResponse<byte[]> restore(String filename, Image image, String... fields) throws Exception {
        return server.restore(new Http.Form().file("image", filename, "image/png", Fixtures.png(image)).fields(fields));
    }

    /** The method that restored a request (X-Retouch-Method). */
    private static String method(HttpResponse<byte[]> r) {
        return r.headers().firstValue("X-Retouch-Method").orElse("");
    }

    @Test
    void denoiseGrayGainsSixDecibels() throws Exception {
        Image clean = Fixtures.camera();
        assertEquals(512, clean.width());
        Image noisy = Fixtures.noisy(clean, 25, 1234);
        HttpResponse<byte[]> r = restore("camera-noisy.png", noisy, "task", "denoise", "model", "denoise-gray", "sigma", "auto");
        assertEquals(200, r.statusCode(), Http.text(r));
        assertEquals("denoise-gray", method(r));
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        Image restored = Fixtures.decode(r.body());
        double before = Psnr.of(clean, noisy);
        double after = Psnr.of(clean, restored);
        System.out.printf("camera sigma 25 over HTTP: noisy %.2f dB -> restored %.2f dB (gain %.2f dB)%n", before, after, after - before);
        assertTrue(after - before >= 6, "PSNR gain " + (after - before) + " dB (noisy " + before + ", restored " + after + ")");
    }

    @Test
    void colourPhotosGoToTheColourDenoiserAndGrayOnesToTheGrayOne() throws Exception {
        Image clean = retouch.image.ImageFiles.read(Fixtures.repoRoot().resolve("samples/chelsea.png")).crop(100, 60, 128, 128);
        assertEquals(3, clean.channels());
        Image noisy = Fixtures.noisy(clean, 25, 99);
        HttpResponse<byte[]> r = restore("chelsea-noisy.png", noisy, "task", "denoise", "sigma", "25");
        assertEquals(200, r.statusCode(), Http.text(r));
        assertEquals("denoise-color", method(r));
        Image restored = Fixtures.decode(r.body());
        assertEquals(3, restored.channels());
        double before = Psnr.of(clean, noisy), after = Psnr.of(clean, restored);
        assertTrue(after - before >= 6, "PSNR " + before + " -> " + after);

        HttpResponse<byte[]> gray = restore("gray.png", Fixtures.noisy(clean.toGray(), 25, 98), "task", "denoise");
        assertEquals(200, gray.statusCode(), Http.text(gray));
        assertEquals("denoise-gray", method(gray));

        // a named model is honoured whatever the picture
        HttpResponse<byte[]> named = restore("chelsea-noisy.png", noisy, "task", "denoise", "model", "denoise-gray");
        assertEquals("denoise-gray", method(named));
        assertEquals("denoise-color", Http.json(Http.get(server.url() + "/v1/models")).path("tasks").path("denoise").path("method_for_colour").asText(),
                "GET /v1/models names the colour model");
    }

    @Test
    void knownBlurIsDeblurredByPlugAndPlayWithTheShippedDenoiser() throws Exception {
        Image clean = Fixtures.camera().crop(180, 120, 128, 128);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        Image blurred = retouch.degrade.GaussianNoise.addNoise(new retouch.degrade.GaussianBlur(1.6).apply(clean, rng), 2, rng).quantize8();
        HttpResponse<byte[]> r = restore("blurred.png", blurred, "task", "deblur", "blur", "gauss:1.6", "sigma", "2");
        assertEquals(200, r.statusCode(), Http.text(r));
        assertEquals("denoise-gray", method(r));
        assertEquals("blur:gauss:1.6", r.headers().firstValue("X-Retouch-Blur").orElse(""));
        assertTrue(r.headers().firstValue("X-Retouch-Note").orElse("").contains("plug-and-play"));
        Image sharp = Fixtures.decode(r.body());
        double before = Psnr.of(clean, blurred), after = Psnr.of(clean, sharp);
        assertTrue(after > before + 3, "PSNR " + before + " -> " + after);

        // wrong combinations answer 400 with what to send instead
        HttpResponse<byte[]> wrongTask = restore("b.png", blurred, "task", "denoise", "blur", "gauss:1.6");
        assertEquals(400, wrongTask.statusCode());
        assertTrue(Http.text(wrongTask).contains("task=deblur"), Http.text(wrongTask));
        HttpResponse<byte[]> badSpec = restore("b.png", blurred, "task", "deblur", "blur", "gauss:x");
        assertEquals(400, badSpec.statusCode());
        assertTrue(Http.text(badSpec).contains("gauss:S or motion:LENGTH:ANGLE"), Http.text(badSpec));
        HttpResponse<byte[]> notDenoiser = restore("b.png", blurred, "task", "deblur", "blur", "motion:9:30", "model", "sr2-color");
        assertEquals(400, notDenoiser.statusCode());
        assertEquals("wrong_task", Http.json(notDenoiser).path("error").asText(), Http.text(notDenoiser));
    }

    @Test
    void unknownBlurIsEstimatedAndUndone() throws Exception {
        Image clean = Fixtures.camera().crop(140, 100, 192, 192);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(12);
        Image blurred = retouch.degrade.GaussianNoise.addNoise(new retouch.degrade.MotionBlur(13, 120).apply(clean, rng), 2, rng).quantize8();
        HttpResponse<byte[]> r = restore("shaken.png", blurred, "task", "deblur");
        assertEquals(200, r.statusCode(), Http.text(r));
        assertEquals("deblur-gray", method(r));
        String estimate = r.headers().firstValue("X-Retouch-Blur-Estimate").orElse("");
        assertTrue(estimate.startsWith("blur:motion:"), estimate);
        double before = Psnr.of(clean, blurred), after = Psnr.of(clean, Fixtures.decode(r.body()));
        assertTrue(after > before + 3, "PSNR " + before + " -> " + after + " (" + estimate + ")");
    }
}
