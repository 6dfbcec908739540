package retouch.baseline;

import retouch.image.Image;

/**
 * A classical (non-learned) restoration method: the baselines every evaluation table includes
 * next to the networks. Get one by name from {@link ClassicalMethods#byName(String)}.
 */
public interface ClassicalMethod {
    /** Short lower-case name, as accepted by {@link ClassicalMethods#byName}. */
    String name();

    /** Restores {@code degraded}; the result has values in [0,1]. */
    Image apply(Image degraded, Params params);

    /** {@link #apply(Image, Params)} with default parameters. */
    default Image apply(Image degraded) {
        return apply(degraded, Params.defaults());
    }

    /**
     * Method parameters; unused ones are ignored.
     *
     * @param sigma  noise σ on the 0–255 scale for denoisers; NaN = estimate with {@link retouch.degrade.NoiseEstimator}
     * @param radius filter radius (kernel 2r+1) for gaussian/median, inpainting radius for telea/ns; 0 = method default
     * @param mask   hole mask for inpainting (gray, 1 = hole), else null
     * @param scale  upscaling factor for bicubic/nearest; 0 = method default (2)
     * @param blur   a known blur (Gaussian or motion), for non-blind deblurring; null = unknown
     */
    record Params(double sigma, int radius, Image mask, int scale, retouch.degrade.Degradation blur) {
        public static Params defaults() { return new Params(Double.NaN, 0, null, 0, null); }

        public static Params ofSigma(double sigma) { return defaults().withSigma(sigma); }

        public Params withSigma(double s) { return new Params(s, radius, mask, scale, blur); }

        public Params withRadius(int r) { return new Params(sigma, r, mask, scale, blur); }

        public Params withMask(Image m) { return new Params(sigma, radius, m, scale, blur); }

        public Params withScale(int k) { return new Params(sigma, radius, mask, k, blur); }

        public Params withBlur(retouch.degrade.Degradation b) { return new Params(sigma, radius, mask, scale, b); }
    }
}
