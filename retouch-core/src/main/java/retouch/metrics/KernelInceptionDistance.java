package retouch.metrics;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Kernel Inception Distance: Bińkowski, Sutherland, Arbel, Gretton, "Demystifying MMD GANs",
 * ICLR 2018 — the unbiased estimate of the squared maximum mean discrepancy between two feature
 * sets under the cubic polynomial kernel {@code k(x, y) = (x·y / d + 1)³}, averaged over random
 * subsets and reported as mean ± standard deviation.
 *
 * <p>Per subset of m vectors from each set (drawn without replacement):
 * <pre>MMD²ᵤ = Σ_{i≠j} k(xᵢ,xⱼ) / (m(m−1)) + Σ_{i≠j} k(yᵢ,yⱼ) / (m(m−1)) − 2 Σ_{i,j} k(xᵢ,yⱼ) / m²</pre>
 * Defaults follow the paper and torch-fidelity: subsets of 1000 (fewer when a set is smaller),
 * 100 subsets; the standard deviation is the population one over subsets ({@code numpy.std}).
 * Unlike FD the estimate is unbiased, so it can be compared across sample counts (only its
 * spread changes); it can be slightly negative when the sets match.
 *
 * <p>Subsets are drawn from a seeded generator, so results are reproducible; they are computed in
 * parallel on the common fork-join pool without changing the result. Kernel matrices of sets of
 * up to {@value #CACHE_ROWS} vectors are computed once and reused by every subset.
 */
public final class KernelInceptionDistance {

    /** Subset size of the paper (and torch-fidelity). */
    public static final int DEFAULT_SUBSET_SIZE = 1000;
    /** Number of subsets of the paper (and torch-fidelity). */
    public static final int DEFAULT_SUBSETS = 100;
    /** Largest set (rows) whose kernel matrices are cached (2048² doubles = 32 MB). */
    static final int CACHE_ROWS = 2048;

    private KernelInceptionDistance() {}

    /**
     * KID estimate.
     *
     * @param mean       mean of MMD²ᵤ over subsets
     * @param std        population standard deviation over subsets
     * @param subsets    number of subsets
     * @param subsetSize vectors drawn from each set per subset
     */
    public record Result(double mean, double std, int subsets, int subsetSize) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%.5f ± %.5f (%d subsets of %d)", mean, std, subsets, subsetSize);
        }
    }

    /** KID with the paper's defaults (subsets of 1000, 100 subsets) and seed 0. */
    public static Result of(float[][] a, float[][] b) {
        return of(a, b, DEFAULT_SUBSET_SIZE, DEFAULT_SUBSETS, 0);
    }

    /**
     * KID over {@code subsets} random subsets of {@code min(subsetSize, |a|, |b|)} vectors from each set.
     * When both sets are no larger than the subset size, every subset is the whole sets and one is used.
     */
    public static Result of(float[][] a, float[][] b, int subsetSize, int subsets, long seed) {
        int d = checkSets(a, b);
        if (subsetSize < 2 || subsets < 1) {
            throw new IllegalArgumentException("KID needs subsets of at least 2 vectors and at least 1 subset, got "
                    + subsetSize + " and " + subsets);
        }
        int m = Math.min(subsetSize, Math.min(a.length, b.length));
        if (m < 2) {
            throw new IllegalArgumentException("KID needs at least 2 feature vectors in each set, got " + a.length + " and " + b.length);
        }
        if (m == a.length && m == b.length) {
            subsets = 1;
        }
        Gram xx = gram(a, a, d), yy = gram(b, b, d), xy = gram(a, b, d);
        long[] seeds = new long[subsets];
        SplittableRandom master = new SplittableRandom(seed);
        for (int s = 0; s < subsets; s++) {
            seeds[s] = master.nextLong();
        }
        double[] mmds = new double[subsets];
        int size = m;
        IntStream.range(0, subsets).parallel().forEach(s -> {
            SplittableRandom r = new SplittableRandom(seeds[s]);
            int[] ia = choose(a.length, size, r);
            int[] ib = choose(b.length, size, r);
            mmds[s] = mmd2(xx, yy, xy, ia, ib);
        });
        double mean = 0;
        for (double v : mmds) {
            mean += v;
        }
        mean /= subsets;
        double var = 0;
        for (double v : mmds) {
            var += (v - mean) * (v - mean);
        }
        return new Result(mean, Math.sqrt(var / subsets), subsets, m);
    }

    /** The unbiased MMD² estimate between the whole sets {@code x} and {@code y} (sizes may differ, each ≥ 2). */
    public static double mmd2Unbiased(float[][] x, float[][] y) {
        int d = checkSets(x, y);
        if (x.length < 2 || y.length < 2) {
            throw new IllegalArgumentException("the unbiased MMD² needs at least 2 vectors per set, got " + x.length + " and " + y.length);
        }
        int[] ix = IntStream.range(0, x.length).toArray();
        int[] iy = IntStream.range(0, y.length).toArray();
        return mmd2(gram(x, x, d), gram(y, y, d), gram(x, y, d), ix, iy);
    }

    /** The kernel {@code (x·y / d + 1)³}. */
    public static double kernel(float[] x, float[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("vectors differ in length: " + x.length + " and " + y.length);
        }
        return cube(dot(x, y) / x.length + 1);
    }

    private static double mmd2(Gram xx, Gram yy, Gram xy, int[] ia, int[] ib) {
        int m = ia.length, n = ib.length;
        double sxx = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                sxx += xx.k(ia[i], ia[j]);
            }
        }
        double syy = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                syy += yy.k(ib[i], ib[j]);
            }
        }
        double sxy = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                sxy += xy.k(ia[i], ib[j]);
            }
        }
        return 2 * sxx / ((double) m * (m - 1)) + 2 * syy / ((double) n * (n - 1)) - 2 * sxy / ((double) m * n);
    }

    /** Kernel values between rows of two sets: cached for small sets, computed on demand otherwise. */
    @FunctionalInterface
    private interface Gram {
        double k(int i, int j);
    }

    private static Gram gram(float[][] x, float[][] y, int d) {
        if (x.length > CACHE_ROWS || y.length > CACHE_ROWS) {
            return (i, j) -> cube(dot(x[i], y[j]) / d + 1);
        }
        int n = y.length;
        double[] cache = new double[x.length * n];
        boolean same = x == y;
        IntStream.range(0, x.length).parallel().forEach(i -> {
            for (int j = same ? i : 0; j < n; j++) {
                cache[i * n + j] = cube(dot(x[i], y[j]) / d + 1);
            }
        });
        if (same) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    cache[i * n + j] = cache[j * n + i];
                }
            }
        }
        return (i, j) -> cache[i * n + j];
    }

    private static double cube(double v) {
        return v * v * v;
    }

    /** Dot product in double precision (four partial sums, so the JIT can pipeline it). */
    private static double dot(float[] a, float[] b) {
        int d = a.length, j = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (; j + 3 < d; j += 4) {
            s0 += (double) a[j] * b[j];
            s1 += (double) a[j + 1] * b[j + 1];
            s2 += (double) a[j + 2] * b[j + 2];
            s3 += (double) a[j + 3] * b[j + 3];
        }
        for (; j < d; j++) {
            s0 += (double) a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code k} distinct indices from {@code 0..n-1} (partial Fisher–Yates). */
    private static int[] choose(int n, int k, SplittableRandom r) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + r.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, k);
    }

    private static int checkSets(float[][] a, float[][] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("KID needs two non-empty feature sets, got " + a.length + " and " + b.length + " vectors");
        }
        int d = a[0].length;
        if (d == 0) {
            throw new IllegalArgumentException("feature vectors are empty");
        }
        for (float[][] set : new float[][][] {a, b}) {
            for (float[] r : set) {
                if (r.length != d) {
                    throw new IllegalArgumentException("feature vectors differ in length: " + r.length + " and " + d);
                }
                for (float v : r) {
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException("a feature set has non-finite values (NaN or infinity)");
                    }
                }
            }
        }
        return d;
    }
}
