package retouch.metrics;

import retouch.image.Image;

/**
 * PSNR (dB, peak 1) and SSIM of a restored image against its reference, the pair reported in
 * every restoration table.
 */
public record Metrics(double psnr, double ssim) {
    /** Over all channels, no border crop. */
    public static Metrics of(Image reference, Image restored) {
        return new Metrics(Psnr.of(reference, restored), Ssim.of(reference, restored));
    }

    /** Over all channels, {@code border} pixels per side excluded. */
    public static Metrics of(Image reference, Image restored, int border) {
        return new Metrics(Psnr.of(reference, restored, border), Ssim.of(reference, restored, 1.0, border));
    }

    /** On the BT.601 luma (SR convention), {@code border} (usually the scale) pixels per side excluded. */
    public static Metrics ofY(Image reference, Image restored, int border) {
        return new Metrics(Psnr.ofY(reference, restored, border), Ssim.ofY(reference, restored, border));
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "PSNR %.2f dB, SSIM %.4f", psnr, ssim);
    }
}
