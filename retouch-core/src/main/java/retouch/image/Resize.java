package retouch.image;

import java.util.Locale;

import retouch.RetouchException;

/**
 * Image resizing compatible with MATLAB {@code imresize}, the function that defines the standard
 * super-resolution degradation (bicubic ×k downscaling, as in KAIR's {@code utils_image.imresize_np}
 * and the EDSR/RCAN/SwinIR data pipelines).
 *
 * <p>Bicubic uses the Keys (1981) cubic convolution kernel with a = -0.5; when downscaling, the
 * kernel is widened by 1/scale (antialiasing), weights are normalised per output sample, and
 * borders are extended symmetrically (edge sample repeated, MATLAB "symmetric"). Output sample
 * {@code i} (1-based) maps to input coordinate {@code u = i/scale + 0.5·(1 − 1/scale)}.
 * Area is the box average over each output pixel's footprint (overlap-weighted, so an integer
 * factor gives exactly the block mean; OpenCV INTER_AREA for downscaling). Nearest picks the
 * input sample {@code floor((i + 0.5)·in/out)}. Resizing is separable: rows, then columns.
 * Values are not clipped (bicubic overshoots slightly at edges, as MATLAB does for float input).
 */
public final class Resize {
    private Resize() {}

    /** Interpolation method. */
    public enum Method {
        BICUBIC, AREA, NEAREST;

