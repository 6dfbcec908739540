package retouch.metrics;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Fréchet distance between two sets of feature vectors, each modelled as a Gaussian: the FID of
 * Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash
 * Equilibrium", NeurIPS 2017, here on the features of a classifier of the images' own domain.
 *
 * <pre>FD = |μ₁ − μ₂|² + Tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^½)</pre>
 *
 * <p>Means and covariances (unbiased, {@code n − 1}, as {@code numpy.cov}) are kept in double
 * precision. The trace term is computed stably as {@code Σᵢ √λᵢ} over the eigenvalues of the
 * symmetric positive semi-definite matrix {@code Σ₁^½ Σ₂ Σ₁^½}, which has the same eigenvalues as
 * {@code Σ₁ Σ₂}; both square roots come from symmetric eigendecompositions (EJML), with the small
 * negative eigenvalues that rounding produces clipped to zero. This matches
 * {@code scipy.linalg.sqrtm} (as used by pytorch-fid) to about 1e-12 on well-conditioned inputs and
 * stays real and finite on rank-deficient ones (fewer samples than dimensions, dead ReLU units),
 * where {@code sqrtm} needs an ε-offset retry.
 *
 * <p>FD is biased upwards for small sample counts: compare figures only at equal sample counts.
 */
public final class FrechetDistance {

    private FrechetDistance() {}

    /**
     * Mean and covariance of a feature set.
     *
     * @param mean       the d means
     * @param covariance d×d covariance, row-major (d·d values), unbiased (divides by n − 1)
     * @param count      how many vectors they were computed from
     */
    public record Statistics(double[] mean, double[] covariance, int count) {

        public Statistics {
            int d = mean.length;
            if (d == 0 || covariance.length != d * d) {
                throw new IllegalArgumentException("covariance has " + covariance.length + " values for " + d + " means");
            }
        }

        /** Feature dimension. */
        public int dimension() {
            return mean.length;
        }

        /** Statistics of {@code features} (n rows of equal length d, n ≥ 2). */
        public static Statistics of(float[][] features) {
            int n = features.length;
            checkRows(n, n == 0 ? 0 : features[0].length);
            int d = features[0].length;
            double[][] rows = new double[n][];
            for (int i = 0; i < n; i++) {
                if (features[i].length != d) {
                    throw new IllegalArgumentException("feature row " + i + " has " + features[i].length + " values, row 0 has " + d);
                }
                double[] r = new double[d];
                for (int j = 0; j < d; j++) {
                    r[j] = features[i][j];
                }
                rows[i] = r;
            }
            return of(rows);
        }

