package retouch.degrade;

import java.util.SplittableRandom;

import retouch.image.Image;

/**
 * Additive white Gaussian noise, the denoising protocol of DnCNN (Zhang et al., TIP 2017):
 * {@code y = x + σ/255 · N(0,1)}, not clipped. σ is on the 0–255 scale, either fixed or drawn
 * uniformly from [lo, hi] once per image (blind training). RGB channels get independent noise.
 */
public final class GaussianNoise implements Degradation {
    private final double sigmaLo;
    private final double sigmaHi;

    /** Fixed σ (0–255 scale). */
    public GaussianNoise(double sigma) {
        this(sigma, sigma);
    }

    /** σ drawn uniformly from [lo, hi] per image (0–255 scale). */
    public GaussianNoise(double sigmaLo, double sigmaHi) {
        if (!(sigmaLo >= 0) || !(sigmaHi >= sigmaLo)) {
            throw new IllegalArgumentException("noise σ range must satisfy 0 <= lo <= hi, got " + sigmaLo + "-" + sigmaHi);
        }
        this.sigmaLo = sigmaLo;
        this.sigmaHi = sigmaHi;
    }

    public double sigmaLo() { return sigmaLo; }
    public double sigmaHi() { return sigmaHi; }
    public boolean isBlind() { return sigmaHi > sigmaLo; }

    /** The σ for one image: fixed, or uniform in [lo, hi]. Consumes one draw only when blind. */
    public double sampleSigma(SplittableRandom rng) {
        return isBlind() ? sigmaLo + (sigmaHi - sigmaLo) * rng.nextDouble() : sigmaLo;
    }

    /** {@code x + sigma/255·N(0,1)} for a known σ (e.g. to build FFDNet noise-level maps). */
    public static Image addNoise(Image clean, double sigma, SplittableRandom rng) {
        float[] src = clean.data();
        float[] out = new float[src.length];
        double s = sigma / 255.0;
        for (int i = 0; i < src.length; i++) out[i] = (float) (src[i] + s * rng.nextGaussian());
        return new Image(clean.channels(), clean.height(), clean.width(), out);
    }

    @Override
    public Image apply(Image clean, SplittableRandom rng) {
        return addNoise(clean, sampleSigma(rng), rng);
    }

    @Override
    public String spec() {
        return "noise:gauss:" + (isBlind() ? Filters.num(sigmaLo) + "-" + Filters.num(sigmaHi) : Filters.num(sigmaLo));
    }

    @Override
    public String toString() { return spec(); }
}
