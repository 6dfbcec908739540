package retouch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import retouch.image.Image;

/** Known answers from scikit-image 0.19 (structural_similarity with gaussian_weights, σ 1.5, population covariance). */
class MetricsTest {
    static final Image X = Png8.resource("set12-01.png");

    static Image map(Image x, java.util.function.IntBinaryOperator f) {
        Image y = new Image(1, x.height(), x.width());
        for (int r = 0; r < x.height(); r++) {
            for (int c = 0; c < x.width(); c++) y.set(0, r, c, f.applyAsInt(r, c) / 255f);
        }
        return y;
    }

    static int px(Image x, int r, int c) {
        return Math.round(x.get(0, r, c) * 255f);
    }

    static int[] bytes(Image x) {
        int[] b = new int[x.data().length];
        for (int i = 0; i < b.length; i++) b[i] = Math.round(x.data()[i] * 255f);
        return b;
    }

    @Test
    void posterisedKnownAnswer() {
        Image y = map(X, (r, c) -> px(X, r, c) / 32 * 32);
        assertEquals(0.722201, Ssim.of(X, y), 1e-4);
        assertEquals(0.722201186552295, Ssim.of(X, y), 1e-6);
        assertEquals(23.5590, Psnr.of(X, y), 1e-4);
        assertEquals(23.5590, Psnr.of8bit(bytes(X), bytes(y)), 1e-4);
        // the same in 8-bit units with data range 255
        Image x255 = scaled(X, 255), y255 = scaled(y, 255);
        assertEquals(0.722201, Ssim.of(x255, y255, 255, 0), 1e-4);
    }

    @Test
    void shiftedKnownAnswer() {
        Image y = map(X, (r, c) -> px(X, r, Math.floorMod(c - 1, 256)));
        assertEquals(0.757699, Ssim.of(X, y), 1e-4);
        assertEquals(20.9839, Psnr.of(X, y), 1e-4);
    }

    @Test
    void perturbedKnownAnswer() {
        Image y = map(X, (r, c) -> Math.max(0, Math.min(255, px(X, r, c) + (r * 7 + c * 13) % 41 - 20)));
        assertEquals(0.5698443441575971, Ssim.of(X, y), 1e-5);
        assertEquals(26.808769539805027, Psnr.of(X, y), 1e-4);
    }

    @Test
    void rgbAndLumaKnownAnswers() {
        Image xt = map(X, (r, c) -> px(X, c, r));
        Image xi = map(X, (r, c) -> 255 - px(X, r, c));
        Image yt = map(X, (r, c) -> px(X, c, Math.floorMod(r - 2, 256)));
        Image yp = map(X, (r, c) -> Math.max(0, Math.min(255, px(X, r, c) + (r * 7 + c * 13) % 41 - 20)));
        Image yq = map(X, (r, c) -> 255 - px(X, r, c) / 16 * 16);
        Image a = Image.stack(X, xt, xi), b = Image.stack(yp, yt, yq);
        assertEquals(0.7018295108444358, Ssim.of(a, b), 1e-5);
        assertEquals(21.9107903828719, Psnr.of(a, b), 1e-4);
        assertEquals(0.6653490475826976, Ssim.ofY(a, b, 4), 1e-5);
        assertEquals(23.603010526675202, Psnr.ofY(a, b, 4), 1e-4);
        Metrics m = Metrics.ofY(a, b, 4);
        assertEquals(23.603010526675202, m.psnr(), 1e-4);
        assertEquals(0.6653490475826976, m.ssim(), 1e-5);
    }

    @Test
    void identicalAndBorders() {
        assertEquals(1.0, Ssim.of(X, X.copy()), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Psnr.of(X, X.copy()));
        Image y = X.copy();
        y.set(0, 0, 0, 1 - y.get(0, 0, 0));
        assertTrue(Double.isInfinite(Psnr.of(X, y, 1)), "the changed corner is in the cropped border");
        assertThrows(IllegalArgumentException.class, () -> Psnr.of(X, X.crop(0, 0, 10, 10)));
        Metrics m = Metrics.of(X, y);
        assertTrue(m.psnr() > 40 && m.ssim() > 0.99 && m.ssim() < 1);
    }

    static Image scaled(Image im, float f) {
        Image o = im.copy();
        for (int i = 0; i < o.data().length; i++) o.data()[i] *= f;
        return o;
    }

    @Test
    void holePsnrCountsOnlyMaskedPixels() {
        // 2-channel-free case: RGB 4x4, hole = left half; hole error 0.1 everywhere -> 20 dB,
        // while the known half carries a large error that must not count.
        Image a = new Image(3, 4, 4);
        Image b = new Image(3, 4, 4);
        Image mask = new Image(1, 4, 4);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                boolean hole = x < 2;
                mask.set(0, y, x, hole ? 1f : 0f);
                for (int c = 0; c < 3; c++) b.set(c, y, x, hole ? 0.1f : 0.9f);
            }
        }
        assertEquals(20.0, Psnr.inMask(a, b, mask), 1e-4);
        assertTrue(Psnr.of(a, b) < 5, "the whole-image figure includes the known half");
        assertThrows(IllegalArgumentException.class, () -> Psnr.inMask(a, b, new Image(1, 4, 4)), "no hole");
        assertThrows(IllegalArgumentException.class, () -> Psnr.inMask(a, b, new Image(1, 3, 4)), "size");
    }
}
