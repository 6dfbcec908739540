package retouch.degrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.image.Image;
import retouch.metrics.Png8;

class BlurEstimatorTest {
    /** A 160×160 piece of Set12 "cameraman": edges at many orientations. */
    static final Image CLEAN = Png8.resource("set12-01.png").crop(30, 40, 160, 160);

    private static Image blurAndNoise(Degradation blur, double noise, long seed) {
        return GaussianNoise.addNoise(blur.apply(CLEAN, null), noise, new SplittableRandom(seed));
    }

    @Test
    void findsAGaussianBlurFromTheSharpImage() {
        for (double sigma : new double[] {0.8, 1.6, 2.5, 3.5}) {
            Image blurred = blurAndNoise(new GaussianBlur(sigma), 2, 1);
            BlurEstimator.Estimate e = BlurEstimator.fit(blurred, CLEAN, 0);
            GaussianBlur g = assertInstanceOf(GaussianBlur.class, e.blur(), "σ " + sigma + ": " + e);
            assertEquals(sigma, g.sigma(), 0.05, e.toString());
            assertTrue(e.isBlurred(), e.toString());
            // the default leans to the smaller kernel among near-ties: never wider, at most a little narrower
            GaussianBlur lean = assertInstanceOf(GaussianBlur.class, BlurEstimator.fit(blurred, CLEAN).blur());
            assertTrue(lean.sigma() <= g.sigma() && lean.sigma() >= g.sigma() - 0.15, lean.sigma() + " vs " + g.sigma());
        }
    }

    @Test
    void findsLinearMotionLengthAndAngle() {
        double[][] cases = {{15, 30}, {9, 100}, {21, 0}, {7, 135}};
        for (double[] c : cases) {
            BlurEstimator.Estimate e = BlurEstimator.fit(blurAndNoise(new MotionBlur(c[0], c[1]), 2, 2), CLEAN);
            MotionBlur m = assertInstanceOf(MotionBlur.class, e.blur(), "motion " + c[0] + "@" + c[1] + ": " + e);
            assertEquals(c[0], m.length(), 1.0, e.toString());
            double da = Math.abs(m.angle() - c[1]) % 180;
            assertTrue(Math.min(da, 180 - da) <= 3, e.toString());
        }
    }

    @Test
    void anImperfectSharpEstimateStillNamesTheFamily() {
        // A "network output" that undid only part of the blur: the fitted kernel is smaller but of the right kind.
        Image partlySharp = new GaussianBlur(0.7).apply(CLEAN, null);
        BlurEstimator.Estimate g = BlurEstimator.fit(blurAndNoise(new GaussianBlur(2.0), 2, 3), partlySharp);
        GaussianBlur gb = assertInstanceOf(GaussianBlur.class, g.blur(), g.toString());
        assertEquals(Math.sqrt(2.0 * 2.0 - 0.7 * 0.7), gb.sigma(), 0.15, g.toString());
        BlurEstimator.Estimate m = BlurEstimator.fit(blurAndNoise(new MotionBlur(17, 60), 2, 4), partlySharp);
        MotionBlur mb = assertInstanceOf(MotionBlur.class, m.blur(), m.toString());
        assertEquals(17, mb.length(), 2.0, m.toString());
        assertEquals(60, mb.angle(), 4.0, m.toString());
    }

    @Test
    void aSharpPhotoIsNotCalledBlurred() {
        Image noisy = GaussianNoise.addNoise(CLEAN, 2, new SplittableRandom(5));
        BlurEstimator.Estimate e = BlurEstimator.fit(noisy, CLEAN);
        assertFalse(e.isBlurred(), e.toString());
    }

    @Test
    void rgbIsMeasuredOnLuminanceAndBadSizesAreRefused() {
        Image rgb = Image.stack(CLEAN, CLEAN, CLEAN);
        Image blurred = new GaussianBlur(1.6).apply(rgb, null);
        GaussianBlur g = assertInstanceOf(GaussianBlur.class, BlurEstimator.fit(blurred, rgb, 0).blur());
        assertEquals(1.6, g.sigma(), 0.03);
        assertThrows(IllegalArgumentException.class, () -> BlurEstimator.fit(CLEAN, rgb));
        Image small = CLEAN.crop(0, 0, 50, 50);
        assertThrows(IllegalArgumentException.class, () -> BlurEstimator.fit(small, small));
    }

    @Test
    void texturedWindowPrefersEdgesOverFlatArea() {
        // left half flat, right half the photo: the window must sit on the right
        Image im = new Image(1, 160, 320);
        im.paste(CLEAN, 0, 160);
        for (int y = 0; y < 160; y++) for (int x = 0; x < 160; x++) im.set(0, y, x, 0.5f);
        assertArrayEquals(new int[] {0, 160}, BlurEstimator.texturedWindow(im, 160));
        assertArrayEquals(new int[] {0, 0}, BlurEstimator.texturedWindow(CLEAN, 400));
    }
}
