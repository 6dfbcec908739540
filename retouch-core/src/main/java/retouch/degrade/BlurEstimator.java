package retouch.degrade;

import java.util.ArrayList;
import java.util.List;

import retouch.image.Image;

/**
 * Estimates the blur of a photo from the photo and a sharp estimate of it (for example a blind
 * deblurring network's output): the Gaussian (σ 0.3–4 px) or linear motion (3–33 px, any angle)
 * kernel k that best explains the photo, {@code argmin ‖k ∗ sharp − blurred‖²}, by a coarse grid
 * search refined around its best point. The two families are searched apart and the one with the
 * smaller residual wins, so motion blur is not taken for a wide Gaussian or the reverse.
 *
 * <p>Why this works with an imperfect sharp estimate: the residual is dominated by the edges,
 * and a network that has only partly undone the blur still puts its edges in the right places
 * and with the right orientation; the fitted kernel then tells a non-blind method
 * ({@code PnpDeblurrer}) what to invert. Residuals are measured on luma, away from the
 * borders (20 px), so no border rule enters.
 */
public final class BlurEstimator {
    /** Search ranges: what the evaluation degradations and typical camera shake cover. */
    public static final double GAUSS_MIN = 0.3, GAUSS_MAX = 4.0;
    static final int MOTION_MIN = 3, MOTION_MAX = 33;
    /** Pixels left out at each border: more than the widest kernel's radius (motion 33 → 17). */
    static final int MARGIN = 20;
    /** The smallest side it works on. */
    public static final int MIN_SIDE = 2 * MARGIN + 24;
    /** Relative residual margin within which the smaller kernel is preferred ({@link #fit(Image, Image, double)} takes another). */
    public static final double DEFAULT_TOLERANCE = 0.02;

    /**
     * The estimate: the winning blur, its mean squared residual, and the residual with no blur at
     * all (0–1 scale, squared), so callers can tell a photo with no measurable blur. {@code source}
     * is null for the kernel fit itself, else what replaced the fitted kernel ({@link #refined}).
     */
    public record Estimate(Degradation blur, double residual, double residualNoBlur, String source) {
        /** An estimate made by the kernel fit. */
        public Estimate(Degradation blur, double residual, double residualNoBlur) {
            this(blur, residual, residualNoBlur, null);
        }

        /** True when the blur explains the photo clearly better than no blur (residual ≤ 80 %). */
        public boolean isBlurred() {
            return residual <= 0.8 * residualNoBlur;
        }

