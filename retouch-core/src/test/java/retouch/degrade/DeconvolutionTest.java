package retouch.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.metrics.Png8;

class DeconvolutionTest {
    static final Image CLEAN = Png8.resource("set12-01.png").crop(40, 60, 96, 80);

    private static Image random(int c, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextDouble();
        return new Image(c, h, w, d);
    }

    private static double maxAbsDiff(Image a, Image b) {
        double m = 0;
        for (int i = 0; i < a.data().length; i++) m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        return m;
    }

    private static double dot(Image a, Image b) {
        double s = 0;
        for (int i = 0; i < a.data().length; i++) s += (double) a.data()[i] * b.data()[i];
        return s;
    }

    @Test
    void adjointMatchesTheBlurIncludingBorders() {
        for (double sigma : new double[] {0.7, 1.6, 3.0}) {
            Deconvolution d = Deconvolution.gaussian(sigma);
            Image x = random(3, 23, 31, 1), y = random(3, 23, 31, 2);
            // <A x, y> = <x, Aᵀ y> for any x, y: the defining property CG relies on
            double lhs = dot(d.blur(x), y), rhs = dot(x, d.blurAdjoint(y));
            assertEquals(lhs, rhs, 1e-4 * Math.abs(lhs), "σ " + sigma);
            // and the forward operator is exactly the degradation's
            Image viaDegradation = new GaussianBlur(sigma).apply(x, new SplittableRandom(0));
            assertEquals(0, maxAbsDiff(d.blur(x), viaDegradation), 0);
        }
    }

    @Test
    void motionBlurAdjointAndKernelChecks() {
        for (double angle : new double[] {0, 30, 117}) {
            MotionBlur blur = new MotionBlur(9, angle);
            Deconvolution d = Deconvolution.of(blur);
            Image x = random(1, 27, 19, 4), y = random(1, 27, 19, 5);
            double lhs = dot(d.blur(x), y), rhs = dot(x, d.blurAdjoint(y));
            assertEquals(lhs, rhs, 1e-4 * Math.abs(lhs), "angle " + angle);
            assertEquals(0, maxAbsDiff(d.blur(x), blur.apply(x, new SplittableRandom(0))), 0);
        }
        Deconvolution scaled = Deconvolution.kernel(new float[][] {{0, 2, 0}, {2, 4, 2}, {0, 2, 0}}, "test");
        Image flat = Image.filled(1, 9, 9, 0.5f);
        assertTrue(maxAbsDiff(scaled.blur(flat), flat) < 1e-6, "kernels are normalised to sum 1");
        assertThrows(IllegalArgumentException.class, () -> Deconvolution.kernel(new float[][] {{1, 1}}, "even"));
        assertThrows(IllegalArgumentException.class, () -> Deconvolution.kernel(new float[][] {{-1}}, "negative"));
        assertThrows(IllegalArgumentException.class, () -> Deconvolution.of(new GaussianNoise(5)));
        Degradation chain = DegradationSpec.parse("blur:motion:11:45,noise:gauss:2");
        assertEquals("blur:motion:11:45", Deconvolution.blurOf(chain).spec());
        assertEquals(null, Deconvolution.blurOf(DegradationSpec.parse("noise:gauss:2")));
    }

    @Test
    void solvesTheNormalEquations() {
        Deconvolution d = Deconvolution.gaussian(1.6);
        Image y = d.blur(CLEAN), z = random(1, CLEAN.height(), CLEAN.width(), 3);
        double rho = 0.05;
        Image x = d.solve(d.blurAdjoint(y), z, rho, 200);
        // residual of (AᵀA + ρI) x = Aᵀy + ρz, relative to the right-hand side
        Image lhs = d.blurAdjoint(d.blur(x));
        Image aty = d.blurAdjoint(y);
        double num = 0, den = 0;
        for (int i = 0; i < x.data().length; i++) {
            double l = lhs.data()[i] + rho * x.data()[i], r = aty.data()[i] + rho * z.data()[i];
            num += (l - r) * (l - r);
            den += r * r;
        }
        assertTrue(Math.sqrt(num / den) < 1e-3, "relative residual " + Math.sqrt(num / den));
    }

    @Test
    void deconvolutionSharpensAndHugeRhoKeepsZ() {
        Deconvolution d = Deconvolution.gaussian(1.6);
        Image blurred = d.blur(CLEAN);
        double before = Psnr.of(blurred, CLEAN);
        // noise-free: a weak pull towards the blurred image, enough CG steps to undo much of the blur
        Image x = d.solve(d.blurAdjoint(blurred), blurred, 1e-3, 60).clip();
        double after = Psnr.of(x, CLEAN);
        assertTrue(after > before + 3, "PSNR " + before + " -> " + after);
        Image kept = d.solve(d.blurAdjoint(blurred), CLEAN, 1e6, 5);
        assertTrue(maxAbsDiff(kept, CLEAN) < 1e-4);
        assertThrows(IllegalArgumentException.class, () -> Deconvolution.gaussian(0));
        assertThrows(IllegalArgumentException.class, () -> d.solve(blurred, blurred, 0, 5));
    }
}
