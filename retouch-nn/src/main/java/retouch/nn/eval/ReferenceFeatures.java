package retouch.nn.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import retouch.RetouchException;
import retouch.metrics.FrechetDistance;

/**
 * The real-image side of FD and KID, stored in an evaluator's model folder so that evaluating a
 * generator needs no dataset: the mean and covariance of the classifier features of the whole
 * test split ({@value #MEAN_FILE}, float64; {@value #COVARIANCE_FILE}, float32 — 64 KB for 128
 * features), and a fixed random subset of the test features themselves for KID
 * ({@value #FEATURES_FILE}, float16: 2,000 × 128 is 512 KB). All are NumPy {@code .npy} files.
 *
 * <p>KID's kernel {@code (x·y/d + 1)³} was made for Inception features, whose {@code |x|²/d} is
 * below 1; raw classifier features are far larger (about 30 on MNIST), which makes the cubic
 * kernel explode and the estimate noisy (a real-vs-real floor of −2.6 ± 37 instead of about 0).
 * So KID uses the features multiplied by {@link #kidScale}, fixed per evaluator as
 * {@code 1/√(mean |x|²/d)} over the test features (stored in model.json as the hyper-parameter
 * {@value #KID_SCALE_KEY}); FD uses the features as they are.
 *
 * @param statistics test-set feature statistics (FD reference)
 * @param features   test-set feature subset (KID reference), one row per image, unscaled
 * @param kidScale   factor applied to every feature vector before KID
 */
public record ReferenceFeatures(FrechetDistance.Statistics statistics, float[][] features, double kidScale) {

    /** Mean of the test features, float64. */
    public static final String MEAN_FILE = "reference-mean.npy";
    /** Covariance of the test features, float32. */
    public static final String COVARIANCE_FILE = "reference-cov.npy";
    /** Feature subset for KID, float16. */
    public static final String FEATURES_FILE = "reference-features.npy";
    /** model.json hyper-parameter holding {@link #kidScale}. */
    public static final String KID_SCALE_KEY = "kid_feature_scale";

    public ReferenceFeatures {
        if (features.length == 0 || features[0].length != statistics.dimension()) {
            throw new IllegalArgumentException("reference features must be non-empty rows of " + statistics.dimension() + " values");
        }
        if (!(kidScale > 0) || Double.isInfinite(kidScale)) {
            throw new IllegalArgumentException("KID feature scale must be positive, got " + kidScale);
        }
    }

    /** {@code 1/√(mean |x|²/d)} over {@code features}: the factor that brings their mean {@code |x|²/d} to 1. */
    public static double kidScaleOf(float[][] features) {
        double sum = 0;
        for (float[] r : features) {
            for (float v : r) {
                sum += (double) v * v;
            }
        }
        double meanSq = sum / ((double) features.length * features[0].length);
        return meanSq > 0 ? 1 / Math.sqrt(meanSq) : 1;
    }

    /** {@code features} multiplied by {@link #kidScale} (new arrays), ready for KID. */
    public float[][] forKid(float[][] features) {
        return scaled(features, kidScale);
    }

    /** The stored reference features multiplied by {@link #kidScale}. */
    public float[][] kidReference() {
        return forKid(features);
    }

    static float[][] scaled(float[][] features, double scale) {
        float[][] out = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            out[i] = new float[features[i].length];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = (float) (features[i][j] * scale);
            }
        }
        return out;
    }

    /** Writes the three files into {@code dir}. */
    public void write(Path dir) throws IOException {
        int d = statistics.dimension();
        Npy.write(dir.resolve(MEAN_FILE), new int[] {d}, statistics.mean(), 8);
        Npy.write(dir.resolve(COVARIANCE_FILE), new int[] {d, d}, statistics.covariance(), 4);
        double[] flat = new double[features.length * d];
        for (int i = 0; i < features.length; i++) {
            for (int j = 0; j < d; j++) {
                flat[i * d + j] = features[i][j];
            }
        }
        Npy.write(dir.resolve(FEATURES_FILE), new int[] {features.length, d}, flat, 2);
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @param count number of test images the statistics were computed from (from model.json)
     * @param kidScale {@link #kidScale} (from model.json)
     * @throws RetouchException when a file is missing or does not fit the others
     */
    public static ReferenceFeatures read(Path dir, int count, double kidScale) {
        for (String f : new String[] {MEAN_FILE, COVARIANCE_FILE, FEATURES_FILE}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new RetouchException(dir + " has no " + f + "; it is not a complete evaluator model (train one with"
                        + " 'retouch train classifier', or copy the folder again)");
            }
        }
        Npy.Array mean = Npy.read(dir.resolve(MEAN_FILE));
        Npy.Array cov = Npy.read(dir.resolve(COVARIANCE_FILE));
        Npy.Array feats = Npy.read(dir.resolve(FEATURES_FILE));
        int d = mean.values().length;
        if (mean.shape().length != 1 || cov.shape().length != 2 || cov.rows() != d || cov.cols() != d
                || feats.shape().length != 2 || feats.cols() != d) {
            throw new RetouchException(dir + ": reference statistics do not fit together (mean " + d + ", covariance "
                    + java.util.Arrays.toString(cov.shape()) + ", features " + java.util.Arrays.toString(feats.shape()) + "); copy the folder again");
        }
        float[][] rows = new float[feats.rows()][d];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < d; j++) {
                rows[i][j] = (float) feats.values()[i * d + j];
            }
        }
        return new ReferenceFeatures(new FrechetDistance.Statistics(mean.values(), cov.values(), count), rows, kidScale);
    }
}