        /** Parses "bicubic", "area" or "nearest" (case-insensitive). */
        public static Method parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RetouchException("unknown resize method '" + s + "': use bicubic, area or nearest");
            }
        }

        public String lower() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * Resizes by {@code scale} in both directions; output size is {@code ceil(in·scale)} as in
     * MATLAB, and the given scale (not out/in) defines the sampling grid.
     */
    public static Image scale(Image im, double scale, Method method) {
        if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("scale must be positive, got " + scale);
        int oh = (int) Math.ceil(im.height() * scale - 1e-9);
        int ow = (int) Math.ceil(im.width() * scale - 1e-9);
        return resize(im, Math.max(1, oh), Math.max(1, ow), scale, scale, method);
    }

    /** MATLAB {@code imresize(im, scale, 'bicubic')}. Use {@code 1.0/k} to downscale by k. */
    public static Image bicubic(Image im, double scale) {
        return scale(im, scale, Method.BICUBIC);
    }

    /** Resizes to exactly {@code outHeight × outWidth}; the scale per axis is out/in. */
    public static Image resize(Image im, int outHeight, int outWidth, Method method) {
        return resize(im, outHeight, outWidth, (double) outHeight / im.height(), (double) outWidth / im.width(), method);
    }

    /** Resizes to the given size with explicit per-axis scales (MATLAB's 'Scale' with 'OutputSize'). */
    public static Image resize(Image im, int outHeight, int outWidth, double scaleH, double scaleW, Method method) {
        if (outHeight <= 0 || outWidth <= 0) throw new IllegalArgumentException("output size must be positive, got " + outWidth + "x" + outHeight);
        Image tmp = im;
        if (outHeight != im.height() || scaleH != 1.0) {
            tmp = resizeAxis(tmp, weights(im.height(), outHeight, scaleH, method), outHeight, true);
        }
        if (outWidth != im.width() || scaleW != 1.0) {
            tmp = resizeAxis(tmp, weights(im.width(), outWidth, scaleW, method), outWidth, false);
        }
        return tmp == im ? im.copy() : tmp;
    }

    /** Keys cubic kernel, a = -0.5 (MATLAB's {@code cubic}). */
    static double cubic(double x) {
        double ax = Math.abs(x), ax2 = ax * ax, ax3 = ax2 * ax;
        if (ax <= 1) return 1.5 * ax3 - 2.5 * ax2 + 1;
        if (ax <= 2) return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2;
        return 0;
    }

    /** MATLAB "symmetric" index (edge repeated) into [0, n). */
    static int symmetricIndex(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    /** Per output sample: the input indices and their weights. */
    record Weights(int[][] index, double[][] weight) {}

    static Weights weights(int in, int out, double scale, Method method) {
        int[][] idx = new int[out][];
        double[][] wt = new double[out][];
        switch (method) {
            case NEAREST -> {
                for (int i = 0; i < out; i++) {
                    int s = (int) Math.floor((i + 0.5) / scale);
                    idx[i] = new int[] {Math.min(in - 1, Math.max(0, s))};
                    wt[i] = new double[] {1.0};
                }
            }
            case AREA -> {
                double step = 1.0 / scale;
                for (int i = 0; i < out; i++) {
                    double a = i * step, b = (i + 1) * step;
                    int lo = (int) Math.floor(a), hi = (int) Math.ceil(b) - 1;
                    int n = hi - lo + 1;
                    int[] ix = new int[n];
                    double[] w = new double[n];
                    double sum = 0;
                    for (int k = 0; k < n; k++) {
                        int p = lo + k;
                        double ov = Math.min(b, p + 1) - Math.max(a, p);
                        ix[k] = symmetricIndex(p, in);
                        w[k] = Math.max(0, ov);
                        sum += w[k];
                    }
                    for (int k = 0; k < n; k++) w[k] /= sum;
                    idx[i] = ix;
                    wt[i] = w;
                }
            }
            case BICUBIC -> {
                boolean aa = scale < 1;
                double kw = aa ? 4.0 / scale : 4.0;
                int p = (int) Math.ceil(kw) + 2;
                for (int i = 0; i < out; i++) {
                    double u = (i + 1) / scale + 0.5 * (1 - 1 / scale);
                    int left = (int) Math.floor(u - kw / 2);
                    double[] w = new double[p];
                    int[] ix = new int[p];
                    double sum = 0;
                    int nz = 0;
                    for (int k = 0; k < p; k++) {
                        int j = left + k; // 1-based
                        double d = u - j;
                        double v = aa ? scale * cubic(d * scale) : cubic(d);
                        if (v != 0) {
                            w[nz] = v;
                            ix[nz] = symmetricIndex(j - 1, in);
                            nz++;
                            sum += v;
                        }
                    }
                    double[] w2 = new double[nz];
                    int[] ix2 = new int[nz];
                    for (int k = 0; k < nz; k++) {
                        w2[k] = w[k] / sum;
                        ix2[k] = ix[k];
                    }
                    idx[i] = ix2;
                    wt[i] = w2;
                }
            }
        }
        return new Weights(idx, wt);
    }

    private static Image resizeAxis(Image im, Weights wts, int out, boolean vertical) {
        int c = im.channels(), h = im.height(), w = im.width();
        int oh = vertical ? out : h, ow = vertical ? w : out;
        float[] src = im.data();
        float[] dst = new float[c * oh * ow];
        if (vertical) {
            double[] acc = new double[w];
            for (int ch = 0; ch < c; ch++) {
                int sOff = ch * h * w, dOff = ch * oh * ow;
                for (int i = 0; i < oh; i++) {
                    java.util.Arrays.fill(acc, 0);
                    int[] ix = wts.index()[i];
                    double[] wt = wts.weight()[i];
                    for (int k = 0; k < ix.length; k++) {
                        int row = sOff + ix[k] * w;
                        double q = wt[k];
                        for (int x = 0; x < w; x++) acc[x] += q * src[row + x];
                    }
                    int drow = dOff + i * ow;
                    for (int x = 0; x < w; x++) dst[drow + x] = (float) acc[x];
                }
            }
        } else {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    int row = (ch * h + y) * w;
                    int drow = (ch * oh + y) * ow;
                    for (int j = 0; j < ow; j++) {
                        int[] ix = wts.index()[j];
                        double[] wt = wts.weight()[j];
                        double s = 0;
                        for (int k = 0; k < ix.length; k++) s += wt[k] * src[row + ix[k]];
                        dst[drow + j] = (float) s;
                    }
                }
            }
        }
        return new Image(c, oh, ow, dst);
    }
}
