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
 * @param jpegQuality the JPEG quality (IJG 1–100) a photo was saved at, for JPEG repair; 0 = estimate
 *               it from the pixels ({@link retouch.degrade.JpegQualityEstimator})
 */
public record RestoreParams(double sigma, int radius, Image mask, int scale, retouch.degrade.Degradation blur, int jpegQuality) {
    public RestoreParams {
        if (jpegQuality < 0 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100 (or 0 to estimate it), got " + jpegQuality);
        }
    }

    public static RestoreParams defaults() { return new RestoreParams(Double.NaN, 0, null, 0, null, 0); }

    public static RestoreParams ofSigma(double sigma) { return defaults().withSigma(sigma); }

    public RestoreParams withSigma(double s) { return new RestoreParams(s, radius, mask, scale, blur, jpegQuality); }

    public RestoreParams withRadius(int r) { return new RestoreParams(sigma, r, mask, scale, blur, jpegQuality); }

    public RestoreParams withMask(Image m) { return new RestoreParams(sigma, radius, m, scale, blur, jpegQuality); }

    public RestoreParams withScale(int k) { return new RestoreParams(sigma, radius, mask, k, blur, jpegQuality); }

    public RestoreParams withBlur(retouch.degrade.Degradation b) { return new RestoreParams(sigma, radius, mask, scale, b, jpegQuality); }

    public RestoreParams withJpegQuality(int q) { return new RestoreParams(sigma, radius, mask, scale, blur, q); }
}
