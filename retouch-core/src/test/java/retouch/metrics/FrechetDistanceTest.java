package retouch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Known answers from numpy 1.24 / scipy 1.10 ({@code /usr/bin/python3}), the pytorch-fid formula:
 *
 * <pre>
 * import numpy as np; from scipy import linalg
 * def gen(n, d, seed):                      # the LCG of {@link #gen}
 *     s = seed; out = np.zeros((n, d))
 *     for i in range(n):
 *         for j in range(d):
 *             s = (s * 1103515245 + 12345) % 2**31; out[i, j] = s / 2**31
 *     return out
 * def fd(a, b):
 *     mu1, mu2 = a.mean(0), b.mean(0)
 *     s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
 *     covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
 *     return ((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean.real)
 * A = gen(50, 6, 1); G = gen(60, 6, 2)
 * B = np.array([[G[i, j] * (1 + 0.5 * j) + 0.3 * G[i, (j + 1) % 6] + 0.2 * j for j in range(6)] for i in range(60)])
 * fd(A, B)                                  # 14.6013847588105
 * fd(A, A + np.arange(6) * 0.1)             # 0.55 (= |shift|²)
 * fd(gen(5, 8, 5), gen(7, 8, 6) * 2)        # 4.01987691184524 (sqrtm; rank-deficient: 5 and 7 samples in 8-D)
 * # the same through eigh of sqrt(S1) S2 sqrt(S1), as FrechetDistance does: 4.01987691568947
 * </pre>
 */
class FrechetDistanceTest {

    /** The LCG used on both sides: s ← (1103515245 s + 12345) mod 2³¹, value s / 2³¹, row-major. */
    static double[][] gen(int n, int d, long seed) {
        long s = seed;
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                s = (s * 1103515245L + 12345L) % (1L << 31);
                out[i][j] = s / (double) (1L << 31);
            }
        }
        return out;
    }

    static double[][] mixed() {
        double[][] g = gen(60, 6, 2);
        double[][] b = new double[60][6];
        for (int i = 0; i < 60; i++) {
            for (int j = 0; j < 6; j++) {
                b[i][j] = g[i][j] * (1 + 0.5 * j) + 0.3 * g[i][(j + 1) % 6] + 0.2 * j;
            }
        }
        return b;
    }

    @Test
    void matchesScipySqrtm() {
        double[][] a = gen(50, 6, 1);
        assertEquals(14.6013847588105, FrechetDistance.of(a, mixed()), 1e-10);
        assertEquals(14.6013847588105, FrechetDistance.of(mixed(), a), 1e-10);
    }

    @Test
    void identicalSetsGiveZeroAndAShiftGivesItsSquaredLength() {
        double[][] a = gen(50, 6, 1);
        assertEquals(0, FrechetDistance.of(a, a), 1e-12);
        double[][] c = new double[50][6];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 6; j++) {
                c[i][j] = a[i][j] + 0.1 * j;
            }
        }
        assertEquals(0.55, FrechetDistance.of(a, c), 1e-12);
    }

    @Test
    void rankDeficientCovariancesStayFinite() {
        double[][] p = gen(5, 8, 5), q = gen(7, 8, 6);
        for (double[] r : q) {
            for (int j = 0; j < r.length; j++) {
                r[j] *= 2;
            }
        }
        double fd = FrechetDistance.of(p, q);
        // Eigenvalues that are 0 in exact arithmetic come out as ±1e-17, whose square roots (~3e-9)
        // make every method differ in the 9th digit here (numpy eigh route vs scipy sqrtm: 4e-9).
        assertEquals(4.01987691568947, fd, 1e-7);
        assertEquals(4.01987691184524, fd, 1e-7);
    }

    @Test
    void floatFeaturesAndStatisticsAgree() {
        double[][] a = gen(50, 6, 1);
        float[][] f = new float[50][6];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 6; j++) {
                f[i][j] = (float) a[i][j];
            }
        }
        FrechetDistance.Statistics sa = FrechetDistance.Statistics.of(a), sf = FrechetDistance.Statistics.of(f);
        assertEquals(50, sf.count());
        assertEquals(6, sf.dimension());
        assertEquals(FrechetDistance.of(a, mixed()), FrechetDistance.between(sf, FrechetDistance.Statistics.of(mixed())), 1e-5);
        assertEquals(0, FrechetDistance.between(sa, sa), 1e-12);
    }

    @Test
    void badInputsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.of(new double[1][3], new double[4][3]));
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.of(gen(5, 3, 1), gen(5, 4, 1)));
        double[][] nan = gen(5, 3, 1);
        nan[2][1] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrechetDistance.of(nan, gen(5, 3, 2)));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    }

    @Test
    void handlesFeatureSizesOfTheEvaluatorQuickly() {
        // 128-D, as the domain classifiers' penultimate layer; mostly a smoke test of speed and stability
        double[][] a = gen(600, 128, 11), b = gen(600, 128, 12);
        long t0 = System.nanoTime();
        double fd = FrechetDistance.of(a, b);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(fd > 0 && fd < 5, "FD between two uniform samples: " + fd);
        assertTrue(seconds < 10, "took " + seconds + " s");
    }
}
