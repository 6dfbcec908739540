package retouch.baseline;

import retouch.image.Image;

/**
 * Total-variation (ROF) denoising by Chambolle's projection algorithm (A. Chambolle, "An
 * Algorithm for Total Variation Minimization and Applications", JMIV 2004), in the form used by
 * scikit-image's {@code denoise_tv_chambolle}: minimises {@code ||u − f||²/2 + weight·TV(u)} per
 * channel, with step τ = 1/4 and a relative-energy stopping rule.
 */
public final class TvDenoiser {
    private TvDenoiser() {}

    /** Denoises each channel; {@code weight} in [0,1] units (larger = smoother). */
    public static Image denoise(Image noisy, double weight, double eps, int maxIter) {
        int c = noisy.channels(), h = noisy.height(), w = noisy.width(), n = h * w;
        Image out = new Image(c, h, w);
        for (int ch = 0; ch < c; ch++) {
            float[] f = new float[n];
            System.arraycopy(noisy.data(), ch * n, f, 0, n);
            float[] u = channel(f, h, w, weight, eps, maxIter);
            System.arraycopy(u, 0, out.data(), ch * n, n);
        }
        return out;
    }

    /** {@link #denoise(Image, double, double, int)} with eps 2e-4 and at most 200 iterations. */
    public static Image denoise(Image noisy, double weight) {
        return denoise(noisy, weight, 2e-4, 200);
    }

    private static float[] channel(float[] f, int h, int w, double weight, double eps, int maxIter) {
        int n = h * w;
        double[] px = new double[n], py = new double[n];
        double[] u = new double[n];
        for (int i = 0; i < n; i++) u[i] = f[i];
        double tau = 0.25, eInit = 0, ePrev = 0;
        for (int it = 0; it < maxIter; it++) {
            double e = 0;
            if (it > 0) {
                // d = -div p (skimage's sign convention: d = -p.sum + shifted terms), u = f + d
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int i = y * w + x;
                        double d = -px[i] - py[i];
                        if (y > 0) d += py[i - w];
                        if (x > 0) d += px[i - 1];
                        u[i] = f[i] + d;
                        e += d * d;
                    }
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    double gy = y < h - 1 ? u[i + w] - u[i] : 0;
                    double gx = x < w - 1 ? u[i + 1] - u[i] : 0;
                    double norm = Math.sqrt(gx * gx + gy * gy);
                    e += weight * norm;
                    double den = 1 + tau / weight * norm;
                    px[i] = (px[i] - tau * gx) / den;
                    py[i] = (py[i] - tau * gy) / den;
                }
            }
            e /= n;
            if (it == 0) {
                eInit = e;
                ePrev = e;
            } else {
                if (Math.abs(ePrev - e) < eps * eInit) break;
                ePrev = e;
            }
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) u[i];
        return out;
    }
}
