package retouch.metrics;

import retouch.image.Image;

/**
 * Peak signal-to-noise ratio, {@code 10·log10(peak² / MSE)} in dB, over all channels and
 * pixels. Images in [0,1] use peak 1; {@link #of8bit} takes 0–255 samples with peak 255 and
 * gives the same figure on quantised data. Identical inputs give +∞. Restoration outputs should
 * be clipped (and, for the 8-bit figure, quantised) by the caller, as the protocol requires.
 */
public final class Psnr {
    private Psnr() {}

    /** PSNR with peak 1 over all samples. */
    public static double of(Image a, Image b) {
        return of(a, b, 0);
    }

    /** PSNR with peak 1, ignoring {@code border} pixels on every side (SR convention: border = scale). */
    public static double of(Image a, Image b, int border) {
        MetricSupport.check(a, b, border);
        return fromMse(mse(a, b, border), 1.0);
    }

    /** PSNR on the BT.601 luma (Y of YCbCr) of RGB inputs (gray inputs are used as they are). */
    public static double ofY(Image a, Image b, int border) {
        return of(MetricSupport.luma(a), MetricSupport.luma(b), border);
    }

    /** PSNR of 8-bit samples (0–255, any layout) with peak 255. */
    public static double of8bit(int[] a, int[] b) {
        if (a.length != b.length || a.length == 0) throw new IllegalArgumentException("sample counts differ: " + a.length + " vs " + b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return fromMse(s / a.length, 255.0);
    }

    /** Mean squared error over all channels, excluding {@code border} pixels per side. */
    public static double mse(Image a, Image b, int border) {
        MetricSupport.check(a, b, border);
        int c = a.channels(), h = a.height(), w = a.width();
        float[] x = a.data(), y = b.data();
        double s = 0;
        for (int ch = 0; ch < c; ch++) {
            for (int r = border; r < h - border; r++) {
                int row = (ch * h + r) * w;
                for (int q = border; q < w - border; q++) {
                    double d = (double) x[row + q] - y[row + q];
                    s += d * d;
                }
            }
        }
        return s / ((double) c * (h - 2 * border) * (w - 2 * border));
    }

    /**
     * PSNR with peak 1 over the pixels where {@code mask} ≥ 0.5 only (all channels): the inpainting
     * "hole PSNR", which the known pixels cannot inflate.
     *
     * @throws IllegalArgumentException when the shapes differ or the mask has no hole
     */
    public static double inMask(Image a, Image b, Image mask) {
        MetricSupport.check(a, b, 0);
        if (mask.height() != a.height() || mask.width() != a.width()) {
            throw new IllegalArgumentException("mask " + mask.shapeString() + " does not match image " + a.shapeString());
        }
        float[] x = a.data(), y = b.data(), m = mask.data();
        int n = a.pixels();
        double s = 0;
        long count = 0;
        for (int i = 0; i < n; i++) {
            if (m[i] < 0.5f) continue;
            for (int ch = 0; ch < a.channels(); ch++) {
                double d = (double) x[ch * n + i] - y[ch * n + i];
                s += d * d;
            }
            count += a.channels();
        }
        if (count == 0) throw new IllegalArgumentException("the mask has no hole pixels");
        return fromMse(s / count, 1.0);
    }

    /** {@code 10·log10(peak²/mse)}. */
    public static double fromMse(double mse, double peak) {
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(peak * peak / mse);
    }
}
