package retouch.degrade;

import retouch.image.Image;

/**
 * The data step of plug-and-play deblurring: for a known blur A (exactly the operator of
 * {@link GaussianBlur} or {@link MotionBlur}, reflect-101 borders) it solves
 *
 * <pre>  x = argmin ‖A x − y‖² + ρ ‖x − z‖²,  i.e.  (AᵀA + ρ I) x = Aᵀy + ρ z</pre>
 *
 * per channel by conjugate gradients started from {@code z}. CG with the true adjoint keeps the
 * borders right, where the usual FFT solution assumes a periodic image the blur never saw.
 */
public final class Deconvolution {
    private final float[] kernel;     // the 1-D kernel of a separable (Gaussian) blur, else null
    private final float[][] kernel2d; // the 2-D kernel otherwise
    private final String spec;

    private Deconvolution(float[] kernel, float[][] kernel2d, String spec) {
        this.kernel = kernel;
        this.kernel2d = kernel2d;
        this.spec = spec;
    }

    /** Gaussian blur of σ {@code blurSigma} pixels (separable, as {@link GaussianBlur}). */
    public static Deconvolution gaussian(double blurSigma) {
        if (!(blurSigma > 0) || blurSigma > 25) throw new IllegalArgumentException("blur σ must be in (0, 25], got " + blurSigma);
        return new Deconvolution(GaussianBlur.kernel1d(blurSigma), null, new GaussianBlur(blurSigma).spec());
    }

    /** Any blur kernel (odd sides, correlation as {@link MotionBlur} applies it); normalised to sum 1. */
    public static Deconvolution kernel(float[][] k, String spec) {
        if (k.length == 0 || k.length % 2 == 0 || k[0].length % 2 == 0) throw new IllegalArgumentException("blur kernel sides must be odd");
        double sum = 0;
        for (float[] row : k) {
            if (row.length != k[0].length) throw new IllegalArgumentException("blur kernel rows differ in length");
            for (float v : row) {
                if (!(v >= 0)) throw new IllegalArgumentException("blur kernel values must be non-negative");
                sum += v;
            }
        }
        if (!(sum > 0)) throw new IllegalArgumentException("blur kernel is all zero");
        float[][] n = new float[k.length][k[0].length];
        for (int y = 0; y < k.length; y++) for (int x = 0; x < k[0].length; x++) n[y][x] = (float) (k[y][x] / sum);
        return new Deconvolution(null, n, spec);
    }

    /** The deconvolution of a blur degradation (Gaussian or motion). */
    public static Deconvolution of(Degradation blur) {
        if (blur instanceof GaussianBlur g) return gaussian(g.sigma());
        if (blur instanceof MotionBlur m) return kernel(m.kernel(), m.spec());
        throw new IllegalArgumentException("deconvolution knows Gaussian and motion blur, not " + blur.spec());
    }

    /** The blur step of a degradation chain (Gaussian or motion), or null when it has none. */
    public static Degradation blurOf(Degradation d) {
        if (d instanceof GaussianBlur || d instanceof MotionBlur) return d;
        if (d instanceof Chain c) {
            for (Degradation step : c.steps()) {
                Degradation b = blurOf(step);
                if (b != null) return b;
            }
        }
        return null;
    }

    /** The blur as a degradation spec, e.g. {@code blur:gauss:1.6}. */
    public String spec() { return spec; }

    /** A x: the blur itself. */
    public Image blur(Image x) {
        return kernel != null ? Filters.separable(x, kernel) : Filters.conv2d(x, kernel2d);
    }

    /** Aᵀ y: the adjoint of {@link #blur} (reflected taps scatter back onto the pixels they read). */
    public Image blurAdjoint(Image y) {
        if (kernel == null) return adjoint2d(y);
        int c = y.channels(), h = y.height(), w = y.width();
        float[] out = new float[y.data().length];
        for (int ch = 0; ch < c; ch++) {
            int off = ch * h * w;
            float[] cols = adjointPass(y.channel(ch).data(), h, w, true);   // the blur ran rows first, so its adjoint runs columns first
            float[] rows = adjointPass(cols, h, w, false);
            System.arraycopy(rows, 0, out, off, h * w);
        }
        return new Image(c, h, w, out);
    }

    /** Aᵀ y for a 2-D kernel: each tap scatters back onto the (reflected) pixel it read. */
    private Image adjoint2d(Image y) {
        int c = y.channels(), h = y.height(), w = y.width();
        int kh = kernel2d.length, kw = kernel2d[0].length, ry = kh / 2, rx = kw / 2;
        int[] xi = new int[w + 2 * rx];
        for (int i = 0; i < xi.length; i++) xi[i] = Image.reflectIndex(i - rx, w);
        float[] src = y.data();
        float[] out = new float[src.length];
        double[] acc = new double[h * w];
        for (int ch = 0; ch < c; ch++) {
            int off = ch * h * w;
            java.util.Arrays.fill(acc, 0);
            for (int yy = 0; yy < h; yy++) {
                for (int ty = 0; ty < kh; ty++) {
                    int row = Image.reflectIndex(yy + ty - ry, h) * w;
                    for (int tx = 0; tx < kw; tx++) {
                        float q = kernel2d[ty][tx];
                        if (q == 0) continue;
                        for (int x = 0; x < w; x++) acc[row + xi[x + tx]] += q * src[off + yy * w + x];
                    }
                }
            }
            for (int i = 0; i < h * w; i++) out[off + i] = (float) acc[i];
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
            Image zc = z.channel(ch), bc = aty.channel(ch);
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

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