        /** Statistics of {@code features} (n rows of equal length d, n ≥ 2). */
        public static Statistics of(double[][] features) {
            int n = features.length;
            checkRows(n, n == 0 ? 0 : features[0].length);
            int d = features[0].length;
            double[] mean = new double[d];
            for (double[] r : features) {
                if (r.length != d) {
                    throw new IllegalArgumentException("feature rows differ in length: " + r.length + " and " + d);
                }
                for (int j = 0; j < d; j++) {
                    mean[j] += r[j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            double[] cov = new double[d * d];
            double[] c = new double[d];
            for (double[] r : features) {
                for (int j = 0; j < d; j++) {
                    c[j] = r[j] - mean[j];
                }
                for (int j = 0; j < d; j++) {
                    double cj = c[j];
                    int row = j * d;
                    for (int k = j; k < d; k++) {
                        cov[row + k] += cj * c[k];
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                for (int k = j; k < d; k++) {
                    double v = cov[j * d + k] / (n - 1);
                    cov[j * d + k] = v;
                    cov[k * d + j] = v;
                }
            }
            return new Statistics(mean, cov, n);
        }

        private static void checkRows(int n, int d) {
            if (n < 2) {
                throw new IllegalArgumentException("a covariance needs at least 2 feature vectors, got " + n);
            }
            if (d == 0) {
                throw new IllegalArgumentException("feature vectors are empty");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Statistics s && s.count == count && Arrays.equals(s.mean, mean) && Arrays.equals(s.covariance, covariance);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(mean) * 31 + count;
        }

        @Override
        public String toString() {
            return "FrechetDistance.Statistics[d=" + mean.length + ", n=" + count + "]";
        }
    }

    /** FD between two feature sets (rows are feature vectors). */
    public static double of(float[][] a, float[][] b) {
        return between(Statistics.of(a), Statistics.of(b));
    }

    /** FD between two feature sets (rows are feature vectors). */
    public static double of(double[][] a, double[][] b) {
        return between(Statistics.of(a), Statistics.of(b));
    }

    /** FD between two Gaussians given by their statistics. */
    public static double between(Statistics a, Statistics b) {
        int d = a.dimension();
        if (b.dimension() != d) {
            throw new IllegalArgumentException("feature dimensions differ: " + d + " and " + b.dimension());
        }
        checkFinite(a, "first");
        checkFinite(b, "second");
        double meanTerm = 0;
        for (int j = 0; j < d; j++) {
            double diff = a.mean()[j] - b.mean()[j];
            meanTerm += diff * diff;
        }
        double traces = 0;
        for (int j = 0; j < d; j++) {
            traces += a.covariance()[j * d + j] + b.covariance()[j * d + j];
        }
        return meanTerm + traces - 2 * traceSqrtProduct(a.covariance(), b.covariance(), d);
    }

    private static void checkFinite(Statistics s, String which) {
        for (double v : s.mean()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the " + which + " feature set has non-finite values (NaN or infinity)");
            }
        }
        for (double v : s.covariance()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the " + which + " feature set has non-finite values (NaN or infinity)");
            }
        }
    }

    /**
     * {@code Tr((S1 S2)^½)} for symmetric positive semi-definite S1, S2 (row-major d×d): the sum of
     * the square roots of the eigenvalues of {@code S1^½ S2 S1^½}.
     */
    public static double traceSqrtProduct(double[] s1, double[] s2, int d) {
        DMatrixRMaj root = symmetricSqrt(DMatrixRMaj.wrap(d, d, s1.clone()));
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(root, DMatrixRMaj.wrap(d, d, s2.clone()), tmp);
        CommonOps_DDRM.mult(tmp, root, m);
        symmetrize(m);
        double[] eig = symmetricEigenvalues(m);
        double sum = 0;
        for (double e : eig) {
            sum += Math.sqrt(Math.max(0, e));
        }
        return sum;
    }

    /** The symmetric square root of a symmetric PSD matrix (negative eigenvalues clipped to 0). */
    static DMatrixRMaj symmetricSqrt(DMatrixRMaj s) {
        int d = s.numRows;
        symmetrize(s);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(s.copy())) {
            throw new ArithmeticException("eigendecomposition of a " + d + "x" + d + " covariance failed (non-finite values?)");
        }
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        for (int k = 0; k < eig.getNumberOfEigenvalues(); k++) {
            double lambda = Math.sqrt(Math.max(0, eig.getEigenvalue(k).getReal()));
            if (lambda == 0) {
                continue;
            }
            DMatrixRMaj v = eig.getEigenVector(k);
            double norm2 = 0;
            for (int i = 0; i < d; i++) {
                norm2 += v.data[i] * v.data[i];
            }
            double scale = lambda / norm2;
            for (int i = 0; i < d; i++) {
                double vi = v.data[i] * scale;
                int row = i * d;
                for (int j = 0; j < d; j++) {
                    out.data[row + j] += vi * v.data[j];
                }
            }
        }
        return out;
    }

    private static double[] symmetricEigenvalues(DMatrixRMaj m) {
        int d = m.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(m)) {
            throw new ArithmeticException("eigendecomposition of a " + d + "x" + d + " matrix failed (non-finite values?)");
        }
        double[] out = new double[eig.getNumberOfEigenvalues()];
        for (int k = 0; k < out.length; k++) {
            out[k] = eig.getEigenvalue(k).getReal();
        }
        return out;
    }

    private static void symmetrize(DMatrixRMaj m) {
        int d = m.numRows;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double v = 0.5 * (m.data[i * d + j] + m.data[j * d + i]);
                m.data[i * d + j] = v;
                m.data[j * d + i] = v;
            }
        }
    }
}
