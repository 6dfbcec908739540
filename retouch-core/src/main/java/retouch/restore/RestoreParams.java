package retouch.restore;

import retouch.image.Image;

/**
 * What a restoration call is told besides the image, for classical methods and trained models alike;
 * each restorer uses what applies to it and ignores the rest.
 *
 * @param sigma  noise σ on the 0–255 scale for denoisers; NaN = estimate with {@link retouch.degrade.NoiseEstimator}
 * @param radius filter radius (kernel 2r+1) for gaussian/median, inpainting radius for telea/ns; 0 = method default
 * @param mask   hole mask for inpainting (gray, 1 = hole), else null
 * @param scale  upscaling factor for bicubic/nearest; 0 = method default (2)
 * @param blur   a known blur (Gaussian or motion), for non-blind deblurring; null = unknown
 */
public record RestoreParams(double sigma, int radius, Image mask, int scale, retouch.degrade.Degradation blur) {
    public static RestoreParams defaults() { return new RestoreParams(Double.NaN, 0, null, 0, null); }

    public static RestoreParams ofSigma(double sigma) { return defaults().withSigma(sigma); }

    public RestoreParams withSigma(double s) { return new RestoreParams(s, radius, mask, scale, blur); }

    public RestoreParams withRadius(int r) { return new RestoreParams(sigma, r, mask, scale, blur); }

    public RestoreParams withMask(Image m) { return new RestoreParams(sigma, radius, m, scale, blur); }

    public RestoreParams withScale(int k) { return new RestoreParams(sigma, radius, mask, k, blur); }

    public RestoreParams withBlur(retouch.degrade.Degradation b) { return new RestoreParams(sigma, radius, mask, scale, b); }
}
