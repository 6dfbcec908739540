package retouch.degrade;

import retouch.image.Image;

/**
 * The data step of plug-and-play deblurring: for a known Gaussian blur A (exactly the operator of
 * {@link GaussianBlur}, reflect-101 borders) it solves
 *
 * <pre>  x = argmin ‖A x − y‖² + ρ ‖x − z‖²,  i.e.  (AᵀA + ρ I) x = Aᵀy + ρ z</pre>
 *
 * per channel by conjugate gradients started from {@code z}. CG with the true adjoint keeps the
 * borders right, where the usual FFT solution assumes a periodic image the blur never saw.
 */
public final class GaussianDeconvolution {
    private final double sigma;
    private final float[] kernel;

    public GaussianDeconvolution(double blurSigma) {
        if (!(blurSigma > 0) || blurSigma > 25) throw new IllegalArgumentException("blur σ must be in (0, 25], got " + blurSigma);
        this.sigma = blurSigma;
        this.kernel = GaussianBlur.kernel1d(blurSigma);
    }

    public double blurSigma() { return sigma; }

    /** A x: the blur itself. */
    public Image blur(Image x) {
        return Filters.separable(x, kernel);
    }

    /** Aᵀ y: the adjoint of {@link #blur} (reflected taps scatter back onto the pixels they read). */
    public Image blurAdjoint(Image y) {
        int c = y.channels(), h = y.height(), w = y.width();
        float[] out = new float[y.data().length];
        for (int ch = 0; ch < c; ch++) {
            int off = ch * h * w;
            float[] plane = new float[h * w];
            System.arraycopy(y.data(), off, plane, 0, h * w);
            float[] cols = adjointPass(plane, h, w, true);   // the blur ran rows first, so its adjoint runs columns first
            float[] rows = adjointPass(cols, h, w, false);
            System.arraycopy(rows, 0, out, off, h * w);
        }
        return new Image(c, h, w, out);
    }

    /** One 1-D adjoint pass: along columns ({@code vertical}) or rows, reflect-101 borders. */
    private float[] adjointPass(float[] src, int h, int w, boolean vertical) {
        int r = kernel.length / 2;
        int n = vertical ? h : w;
        int[] idx = new int[n + 2 * r];
        for (int i = 0; i < idx.length; i++) idx[i] = Image.reflectIndex(i - r, n);
        double[] acc = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = src[y * w + x];
                if (v == 0) continue;
                for (int t = 0; t < kernel.length; t++) {
                    if (vertical) acc[idx[y + t] * w + x] += kernel[t] * v;
                    else acc[y * w + idx[x + t]] += kernel[t] * v;
                }
            }
        }
        float[] out = new float[h * w];
        for (int i = 0; i < out.length; i++) out[i] = (float) acc[i];
        return out;
    }

    /**
     * Solves (AᵀA + ρI) x = {@code aty} + ρ z by at most {@code iterations} CG steps from x = z
     * ({@code aty} = {@link #blurAdjoint}(y), computed once per image by the caller).
     */
    public Image solve(Image aty, Image z, double rho, int iterations) {
        if (!(rho > 0)) throw new IllegalArgumentException("ρ must be positive, got " + rho);
        int c = z.channels(), h = z.height(), w = z.width(), n = h * w;
        float[] out = new float[c * n];
        for (int ch = 0; ch < c; ch++) {
            Image zc = plane(z, ch), bc = plane(aty, ch);
            float[] x = zc.data().clone();
            // b = Aᵀy + ρz; r = b − (AᵀA + ρI) x
            float[] ax = apply(zc, rho);
            float[] r = new float[n];
            for (int i = 0; i < n; i++) r[i] = bc.data()[i] + (float) rho * zc.data()[i] - ax[i];
            float[] p = r.clone();
            double rr = dot(r, r), rr0 = rr;
            for (int k = 0; k < iterations && rr > 1e-12 * rr0 && rr > 1e-20; k++) {
                float[] q = apply(new Image(1, h, w, p), rho);
                double alpha = rr / dot(p, q);
                for (int i = 0; i < n; i++) {
                    x[i] += (float) (alpha * p[i]);
                    r[i] -= (float) (alpha * q[i]);
                }
                double rrNext = dot(r, r);
                double beta = rrNext / rr;
                for (int i = 0; i < n; i++) p[i] = r[i] + (float) (beta * p[i]);
                rr = rrNext;
            }
            System.arraycopy(x, 0, out, ch * n, n);
        }
        return new Image(c, h, w, out);
    }

    /** (AᵀA + ρI) x for one plane. */
    private float[] apply(Image x, double rho) {
        float[] atax = blurAdjoint(blur(x)).data();
        float[] xs = x.data();
        float[] out = new float[xs.length];
        for (int i = 0; i < out.length; i++) out[i] = atax[i] + (float) rho * xs[i];
        return out;
    }

    private static Image plane(Image im, int ch) {
        int n = im.height() * im.width();
        float[] d = new float[n];
        System.arraycopy(im.data(), ch * n, d, 0, n);
        return new Image(1, im.height(), im.width(), d);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
