package retouch.degrade;

import java.util.SplittableRandom;

import retouch.image.Image;

/**
 * Isotropic Gaussian blur (the standard deblurring/SR blur kernel): a separable kernel of
 * radius {@code ceil(3σ)}, normalised to sum 1, with mirror borders (reflect-101).
 */
public final class GaussianBlur implements Degradation {
    private final double sigma;
    private final float[] kernel;

    public GaussianBlur(double sigma) {
        if (!(sigma > 0) || sigma > 100) throw new IllegalArgumentException("blur σ must be in (0, 100], got " + sigma);
        this.sigma = sigma;
        this.kernel = kernel1d(sigma);
    }

    public double sigma() { return sigma; }

    /** The normalised 1-D kernel, length {@code 2·ceil(3σ)+1}. */
    public static float[] kernel1d(double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-(i * (double) i) / (2 * sigma * sigma));
            sum += k[i + r];
        }
        float[] out = new float[k.length];
        for (int i = 0; i < k.length; i++) out[i] = (float) (k[i] / sum);
        return out;
    }

    /** The 2-D kernel (outer product of {@link #kernel1d}). */
    public float[][] kernel2d() {
        float[][] k = new float[kernel.length][kernel.length];
        for (int i = 0; i < kernel.length; i++) for (int j = 0; j < kernel.length; j++) k[i][j] = kernel[i] * kernel[j];
        return k;
    }

    @Override
    public Image apply(Image clean, SplittableRandom rng) {
        return Filters.separable(clean, kernel);
    }

    @Override
    public String spec() { return "blur:gauss:" + Filters.num(sigma); }

    @Override
    public String toString() { return spec(); }
}
