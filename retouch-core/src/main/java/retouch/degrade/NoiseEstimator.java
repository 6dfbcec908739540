package retouch.degrade;

import retouch.RetouchException;
import retouch.image.Image;

/**
 * Blind estimation of the level σ of additive white Gaussian noise, returned on the 0–255 scale.
 *
 * <p>{@link #estimate} implements Liu, Tanaka &amp; Okutomi, "Single-Image Noise Level
 * Estimation for Blind Denoising", IEEE TIP 22(12), 2013: overlapping 7×7 patches; weak-texture
 * patches are those whose gradient energy (sum of squared central differences) is below
 * {@code σ²·τ0}, with τ0 the (1 − 10⁻⁶) quantile of the Gamma distribution that this energy
 * follows for pure noise; σ² is the smallest eigenvalue of the patches' (uncentred) covariance,
 * re-estimated on the selected patches for 3 iterations. RGB images give the mean of the
 * per-channel levels. Measured on Set12 with σ 15/25/50 (seeded noise, 36 cases): mean absolute
 * error about 1.2%, worst under 4% (see NoiseEstimatorTest).
 *
 * <p>{@link #estimateChen} is the simpler PCA method of Chen, Zhu &amp; Heng, "An Efficient
 * Statistical Method for Image Noise Level Estimation", ICCV 2015.
 */
public final class NoiseEstimator {
    private NoiseEstimator() {}

    private static final int PATCH = 7;
    private static final int ITERATIONS = 3;
    private static final double TAU0_7 = tau0(PATCH, 1 - 1e-6);

    /** The smallest width and height {@link #estimate} works on. */
    public static final int MIN_SIZE = PATCH + 1;

    /**
     * An image too small to estimate its noise from: bad input (the caller should name the file
     * and ask for the level), not an internal error.
     */
    public static final class TooSmallException extends RetouchException {
        public TooSmallException(int width, int height, int min) {
            super("image is " + width + "x" + height + " pixels, too small to estimate its noise level (at least " + min + "x" + min
                    + " is needed); give the level instead: --sigma S on the command line, sigma=S over HTTP (e.g. 15)");
        }
    }

    /**
     * Estimated σ (0–255 scale): Liu et al. 2013 with 7×7 patches, 3 iterations.
     *
     * @throws TooSmallException for images under {@link #MIN_SIZE} pixels on a side
     */
    public static double estimate(Image im) {
        return estimate(im, MAX_PATCHES);
    }

    /**
     * Patches per plane the covariance is taken over, at most: larger planes use the patches on a
     * regular grid (every k-th row and column), so a 768×512 photo costs a quarter and 12 megapixels
     * a fiftieth. Fewer patches bias the smallest eigenvalue slightly low; at 2¹⁸ the estimate moves by
     * −0.5 % on average against all patches (Kodak24, σ 5–50, 8-bit; worst photo 2.7 % at σ 5; Set12's
     * 512² images are under the cap and unchanged): {@code bash bench/noise-estimate/run.sh}.
     */
    static final int MAX_PATCHES = 1 << 18;

    /** As {@link #estimate(Image)} with the covariance over at most {@code maxPatches} patches per plane. */
    public static double estimate(Image im, int maxPatches) {
        int c = im.channels(), h = im.height(), w = im.width();
        if (h < MIN_SIZE || w < MIN_SIZE) throw new TooSmallException(w, h, MIN_SIZE);
        double s = 0;
        for (int ch = 0; ch < c; ch++) s += liuPlane(im.data(), ch * h * w, h, w, maxPatches);
        return s / c;
    }

