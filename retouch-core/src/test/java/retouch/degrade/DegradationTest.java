package retouch.degrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import retouch.image.Image;
import retouch.metrics.Png8;
import retouch.metrics.Psnr;

class DegradationTest {
    static final Image CLEAN = Png8.resource("set12-01.png");

    static double mean(float[] d) {
        double s = 0;
        for (float v : d) s += v;
        return s / d.length;
    }

    static double std(float[] d) {
        double m = mean(d), s = 0;
        for (float v : d) s += (v - m) * (v - m);
        return Math.sqrt(s / d.length);
    }

    @Test
    void sameSeedSameOutputDifferentSeedDifferent() {
        String[] specs = {"noise:gauss:25", "noise:gauss:0-55", "noise:poisson:30", "noise:sp:0.05", "mask:free:0.1-0.3",
                "mask:boxes:3", "blur:gauss:1.6,noise:gauss:15,jpeg:40"};
        Image small = CLEAN.crop(0, 0, 96, 96);
        for (String s : specs) {
            Degradation d = DegradationSpec.parse(s);
            Image a = d.apply(small, 7), b = d.apply(small, 7), c = d.apply(small, 8);
            assertArrayEquals(a.data(), b.data(), 0f, s);
            assertFalse(Arrays.equals(a.data(), c.data()), s);
        }
    }

    @Test
    void gaussianNoiseStdAndUnclipped() {
        Image gray = Image.filled(1, 512, 512, 0.5f);
        Image noisy = new GaussianNoise(25).apply(gray, 1);
        float[] diff = noisy.data().clone();
        for (int i = 0; i < diff.length; i++) diff[i] -= 0.5f;
        assertEquals(25 / 255.0, std(diff), 0.02 * 25 / 255.0);
        assertEquals(0, mean(diff), 1e-3);

        Image black = new GaussianNoise(15).apply(Image.filled(1, 64, 64, 0f), 2);
        long negatives = 0;
        for (float v : black.data()) if (v < 0) negatives++;
        assertTrue(negatives > 64 * 64 / 3, "noise must not be clipped");
    }

    @Test
    void blindNoiseSamplesSigmaInRange() {
        GaussianNoise g = new GaussianNoise(0, 55);
        SplittableRandom r = new SplittableRandom(3);
        double lo = 99, hi = -1;
        for (int i = 0; i < 200; i++) {
            double s = g.sampleSigma(r);
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
        }
        assertTrue(lo >= 0 && lo < 5 && hi <= 55 && hi > 50, lo + " " + hi);
        // the per-image σ shows in the measured std
        Image flat = Image.filled(1, 128, 128, 0.5f);
        Image a = g.apply(flat, 11);
        double sigma = new GaussianNoise(0, 55).sampleSigma(new SplittableRandom(11));
        assertEquals(sigma / 255, std(a.data()), 0.05 * sigma / 255 + 1e-3);
    }

    @Test
    void poissonNoiseMeanAndVariance() {
        Image flat = Image.filled(1, 256, 256, 0.4f);
        for (double peak : new double[] {4, 30, 255}) {
            Image y = new PoissonNoise(peak).apply(flat, 5);
            double lam = 0.4 * peak;
            assertEquals(0.4, mean(y.data()), 4 * Math.sqrt(lam) / peak / 256);
            assertEquals(Math.sqrt(lam) / peak, std(y.data()), 0.03 * Math.sqrt(lam) / peak);
            for (float v : y.data()) assertEquals(Math.round(v * peak), v * peak, 1e-3, "counts are integers");
        }
        assertEquals(Math.log(3628800.0), PoissonNoise.logFactorial(10), 1e-9);
        assertEquals(363.73937555556347, PoissonNoise.logFactorial(100), 1e-9);
    }

    @Test
    void saltAndPepperAmount() {
        Image flat = Image.filled(3, 200, 200, 0.5f);
        Image y = new SaltPepperNoise(0.05).apply(flat, 9);
        int hit = 0, white = 0, n = flat.pixels();
        for (int i = 0; i < n; i++) {
            if (y.data()[i] != 0.5f) {
                hit++;
                if (y.data()[i] == 1f) white++;
                assertEquals(y.data()[i], y.data()[n + i]);
                assertEquals(y.data()[i], y.data()[2 * n + i]);
            }
        }
        assertEquals(0.05, hit / (double) n, 0.005);
        assertEquals(0.5, white / (double) hit, 0.05);
    }

