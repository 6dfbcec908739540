package retouch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import retouch.image.Image;
import retouch.metrics.Psnr;

/** The shipped denoiser through HTTP: camera 512x512 with σ25 noise gains at least 6 dB. */
class RestoreQualityTest {

    @Test
    void denoiseGrayGainsSixDecibels() throws Exception {
        Image clean = Fixtures.camera();
        assertEquals(512, clean.width());
        Image noisy = Fixtures.noisy(clean, 25, 1234);
        try (RetouchServer s = RetouchServer.start(ServerConfig.defaults().withPort(0))) {
            HttpResponse<byte[]> r = Http.post(s.url() + "/v1/restore", new Http.Form()
                    .file("image", "camera-noisy.png", "image/png", Fixtures.png(noisy))
                    .field("task", "denoise").field("model", "denoise-gray").field("sigma", "auto"));
            assertEquals(200, r.statusCode(), Http.text(r));
            assertEquals("denoise-gray", r.headers().firstValue("X-Retouch-Method").orElse(""));
            assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
            Image restored = Fixtures.decode(r.body());
            double before = Psnr.of(clean, noisy);
            double after = Psnr.of(clean, restored);
            System.out.printf("camera sigma 25 over HTTP: noisy %.2f dB -> restored %.2f dB (gain %.2f dB)%n", before, after, after - before);
            assertTrue(after - before >= 6, "PSNR gain " + (after - before) + " dB (noisy " + before + ", restored " + after + ")");
        }
    }

    @Test
    void colourPhotosGoToTheColourDenoiserAndGrayOnesToTheGrayOne() throws Exception {
        Image clean = retouch.image.ImageFiles.read(Fixtures.repoRoot().resolve("samples/chelsea.png")).crop(100, 60, 128, 128);
        assertEquals(3, clean.channels());
        Image noisy = Fixtures.noisy(clean, 25, 99);
        try (RetouchServer s = RetouchServer.start(ServerConfig.defaults().withPort(0))) {
            HttpResponse<byte[]> r = Http.post(s.url() + "/v1/restore", new Http.Form()
                    .file("image", "chelsea-noisy.png", "image/png", Fixtures.png(noisy)).field("task", "denoise").field("sigma", "25"));
            assertEquals(200, r.statusCode(), Http.text(r));
            assertEquals("denoise-color", r.headers().firstValue("X-Retouch-Method").orElse(""));
            Image restored = Fixtures.decode(r.body());
            assertEquals(3, restored.channels());
            double before = Psnr.of(clean, noisy), after = Psnr.of(clean, restored);
            assertTrue(after - before >= 6, "PSNR " + before + " -> " + after);

            HttpResponse<byte[]> gray = Http.post(s.url() + "/v1/restore", new Http.Form()
                    .file("image", "gray.png", "image/png", Fixtures.png(Fixtures.noisy(clean.toGray(), 25, 98))).field("task", "denoise"));
            assertEquals(200, gray.statusCode(), Http.text(gray));
            assertEquals("denoise-gray", gray.headers().firstValue("X-Retouch-Method").orElse(""));

            // a named model is honoured whatever the picture
            HttpResponse<byte[]> named = Http.post(s.url() + "/v1/restore", new Http.Form()
                    .file("image", "chelsea-noisy.png", "image/png", Fixtures.png(noisy)).field("task", "denoise").field("model", "denoise-gray"));
            assertEquals("denoise-gray", named.headers().firstValue("X-Retouch-Method").orElse(""));
            assertEquals("denoise-color", Http.json(Http.get(s.url() + "/v1/models")).path("tasks").path("denoise").path("method_for_colour").asText(),
                    "GET /v1/models names the colour model");
        }
    }

    @Test
    void knownBlurIsDeblurredByPlugAndPlayWithTheShippedDenoiser() throws Exception {
        Image clean = Fixtures.camera().crop(180, 120, 128, 128);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        Image blurred = retouch.degrade.GaussianNoise.addNoise(new retouch.degrade.GaussianBlur(1.6).apply(clean, rng), 2, rng).quantize8();
        try (RetouchServer s = RetouchServer.start(ServerConfig.defaults().withPort(0))) {
            HttpResponse<byte[]> r = Http.post(s.url() + "/v1/restore", new Http.Form()
                    .file("image", "blurred.png", "image/png", Fixtures.png(blurred))
                    .field("task", "deblur").field("blur", "gauss:1.6").field("sigma", "2"));
            assertEquals(200, r.statusCode(), Http.text(r));
            assertEquals("denoise-gray", r.headers().firstValue("X-Retouch-Method").orElse(""));
            assertEquals("blur:gauss:1.6", r.headers().firstValue("X-Retouch-Blur").orElse(""));
            assertTrue(r.headers().firstValue("X-Retouch-Note").orElse("").contains("plug-and-play"));
            Image sharp = Fixtures.decode(r.body());
            double before = Psnr.of(clean, blurred), after = Psnr.of(clean, sharp);
            assertTrue(after > before + 3, "PSNR " + before + " -> " + after);

            // wrong combinations answer 400 with what to send instead
            HttpResponse<byte[]> wrongTask = Http.post(s.url() + "/v1/restore", new Http.Form()
                    .file("image", "b.png", "image/png", Fixtures.png(blurred)).field("task", "denoise").field("blur", "gauss:1.6"));
            assertEquals(400, wrongTask.statusCode());
            assertTrue(Http.text(wrongTask).contains("task=deblur"), Http.text(wrongTask));
            HttpResponse<byte[]> badSpec = Http.post(s.url() + "/v1/restore", new Http.Form()
                    .file("image", "b.png", "image/png", Fixtures.png(blurred)).field("task", "deblur").field("blur", "gauss:x"));
            assertEquals(400, badSpec.statusCode());
            assertTrue(Http.text(badSpec).contains("gauss:S or motion:LENGTH:ANGLE"), Http.text(badSpec));
            HttpResponse<byte[]> notDenoiser = Http.post(s.url() + "/v1/restore", new Http.Form()
                    .file("image", "b.png", "image/png", Fixtures.png(blurred)).field("task", "deblur").field("blur", "motion:9:30")
                    .field("model", "sr2-gray"));
            assertEquals(400, notDenoiser.statusCode());
            assertEquals("wrong_task", Http.json(notDenoiser).path("error").asText(), Http.text(notDenoiser));
        }
    }

    @Test
    void unknownBlurIsEstimatedAndUndone() throws Exception {
        Image clean = Fixtures.camera().crop(140, 100, 192, 192);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(12);
        Image blurred = retouch.degrade.GaussianNoise.addNoise(new retouch.degrade.MotionBlur(13, 120).apply(clean, rng), 2, rng).quantize8();
        try (RetouchServer s = RetouchServer.start(ServerConfig.defaults().withPort(0))) {
            HttpResponse<byte[]> r = Http.post(s.url() + "/v1/restore", new Http.Form()
                    .file("image", "shaken.png", "image/png", Fixtures.png(blurred)).field("task", "deblur"));
            assertEquals(200, r.statusCode(), Http.text(r));
            assertEquals("deblur-gray", r.headers().firstValue("X-Retouch-Method").orElse(""));
            String estimate = r.headers().firstValue("X-Retouch-Blur-Estimate").orElse("");
            assertTrue(estimate.startsWith("blur:motion:"), estimate);
            double before = Psnr.of(clean, blurred), after = Psnr.of(clean, Fixtures.decode(r.body()));
            assertTrue(after > before + 3, "PSNR " + before + " -> " + after + " (" + estimate + ")");
        }
    }
}