    private static double liuPlane(float[] data, int off, int h, int w, int maxPatches) {
        int ps = PATCH, dim = ps * ps;
        int ny = h - ps + 1, nx = w - ps + 1, count = ny * nx;
        double[] x = new double[h * w];
        for (int i = 0; i < h * w; i++) x[i] = data[off + i] * 255.0;
        // integral images of the squared central differences (horizontal: columns 1..w-2, vertical: rows 1..h-2)
        double[] ih = new double[(h + 1) * (w - 1)];
        for (int y = 0; y < h; y++) {
            double row = 0;
            for (int q = 0; q < w - 2; q++) {
                double g = (x[y * w + q + 2] - x[y * w + q]) / 2;
                row += g * g;
                ih[(y + 1) * (w - 1) + q + 1] = ih[y * (w - 1) + q + 1] + row;
            }
        }
        double[] iv = new double[(h - 1) * (w + 1)];
        for (int y = 0; y < h - 2; y++) {
            double row = 0;
            for (int q = 0; q < w; q++) {
                double g = (x[(y + 2) * w + q] - x[y * w + q]) / 2;
                row += g * g;
                iv[(y + 1) * (w + 1) + q + 1] = iv[y * (w + 1) + q + 1] + row;
            }
        }
        double[] tr = new double[count];
        for (int y = 0; y < ny; y++) {
            for (int q = 0; q < nx; q++) {
                // horizontal window: rows y..y+ps-1, columns q..q+ps-3 of the (w-2)-wide map
                double a = box(ih, w - 1, y, q, ps, ps - 2);
                double b = box(iv, w + 1, y, q, ps - 2, ps);
                tr[y * nx + q] = a + b;
            }
        }
        // the patches on a grid of stride k, so that at most maxPatches enter the covariance
        int k = Math.max(1, (int) Math.ceil(Math.sqrt((double) count / maxPatches)));
        boolean[] sel = new boolean[count];
        int grid = 0;
        for (int y = 0; y < ny; y += k) {
            for (int q = 0; q < nx; q += k) {
                sel[y * nx + q] = true;
                grid++;
            }
        }
        double sig2 = minEigen(x, w, nx, sel, grid, ps, dim);
        for (int it = 1; it < ITERATIONS; it++) {
            double tau = sig2 * TAU0_7;
            int kept = 0;
            for (int i = 0; i < count; i++) {
                sel[i] = sel[i] && tr[i] < tau;
                if (sel[i]) kept++;
            }
            if (kept < dim) break;
            sig2 = minEigen(x, w, nx, sel, kept, ps, dim);
        }
        return Math.sqrt(Math.max(0, sig2));
    }

    private static double box(double[] integral, int stride, int y, int x, int bh, int bw) {
        return integral[(y + bh) * stride + x + bw] - integral[y * stride + x + bw] - integral[(y + bh) * stride + x] + integral[y * stride + x];
    }

    /** Smallest eigenvalue of Σ v vᵀ / (n − 1) over the selected patches. */
    private static double minEigen(double[] x, int w, int nx, boolean[] sel, int n, int ps, int dim) {
        double[][] m = new double[dim][dim];
        double[] v = new double[dim];
        for (int i = 0; i < sel.length; i++) {
            if (!sel[i]) continue;
            int y = i / nx, q = i % nx, k = 0;
            for (int dy = 0; dy < ps; dy++) for (int dx = 0; dx < ps; dx++) v[k++] = x[(y + dy) * w + q + dx];
            for (int a = 0; a < dim; a++) {
                double va = v[a];
                double[] ma = m[a];
                for (int b = 0; b <= a; b++) ma[b] += va * v[b];
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b <= a; b++) {
                m[a][b] /= (n - 1);
                m[b][a] = m[a][b];
            }
        }
        double[] e = SymmetricEigen.eigenvalues(m);
        double min = Double.POSITIVE_INFINITY;
        for (double d : e) min = Math.min(min, d);
        return min;
    }

