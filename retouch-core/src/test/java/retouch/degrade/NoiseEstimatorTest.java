package retouch.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import retouch.image.Image;
import retouch.metrics.Png8;

class NoiseEstimatorTest {
    static final double[] SIGMAS = {15, 25, 50};

    /** Worst relative error over the given Set12 images at σ 15/25/50; prints each estimate. */
    static double worstError(String[] names) {
        double worst = 0, sumAbs = 0;
        int n = 0;
        for (String name : names) {
            Path p = Png8.SET12.resolve(name);
            Assumptions.assumeTrue(Files.isRegularFile(p), "Set12 not present at " + Png8.SET12);
            Image x = Png8.read(p);
            StringBuilder sb = new StringBuilder(name);
            for (double s : SIGMAS) {
                Image y = GaussianNoise.addNoise(x, s, new SplittableRandom(42));
                double est = NoiseEstimator.estimate(y);
                double err = Math.abs(est - s) / s;
                worst = Math.max(worst, err);
                sumAbs += err;
                n++;
                sb.append(String.format(Locale.ROOT, "  σ%.0f→%.2f", s, est));
            }
            System.out.println(sb);
        }
        System.out.printf(Locale.ROOT, "noise estimator: mean |error| %.2f%%, worst %.2f%%%n", 100 * sumAbs / n, 100 * worst);
        return worst;
    }

    @Test
    void set12SubsetWithinTenPercent() {
        assertTrue(worstError(new String[] {"01.png", "05.png", "07.png", "08.png"}) <= 0.10);
    }

    @Tag("slow")
    @Test
    void allSet12WithinTenPercent() {
        String[] names = new String[12];
        for (int i = 0; i < 12; i++) names[i] = String.format("%02d.png", i + 1);
        assertTrue(worstError(names) <= 0.10);
    }

    @Test
    void gammaThresholdMatchesLiuEtAl() {
        // scipy.stats.gamma.ppf(1 - 1e-6, 45/2, scale=2*35/45) for 7×7 patches
        assertEquals(81.82076743668523, NoiseEstimator.tau0(7, 1 - 1e-6), 1e-6);
        assertEquals(Math.log(24.0), NoiseEstimator.logGamma(5), 1e-12);
    }

    @Test
    void chenEstimatorIsClose() {
        Image x = Png8.resource("set12-01.png");
        double est = NoiseEstimator.estimateChen(GaussianNoise.addNoise(x, 25, new SplittableRandom(3)), 8);
        assertEquals(25, est, 2.5);
    }

    @Test
    void patchGridAgreesWithAllPatches() {
        // 250² patches on a 256² image: a cap of 2¹⁴ takes every second row and column
        Image y = GaussianNoise.addNoise(Png8.resource("set12-01.png"), 25, new SplittableRandom(5)).quantize8();
        double all = NoiseEstimator.estimate(y, Integer.MAX_VALUE), grid = NoiseEstimator.estimate(y, 1 << 14);
        assertEquals(all, grid, 0.04 * all); // 16,129 patches instead of 62,500: a few per cent of sampling spread
        assertEquals(25, grid, 2.5);
        assertEquals(all, NoiseEstimator.estimate(y), 1e-9, "under the default cap every patch is used");
    }

    @Test
    void flatImageAndRgb() {
        Image flat = Image.filled(1, 128, 128, 0.4f);
        assertEquals(20, NoiseEstimator.estimate(GaussianNoise.addNoise(flat, 20, new SplittableRandom(1))), 1.0);
        Image rgb = Png8.resource("set12-01.png").crop(0, 0, 128, 128).toRgb();
        double est = NoiseEstimator.estimate(GaussianNoise.addNoise(rgb, 25, new SplittableRandom(2)));
        assertEquals(25, est, 2.5);
        assertTrue(NoiseEstimator.estimate(flat) < 0.01);
    }
}
