package retouch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Known answers from numpy 1.24 ({@code /usr/bin/python3}), inputs from the LCG of
 * {@link FrechetDistanceTest#gen}, rounded to float32 as the Java side holds them:
 *
 * <pre>
 * def mmd2(x, y):                            # unbiased, kernel (x.y/d + 1)^3, as Bińkowski et al. / torch-fidelity
 *     d = x.shape[1]; m = x.shape[0]; n = y.shape[0]
 *     kxx = (x @ x.T / d + 1) ** 3; kyy = (y @ y.T / d + 1) ** 3; kxy = (x @ y.T / d + 1) ** 3
 *     return (kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1)) - 2 * kxy.mean()
 * f32 = lambda z: z.astype(np.float32).astype(np.float64)
 * X = gen(40, 5, 3); Y = gen(30, 5, 4) + 0.1
 * mmd2(f32(X), f32(Y))                       # 0.0179344252260396
 * mmd2(f32(X), f32(gen(40, 5, 7)))           # -0.00769324079925848 (same distribution: can be negative)
 * (f32(X[0]) @ f32(Y[0]) / 5 + 1) ** 3       # 1.57038586966067
 * </pre>
 */
class KernelInceptionDistanceTest {

    static float[][] floats(double[][] x, double add) {
        float[][] f = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            f[i] = new float[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                f[i][j] = (float) (x[i][j] + add);
            }
        }
        return f;
    }

    static final float[][] X = floats(FrechetDistanceTest.gen(40, 5, 3), 0);
    static final float[][] Y = floats(FrechetDistanceTest.gen(30, 5, 4), 0.1);

    @Test
    void unbiasedMmdMatchesNumpy() {
        assertEquals(1.57038586966067, KernelInceptionDistance.kernel(X[0], Y[0]), 1e-12);
        assertEquals(0.0179344252260396, KernelInceptionDistance.mmd2Unbiased(X, Y), 1e-12);
        assertEquals(-0.00769324079925848, KernelInceptionDistance.mmd2Unbiased(X, floats(FrechetDistanceTest.gen(40, 5, 7), 0)), 1e-12);
    }

    @Test
    void subsetsAsLargeAsBothSetsUseTheWholeSetsOnce() {
        float[][] y40 = floats(FrechetDistanceTest.gen(40, 5, 4), 0.1);
        KernelInceptionDistance.Result r = KernelInceptionDistance.of(X, y40, 1000, 100, 0);
        assertEquals(1, r.subsets());
        assertEquals(40, r.subsetSize());
        assertEquals(KernelInceptionDistance.mmd2Unbiased(X, y40), r.mean(), 1e-12); // summed in another order
        assertEquals(0, r.std());
    }

    @Test
    void subsetEstimatesAreSeededAndCentredOnTheFullEstimate() {
        // Large enough to leave the cached path (> 2048 rows): subsets computed on demand.
        float[][] a = floats(FrechetDistanceTest.gen(2100, 16, 21), 0);
        float[][] b = floats(FrechetDistanceTest.gen(600, 16, 22), 0.05);
        KernelInceptionDistance.Result r1 = KernelInceptionDistance.of(a, b, 200, 30, 7);
        KernelInceptionDistance.Result r2 = KernelInceptionDistance.of(a, b, 200, 30, 7);
        KernelInceptionDistance.Result r3 = KernelInceptionDistance.of(a, b, 200, 30, 8);
        assertEquals(r1, r2);
        assertNotEquals(r1.mean(), r3.mean());
        assertEquals(200, r1.subsetSize());
        assertEquals(30, r1.subsets());
        assertTrue(r1.std() > 0);
        // Cached path (small sets) gives the same kind of answer
        float[][] a2 = java.util.Arrays.copyOf(a, 1500);
        KernelInceptionDistance.Result c = KernelInceptionDistance.of(a2, b, 200, 30, 7);
        double full = KernelInceptionDistance.mmd2Unbiased(a2, b);
        assertEquals(full, c.mean(), 4 * c.std() / Math.sqrt(30) + 1e-9, "subset mean vs full-set estimate");
        assertTrue(full > 0.001, "a 0.05 shift in 16-D is detectable: " + full);
        // the shift is what it measures: same-distribution sets are near 0
        float[][] same = floats(FrechetDistanceTest.gen(600, 16, 23), 0);
        double none = KernelInceptionDistance.of(a2, same, 200, 30, 7).mean();
        assertTrue(Math.abs(none) < full / 5, "same distribution " + none + " vs shifted " + full);
    }

    @Test
    void badInputsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> KernelInceptionDistance.of(new float[0][3], X));
        assertThrows(IllegalArgumentException.class, () -> KernelInceptionDistance.of(X, new float[][] {{1, 2, 3, 4, 5}}));
        assertThrows(IllegalArgumentException.class, () -> KernelInceptionDistance.of(X, floats(FrechetDistanceTest.gen(5, 4, 1), 0)));
        float[][] nan = floats(FrechetDistanceTest.gen(5, 5, 1), 0);
        nan[1][1] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> KernelInceptionDistance.of(X, nan));
    }
}