        /**
         * This fit with its kernel replaced by {@code better}, estimated by {@code by} (e.g. a
         * network trained for the blur's size); the fit's residuals stay, and the fitted kernel is
         * named in {@link #toString}.
         */
        public Estimate refined(Degradation better, String by) {
            return new Estimate(better, residual, residualNoBlur, by + "; the kernel fit said " + blur.spec());
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s (%sfit residual %.2f, no blur %.2f, on the 0-255 scale)",
                    blur.spec(), source == null ? "" : "from " + source + "; ", Math.sqrt(residual) * 255, Math.sqrt(residualNoBlur) * 255);
        }
    }

    private BlurEstimator() {}

    /**
     * Fits the blur that maps {@code sharp} to {@code blurred} (same size, gray or RGB, at least
     * 64×64; values in [0,1]).
     */
    public static Estimate fit(Image blurred, Image sharp) {
        return fit(blurred, sharp, DEFAULT_TOLERANCE);
    }

    /**
     * As {@link #fit(Image, Image)}, taking the smallest Gaussian whose residual is within
     * {@code tolerance} (relative) of the best: a sharp estimate that over-sharpens texture
     * makes the best fit too wide, and deconvolving with too wide a kernel rings (Set12 Barbara,
     * Gaussian σ 1.0: deblurred with σ 1.1 loses 1.5 dB, with σ 0.9 0.65 dB), so near-ties go to
     * the smaller kernel. 2 % (the default) gained 0.2 dB at σ 1.0 and 0.1 dB at σ 1.6 over the
     * plain best fit on Set12; 5 % gained a little more there but lost 0.24 dB at σ 3, where the
     * fit already falls short. Motion lengths are fitted sharply and taken as they are (shortening
     * them cost 0.65 dB on 15-px motion).
     */
    public static Estimate fit(Image blurred, Image sharp, double tolerance) {
        if (!blurred.sameShape(sharp)) {
            throw new IllegalArgumentException("blur estimation needs two images of one size, got " + blurred.shapeString() + " and " + sharp.shapeString());
        }
        if (blurred.height() < MIN_SIDE || blurred.width() < MIN_SIDE) {
            throw new IllegalArgumentException("blur estimation needs at least 64x64 pixels, got " + blurred.shapeString());
        }
        float[] y = luminance(blurred), x = luminance(sharp);
        int h = blurred.height(), w = blurred.width();
        double none = residual(y, x, h, w, new float[][] {{1f}});

        // Gaussian: 0.1 px steps, then 0.02 px from 0.3 below the best to 0.1 above it.
        double bestS = GAUSS_MIN, bestG = Double.MAX_VALUE;
        for (double s = GAUSS_MIN; s <= GAUSS_MAX + 1e-9; s += 0.1) {
            double r = residual(y, x, h, w, gaussian(s));
            if (r < bestG) { bestG = r; bestS = s; }
        }
        List<double[]> fine = new ArrayList<>();
        for (double s = Math.max(GAUSS_MIN, bestS - 0.3); s <= Math.min(GAUSS_MAX, bestS + 0.1) + 1e-9; s += 0.02) {
            fine.add(new double[] {s, residual(y, x, h, w, gaussian(s))});
        }
        for (double[] p : fine) bestG = Math.min(bestG, p[1]); // the family is judged by its best fit
        double[] g = smallestWithin(fine, tolerance);
        bestS = g[0];

        // Motion: lengths 3..33 by 2 and angles by 6°, then every length ±2 and angle ±5° around the best.
        double bestL = MOTION_MIN, bestA = 0, bestM = Double.MAX_VALUE;
        for (int len = MOTION_MIN; len <= MOTION_MAX; len += 2) {
            for (int a = 0; a < 180; a += 6) {
                double r = residual(y, x, h, w, MotionBlur.kernel(len, a));
                if (r < bestM) { bestM = r; bestL = len; bestA = a; }
            }
        }
        double cl = bestL, ca = bestA;
        for (double len = Math.max(MOTION_MIN, cl - 2); len <= Math.min(MOTION_MAX, cl + 2); len += 1) {
            for (double a = ca - 5; a <= ca + 5; a += 1) {
                double r = residual(y, x, h, w, MotionBlur.kernel(len, a));
                if (r < bestM) { bestM = r; bestL = len; bestA = a; }
            }
        }
        double angle = ((bestA % 180) + 180) % 180;
        Degradation blur = bestG <= bestM
                ? new GaussianBlur(Math.round(bestS * 100) / 100.0)
                : new MotionBlur(bestL, angle);
        return new Estimate(blur, Math.min(bestG, bestM), none);
    }

    /** Of (parameter, residual) pairs in increasing parameter order: the first within {@code tolerance} of the least residual. */
    private static double[] smallestWithin(List<double[]> curve, double tolerance) {
        double min = Double.MAX_VALUE;
        for (double[] p : curve) min = Math.min(min, p[1]);
        for (double[] p : curve) if (p[1] <= min * (1 + tolerance)) return p;
        throw new IllegalStateException("empty curve");
    }

    /**
     * The top-left corner {y, x} of the {@code side}×{@code side} window (clamped to the image)
     * with the most gradient energy among a 3×3 grid of candidates: flat sky says nothing about
     * the blur, edges do.
     */
    public static int[] texturedWindow(Image im, int side) {
        int h = im.height(), w = im.width();
        int sh = Math.min(side, h), sw = Math.min(side, w);
        float[] lum = luminance(im);
        int[] best = {0, 0};
        double bestEnergy = -1;
        for (int gy = 0; gy < 3; gy++) {
            for (int gx = 0; gx < 3; gx++) {
                int y0 = (h - sh) * gy / 2, x0 = (w - sw) * gx / 2;
                double e = 0;
                for (int y = y0; y < y0 + sh - 1; y++) {
                    for (int x = x0; x < x0 + sw - 1; x++) {
                        float dx = lum[y * w + x + 1] - lum[y * w + x], dy = lum[(y + 1) * w + x] - lum[y * w + x];
                        e += dx * dx + dy * dy;
                    }
                }
                if (e > bestEnergy) { bestEnergy = e; best = new int[] {y0, x0}; }
            }
        }
        return best;
    }

    private static float[][] gaussian(double sigma) {
        return new float[][] {GaussianBlur.kernel1d(sigma)}; // one row: applied along x, then y
    }

    /**
     * Mean of (k ∗ x − y)² over the interior. A one-row kernel is the separable Gaussian (rows,
     * then columns); otherwise the 2-D kernel's non-zero taps are visited only.
     */
    static double residual(float[] y, float[] x, int h, int w, float[][] k) {
        int y0 = MARGIN, y1 = h - MARGIN, x0 = MARGIN, x1 = w - MARGIN;
        double sum = 0;
        if (k.length == 1 && k[0].length > 1) {
            float[] g = k[0];
            int r = g.length / 2;
            // rows first on the band the interior needs, then columns
            float[] tmp = new float[h * w];
            for (int yy = y0 - r; yy < y1 + r; yy++) {
                for (int xx = x0; xx < x1; xx++) {
                    float acc = 0;
                    int base = yy * w + xx - r;
                    for (int t = 0; t < g.length; t++) acc += g[t] * x[base + t];
                    tmp[yy * w + xx] = acc;
                }
            }
            for (int yy = y0; yy < y1; yy++) {
                for (int xx = x0; xx < x1; xx++) {
                    float acc = 0;
                    for (int t = 0; t < g.length; t++) acc += g[t] * tmp[(yy - r + t) * w + xx];
                    float d = acc - y[yy * w + xx];
                    sum += d * d;
                }
            }
        } else {
            int kh = k.length, kw = k[0].length, ry = kh / 2, rx = kw / 2;
            int n = 0;
            for (float[] row : k) for (float v : row) if (v != 0) n++;
            int[] off = new int[n];   // flat offsets of the non-zero taps
            float[] wt = new float[n];
            int i = 0;
            for (int ty = 0; ty < kh; ty++) {
                for (int tx = 0; tx < kw; tx++) {
                    if (k[ty][tx] != 0) {
                        off[i] = (ty - ry) * w + (tx - rx);
                        wt[i++] = k[ty][tx];
                    }
                }
            }
            for (int yy = y0; yy < y1; yy++) {
                for (int xx = x0; xx < x1; xx++) {
                    int p = yy * w + xx;
                    float acc = 0;
                    for (int t = 0; t < n; t++) acc += wt[t] * x[p + off[t]];
                    float d = acc - y[p];
                    sum += d * d;
                }
            }
        }
        return sum / ((double) (y1 - y0) * (x1 - x0));
    }

    /** Luma (BT.601, as {@link Image#toGray}); the plane itself for gray. */
    private static float[] luminance(Image im) {
        return im.isGray() ? im.data() : im.toGray().data();
    }
}
