package retouch.metrics;

import retouch.image.Image;

/**
 * Structural similarity (Wang, Bovik, Sheikh &amp; Simoncelli, "Image quality assessment: from
 * error visibility to structural similarity", TIP 2004) with the paper's settings: an 11×11
 * Gaussian window with σ = 1.5 (normalised), K1 = 0.01, K2 = 0.03, population (biased)
 * variances, and the mean of the SSIM map over the positions where the window lies fully inside
 * the image ("valid", i.e. a 5-pixel border excluded). This equals scikit-image's
 * {@code structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
 * data_range=L)}. RGB images give the mean over channels.
 */
public final class Ssim {
    private Ssim() {}

    private static final int RADIUS = 5;
    private static final double[] WINDOW = window();

    private static double[] window() {
        double[] k = new double[2 * RADIUS + 1];
        double s = 0;
        for (int i = -RADIUS; i <= RADIUS; i++) {
            k[i + RADIUS] = Math.exp(-(i * i) / (2 * 1.5 * 1.5));
            s += k[i + RADIUS];
        }
        for (int i = 0; i < k.length; i++) k[i] /= s;
        return k;
    }

    /** SSIM of [0,1] images (data range 1). */
    public static double of(Image a, Image b) {
        return of(a, b, 1.0, 0);
    }

    /** SSIM with the given data range, after cropping {@code border} pixels from every side. */
    public static double of(Image a, Image b, double dataRange, int border) {
        MetricSupport.check(a, b, border);
        int c = a.channels(), h = a.height() - 2 * border, w = a.width() - 2 * border;
        if (h < 2 * RADIUS + 1 || w < 2 * RADIUS + 1) {
            throw new IllegalArgumentException("SSIM needs at least 11x11 pixels after the border crop, got " + w + "x" + h);
        }
        double s = 0;
        for (int ch = 0; ch < c; ch++) {
            s += plane(plane(a, ch, border), plane(b, ch, border), h, w, dataRange);
        }
        return s / c;
    }

    /** SSIM on the BT.601 luma of RGB inputs (SR convention), data range 1, with a border crop. */
    public static double ofY(Image a, Image b, int border) {
        return of(MetricSupport.luma(a), MetricSupport.luma(b), 1.0, border);
    }

    private static double[] plane(Image im, int ch, int border) {
        int H = im.height(), W = im.width(), h = H - 2 * border, w = W - 2 * border;
        double[] out = new double[h * w];
        float[] d = im.data();
        for (int r = 0; r < h; r++) {
            int row = (ch * H + r + border) * W + border;
            for (int q = 0; q < w; q++) out[r * w + q] = d[row + q];
        }
        return out;
    }

    /** Mean SSIM of two h×w planes (row-major) with data range {@code L}. */
    public static double plane(double[] x, double[] y, int h, int w, double L) {
        double c1 = (0.01 * L) * (0.01 * L), c2 = (0.03 * L) * (0.03 * L);
        int vh = h - 2 * RADIUS, vw = w - 2 * RADIUS;
        double[] xy = new double[x.length], xx = new double[x.length], yy = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        double[] mx = valid(x, h, w), my = valid(y, h, w), sxx = valid(xx, h, w), syy = valid(yy, h, w), sxy = valid(xy, h, w);
        double sum = 0;
        for (int i = 0; i < vh * vw; i++) {
            double ux = mx[i], uy = my[i];
            double vx = sxx[i] - ux * ux, vy = syy[i] - uy * uy, cxy = sxy[i] - ux * uy;
            sum += ((2 * ux * uy + c1) * (2 * cxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
        }
        return sum / ((double) vh * vw);
    }

    /** Gaussian-weighted local means at the valid positions ((h−10) × (w−10)). */
    private static double[] valid(double[] a, int h, int w) {
        int vw = w - 2 * RADIUS, vh = h - 2 * RADIUS, k = WINDOW.length;
        double[] tmp = new double[h * vw];
        for (int r = 0; r < h; r++) {
            int row = r * w;
            for (int q = 0; q < vw; q++) {
                double s = 0;
                for (int t = 0; t < k; t++) s += WINDOW[t] * a[row + q + t];
                tmp[r * vw + q] = s;
            }
        }
        double[] out = new double[vh * vw];
        for (int r = 0; r < vh; r++) {
            for (int t = 0; t < k; t++) {
                double wt = WINDOW[t];
                int row = (r + t) * vw;
                for (int q = 0; q < vw; q++) out[r * vw + q] += wt * tmp[row + q];
            }
        }
        return out;
    }
}