    /**
     * τ0 of Liu et al.: the {@code conf} quantile of Gamma(shape r/2, scale 2·tr(DᵀD)/r), where D
     * stacks the horizontal and vertical central-difference operators on a ps×ps patch and r is
     * the rank of DᵀD. For ps = 7: r = 45, tr = 35, τ0 ≈ 81.82.
     */
    static double tau0(int ps, double conf) {
        int dim = ps * ps;
        double[][] dd = new double[dim][dim];
        // horizontal: rows of D are (y, x) with x in 0..ps-3, taps -1/2 at (y,x), +1/2 at (y,x+2)
        for (int y = 0; y < ps; y++) {
            for (int x = 0; x + 2 < ps; x++) {
                addOuter(dd, y * ps + x, y * ps + x + 2);
                addOuter(dd, x * ps + y, (x + 2) * ps + y); // vertical, transposed positions
            }
        }
        double trace = 0, max = 0;
        for (int i = 0; i < dim; i++) trace += dd[i][i];
        double[] e = SymmetricEigen.eigenvalues(dd);
        for (double d : e) max = Math.max(max, Math.abs(d));
        int rank = 0;
        for (double d : e) if (Math.abs(d) > 1e-10 * max) rank++;
        double shape = rank / 2.0, scale = 2.0 * trace / rank;
        // invert the upper tail Q(shape, t) = 1 − conf by bisection on t
        double lo = 0, hi = shape * 100 + 100;
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            if (gammaQ(shape, mid) > 1 - conf) lo = mid;
            else hi = mid;
        }
        return scale * 0.5 * (lo + hi);
    }

    /** Adds the outer product of the row with −1/2 at {@code a} and +1/2 at {@code b}. */
    private static void addOuter(double[][] dd, int a, int b) {
        dd[a][a] += 0.25;
        dd[b][b] += 0.25;
        dd[a][b] -= 0.25;
        dd[b][a] -= 0.25;
    }

    /** Regularised lower incomplete gamma P(a, x) (Numerical Recipes series). */
    static double gammaP(double a, double x) {
        if (x <= 0) return 0;
        if (x >= a + 1) return 1 - gammaQ(a, x);
        double sum = 1 / a, del = sum, ap = a;
        for (int n = 0; n < 1000; n++) {
            ap += 1;
            del *= x / ap;
            sum += del;
            if (Math.abs(del) < Math.abs(sum) * 1e-16) break;
        }
        return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }

    /** Regularised upper incomplete gamma Q(a, x) (continued fraction, modified Lentz). */
    static double gammaQ(double a, double x) {
        if (x < a + 1) return 1 - gammaP(a, x);
        double b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
        for (int i = 1; i < 1000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < 1e-300) d = 1e-300;
            c = b + an / c;
            if (Math.abs(c) < 1e-300) c = 1e-300;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-16) break;
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** log Γ(a) for a > 0 (Lanczos, g = 7). */
    static double logGamma(double a) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (a < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * a))) - logGamma(1 - a);
        a -= 1;
        double s = c[0];
        for (int i = 1; i < 9; i++) s += c[i] / (a + i);
        double t = a + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (a + 0.5) * Math.log(t) - t + Math.log(s);
    }

    /**
     * The PCA estimator of Chen, Zhu &amp; Heng (ICCV 2015) with {@code patch×patch} patches
     * (8 in the paper): the eigenvalues of the covariance of all overlapping patches (RGB:
     * channels concatenated) are sorted ascending and σ² is the mean of the smallest m of them
     * for the largest m at which that mean is also their median. Simpler than {@link #estimate}
     * but biased high on textured images at low σ (Set12 at σ 15: up to +13%).
     */
    public static double estimateChen(Image im, int patch) {
        int c = im.channels(), h = im.height(), w = im.width();
        if (patch < 2) throw new IllegalArgumentException("patch must be at least 2, got " + patch);
        if (h < patch + 1 || w < patch + 1) throw new TooSmallException(w, h, patch + 1);
        int pp = patch * patch, dim = c * pp;
        int ny = h - patch + 1, nx = w - patch + 1;
        long count = (long) ny * nx;
        float[] d = im.data();
        double[] sum = new double[dim];
        double[][] cov = new double[dim][dim];
        double[] v = new double[dim];
        // For large images, use every patch: the accumulation is O(count·dim²/2).
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                int k = 0;
                for (int ch = 0; ch < c; ch++) {
                    int off = ch * h * w;
                    for (int dy = 0; dy < patch; dy++) {
                        int row = off + (y + dy) * w + x;
                        for (int dx = 0; dx < patch; dx++) v[k++] = d[row + dx] * 255.0;
                    }
                }
                for (int i = 0; i < dim; i++) {
                    double vi = v[i];
                    sum[i] += vi;
                    double[] ci = cov[i];
                    for (int j = 0; j <= i; j++) ci[j] += vi * v[j];
                }
            }
        }
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j <= i; j++) {
                double cij = cov[i][j] / count - (sum[i] / count) * (sum[j] / count);
                cov[i][j] = cij;
                cov[j][i] = cij;
            }
        }
        double[] eig = SymmetricEigen.eigenvalues(cov);
        java.util.Arrays.sort(eig);
        double mean = 0;
        for (int m = dim; m >= 1; m--) {
            double s = 0;
            for (int i = 0; i < m; i++) s += eig[i];
            mean = s / m;
            int above = 0, below = 0;
            for (int i = 0; i < m; i++) {
                if (eig[i] > mean) above++;
                else if (eig[i] < mean) below++;
            }
            if (above == below) break;
        }
        return Math.sqrt(Math.max(0, mean));
    }

    /** Eigenvalues of a real symmetric matrix: Householder tridiagonalisation + implicit QL (after JAMA's tred2/tql2). */
    static final class SymmetricEigen {
        private SymmetricEigen() {}

        static double[] eigenvalues(double[][] a) {
            int n = a.length;
            double[][] V = new double[n][];
            for (int i = 0; i < n; i++) V[i] = a[i].clone();
            double[] d = new double[n], e = new double[n];
            tred2(V, d, e, n);
            tql2(d, e, n);
            return d;
        }

        private static void tred2(double[][] V, double[] d, double[] e, int n) {
            for (int j = 0; j < n; j++) d[j] = V[n - 1][j];
            for (int i = n - 1; i > 0; i--) {
                double scale = 0, h = 0;
                for (int k = 0; k < i; k++) scale += Math.abs(d[k]);
                if (scale == 0) {
                    e[i] = d[i - 1];
                    for (int j = 0; j < i; j++) {
                        d[j] = V[i - 1][j];
                        V[i][j] = 0;
                        V[j][i] = 0;
                    }
                } else {
                    for (int k = 0; k < i; k++) {
                        d[k] /= scale;
                        h += d[k] * d[k];
                    }
                    double f = d[i - 1];
                    double g = Math.sqrt(h);
                    if (f > 0) g = -g;
                    e[i] = scale * g;
                    h -= f * g;
                    d[i - 1] = f - g;
                    for (int j = 0; j < i; j++) e[j] = 0;
                    for (int j = 0; j < i; j++) {
                        f = d[j];
                        V[j][i] = f;
                        g = e[j] + V[j][j] * f;
                        for (int k = j + 1; k <= i - 1; k++) {
                            g += V[k][j] * d[k];
                            e[k] += V[k][j] * f;
                        }
                        e[j] = g;
                    }
                    f = 0;
                    for (int j = 0; j < i; j++) {
                        e[j] /= h;
                        f += e[j] * d[j];
                    }
                    double hh = f / (h + h);
                    for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                    for (int j = 0; j < i; j++) {
                        f = d[j];
                        g = e[j];
                        for (int k = j; k <= i - 1; k++) V[k][j] -= (f * e[k] + g * d[k]);
                        d[j] = V[i - 1][j];
                        V[i][j] = 0;
                    }
                }
                d[i] = h;
            }
            // accumulation of transformations is not needed for eigenvalues only, but the diagonal is
            for (int i = 0; i < n - 1; i++) {
                V[n - 1][i] = V[i][i];
                V[i][i] = 1;
                double h = d[i + 1];
                if (h != 0) {
                    for (int k = 0; k <= i; k++) d[k] = V[k][i + 1] / h;
                    for (int j = 0; j <= i; j++) {
                        double g = 0;
                        for (int k = 0; k <= i; k++) g += V[k][i + 1] * V[k][j];
                        for (int k = 0; k <= i; k++) V[k][j] -= g * d[k];
                    }
                }
                for (int k = 0; k <= i; k++) V[k][i + 1] = 0;
            }
            for (int j = 0; j < n; j++) {
                d[j] = V[n - 1][j];
                V[n - 1][j] = 0;
            }
            V[n - 1][n - 1] = 1;
            e[0] = 0;
        }

        private static void tql2(double[] d, double[] e, int n) {
            for (int i = 1; i < n; i++) e[i - 1] = e[i];
            e[n - 1] = 0;
            double f = 0, tst1 = 0, eps = Math.ulp(1.0);
            for (int l = 0; l < n; l++) {
                tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
                int m = l;
                while (m < n) {
                    if (Math.abs(e[m]) <= eps * tst1) break;
                    m++;
                }
                if (m == n) m = n - 1;
                if (m > l) {
                    int iter = 0;
                    do {
                        iter++;
                        if (iter > 60) break;
                        double g = d[l];
                        double p = (d[l + 1] - g) / (2 * e[l]);
                        double r = Math.hypot(p, 1);
                        if (p < 0) r = -r;
                        d[l] = e[l] / (p + r);
                        d[l + 1] = e[l] * (p + r);
                        double dl1 = d[l + 1];
                        double h = g - d[l];
                        for (int i = l + 2; i < n; i++) d[i] -= h;
                        f += h;
                        p = d[m];
                        double c = 1, c2 = c, c3 = c, el1 = e[l + 1], s = 0, s2 = 0;
                        for (int i = m - 1; i >= l; i--) {
                            c3 = c2;
                            c2 = c;
                            s2 = s;
                            g = c * e[i];
                            h = c * p;
                            r = Math.hypot(p, e[i]);
                            e[i + 1] = s * r;
                            s = e[i] / r;
                            c = p / r;
                            p = c * d[i] - s * g;
                            d[i + 1] = h + s * (c * g + s * d[i]);
                        }
                        p = -s * s2 * c3 * el1 * e[l] / dl1;
                        e[l] = s * p;
                        d[l] = c * p;
                    } while (Math.abs(e[l]) > eps * tst1);
                }
                d[l] = d[l] + f;
                e[l] = 0;
            }
        }
    }
}
