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
}