    @Test
    void gaussianBlurKernelAndMean() {
        float[] k = GaussianBlur.kernel1d(1.6);
        assertEquals(2 * 5 + 1, k.length);
        double s = 0;
        for (float v : k) s += v;
        assertEquals(1, s, 1e-6);
        double s2 = 0;
        for (float[] row : new GaussianBlur(1.6).kernel2d()) for (float v : row) s2 += v;
        assertEquals(1, s2, 1e-5);
        Image b = new GaussianBlur(1.6).apply(CLEAN, 0);
        assertEquals(mean(CLEAN.data()), mean(b.data()), 2e-3);
        assertTrue(std(b.data()) < std(CLEAN.data()));
        // constant image stays constant (borders included)
        for (float v : new GaussianBlur(3).apply(Image.filled(3, 20, 20, 0.7f), 0).data()) assertEquals(0.7f, v, 1e-5f);
    }

    @Test
    void motionKernelSumsToOneWithRightExtent() {
        float[][] k = MotionBlur.kernel(15, 0);
        double s = 0;
        int nonzero = 0;
        for (float[] row : k) for (float v : row) { s += v; if (v > 0) nonzero++; }
        assertEquals(1, s, 1e-6);
        assertEquals(15, k.length);
        assertEquals(15, nonzero);
        for (float v : k[7]) assertEquals(1 / 15f, v, 1e-6f);
        // vertical: one column
        float[][] kv = MotionBlur.kernel(9, 90);
        assertEquals(9, kv.length);
        for (float[] row : kv) assertEquals(1 / 9f, row[4], 1e-6f);
        // diagonal at 45°: support spans the projected length, ends near (±5, ∓5)
        float[][] kd = MotionBlur.kernel(15, 45);
        double sd = 0;
        for (float[] row : kd) for (float v : row) sd += v;
        assertEquals(1, sd, 1e-6);
        int r = kd.length / 2;
        assertTrue(r >= 5 && r <= 6, "radius " + r);
        assertTrue(kd[r - 4][r + 4] > 0 && kd[r + 4][r - 4] > 0, "45° goes up and to the right");
        assertEquals(0f, kd[r + 4][r + 4]);
        Image b = new MotionBlur(15, 45).apply(CLEAN, 0);
        assertEquals(mean(CLEAN.data()), mean(b.data()), 3e-3);
    }

    @Test
    void downsamplingShrinks() {
        Image d4 = DegradationSpec.parse("down:bicubic:4").apply(CLEAN, 0);
        assertEquals(64, d4.height());
        assertEquals(64, d4.width());
        Image d3 = DegradationSpec.parse("sr:3").apply(CLEAN.toRgb(), 0);
        assertEquals(86, d3.height());
        assertEquals(3, d3.channels());
    }

    @Test
    void jpegQualityOrdersError() {
        double p10 = Psnr.of(CLEAN, new JpegCompression(10).apply(CLEAN, 0));
        double p90 = Psnr.of(CLEAN, new JpegCompression(90).apply(CLEAN, 0));
        assertTrue(p90 > p10 + 5, p10 + " vs " + p90);
        assertTrue(p10 > 20, "q10 is still an image: " + p10);
        Image rgb = Image.stack(CLEAN, new GaussianBlur(2).apply(CLEAN, 0), CLEAN.copy());
        Image j = new JpegCompression(90).apply(rgb, 0);
        assertEquals(3, j.channels());
        assertTrue(Psnr.of(rgb, j) > 30, "RGB round trip keeps colours: " + Psnr.of(rgb, j));
    }

    @Test
    void chainAppliesInOrderAndKeepsMask() {
        Degradation d = DegradationSpec.parse("mask:box:0.5,noise:gauss:10");
        Degraded r = d.applyWithMask(CLEAN, new SplittableRandom(1));
        assertNotNull(r.mask());
        assertEquals(0.25, Masks.coverage(r.mask()), 1e-9);
        assertNull(new GaussianNoise(5).applyWithMask(CLEAN, new SplittableRandom(1)).mask());
        Image img = d.apply(CLEAN, 1);
        assertArrayEquals(r.image().data(), img.data(), 0f);
    }
}
