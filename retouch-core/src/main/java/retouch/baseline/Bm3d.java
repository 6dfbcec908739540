package retouch.baseline;

import java.util.stream.IntStream;

import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.OpponentColour;

/**
 * BM3D denoising (Dabov, Foi, Katkovnik &amp; Egiazarian, "Image Denoising by Sparse 3-D
 * Transform-Domain Collaborative Filtering", IEEE TIP 2007), following the choices of Lebrun's
 * reference analysis (IPOL 2012): similar 8×8 blocks (11/12 above σ 40) are stacked into groups
 * of a power-of-two size, transformed by a 2-D DCT and a Walsh–Hadamard transform along the stack,
 * shrunk, transformed back and averaged with Kaiser-window weights.
 * <ol>
 * <li>{@link #denoise}: the basic estimate (hard thresholding at λ·σ, groups of ≤ 16 matched on
 *     the noisy image), then the final estimate ({@linkplain #refine Wiener stage} with the basic
 *     estimate as pilot).</li>
 * <li>{@link #refine}: the Wiener stage alone, with any pilot. Groups are matched on the pilot and
 *     the noisy image's 3-D spectrum is shrunk by |pilot|²/(|pilot|² + σ²). A better pilot gives a
 *     better result, which is why a denoising network's output makes a good one.</li>
 * </ol>
 * Colour images are filtered in the opponent colour space ({@link OpponentColour}, as CBM3D):
 * groups are matched on luminance and shared by the three planes, each shrunk at its own noise
 * level (σ/√3 for luminance, σ for chroma). Differences from the paper: the DCT replaces the
 * biorthogonal 1.5 wavelet in the first stage and block distances are measured without the 2-D
 * prefilter above σ 40 (both as in Lebrun's DCT variant, within about 0.1 dB).
 * Reference positions every 3 pixels (plus the last row and column), search window 33×33.
 */
public final class Bm3d {
    private Bm3d() {}

    /** One stage's settings; {@code matchTau} is the largest mean squared block difference (0–255 scale) in a group. */
    record Stage(int block, int maxGroup, int step, int searchHalf, float matchTau, float lambda3d, boolean wiener) {}

    static Stage hardStage(double sigma) {
        return sigma <= 40 ? new Stage(8, 16, 3, 16, 2500, 2.7f, false) : new Stage(12, 16, 3, 16, 5000, 2.8f, false);
    }

    static Stage wienerStage(double sigma) {
        return sigma <= 40 ? new Stage(8, 32, 3, 16, 400, 0, true) : new Stage(11, 32, 3, 16, 3500, 0, true);
    }

    /** Below this σ (0–255) the shrinkage weights would divide by ~0; the image is returned as it is. */
    private static final double MIN_SIGMA = 0.05;

    /**
     * Both BM3D stages.
     *
     * @param noisy gray or RGB, values in [0, 1]
     * @param sigma noise σ on the 0–255 scale (of R, G and B for colour images)
     */
    public static Image denoise(Image noisy, double sigma) {
        checkSigma(sigma);
        if (sigma < MIN_SIGMA || tooSmall(noisy, sigma)) return noisy.copy();
        float[][] planes = toPlanes(noisy);
        float[] sigmas = planeSigmas(noisy, sigma);
        int h = noisy.height(), w = noisy.width();
        float[][] basic = filter(planes, null, planes[0], h, w, sigmas, hardStage(sigma), () -> {});
        float[][] fin = filter(planes, basic, basic[0], h, w, sigmas, wienerStage(sigma), () -> {});
        return fromPlanes(fin, noisy).clip();
    }

    /**
     * The Wiener stage with {@code pilot} as the estimate of the clean image: groups are matched
     * on the pilot, and each coefficient of the noisy group's 3-D spectrum is kept in the
     * proportion |pilot|²/(|pilot|² + σ²).
     *
     * @param pilot an estimate of the clean image, same shape as {@code noisy}
     * @param sigma noise σ of {@code noisy} on the 0–255 scale
     */
    public static Image refine(Image noisy, Image pilot, double sigma) {
        return refine(noisy, pilot, sigma, () -> {});
    }

    /**
     * {@link #refine(Image, Image, double)}, calling {@code onStripe} (from worker threads) after
     * each of the {@link #refineStripes} horizontal stripes, e.g. to step a progress bar.
     */
    public static Image refine(Image noisy, Image pilot, double sigma, Runnable onStripe) {
        checkSigma(sigma);
        if (!noisy.sameShape(pilot)) {
            throw new RetouchException("BM3D pilot is " + pilot.shapeString() + " but the noisy image is " + noisy.shapeString());
        }
        if (sigma < MIN_SIGMA || tooSmall(noisy, sigma)) return pilot.copy();
        float[][] planes = toPlanes(noisy);
        float[][] guide = toPlanes(pilot);
        float[][] fin = filter(planes, guide, guide[0], noisy.height(), noisy.width(), planeSigmas(noisy, sigma), wienerStage(sigma), onStripe);
        return fromPlanes(fin, noisy).clip();
    }

    private static void checkSigma(double sigma) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new RetouchException("BM3D needs a noise sigma >= 0 (0-255 scale), got " + sigma);
    }

    private static boolean tooSmall(Image im, double sigma) {
        int k = wienerStage(sigma).block();
        return im.height() < k || im.width() < k;
    }

    private static float[][] toPlanes(Image im) {
        Image[] planes = im.isGray() ? new Image[] {im} : OpponentColour.split(im);
        float[][] out = new float[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            float[] src = planes[c].data();
            float[] d = new float[im.pixels()];
            for (int i = 0; i < d.length; i++) d[i] = src[i] * 255f;
            out[c] = d;
        }
        return out;
    }

    private static Image fromPlanes(float[][] planes, Image like) {
        Image[] ims = new Image[planes.length];
        for (int c = 0; c < planes.length; c++) {
            float[] d = planes[c];
            for (int i = 0; i < d.length; i++) d[i] /= 255f;
            ims[c] = new Image(1, like.height(), like.width(), d);
        }
        return like.isGray() ? ims[0] : OpponentColour.merge(ims);
    }

    private static float[] planeSigmas(Image im, double sigma) {
        float s = (float) Math.max(sigma, MIN_SIGMA);
        return im.isGray() ? new float[] {s} : new float[] {s / (float) Math.sqrt(3), s, s};
    }

    /**
     * One stage over all planes. Reference blocks are handled in horizontal stripes; a group's
     * blocks lie up to the search radius above or below its reference, so a stripe is made tall
     * enough ({@link #stripeHeight}) that stripes two apart never write the same pixels, and even
     * and then odd stripes run in parallel without locks.
     *
     * @param pilot null for hard thresholding, else the Wiener pilot (one plane per noisy plane)
     * @param guide the plane blocks are matched on
     */
    static float[][] filter(float[][] noisy, float[][] pilot, float[] guide, int h, int w, float[] sigmas, Stage s, Runnable onStripe) {
        int k = s.block();
        int[] rows = positions(h - k, s.step());
        int[] cols = positions(w - k, s.step());
        float[][] num = new float[noisy.length][h * w];
        float[][] den = new float[noisy.length][h * w];
        float[] window = kaiser(k, 2.0);
        float[] dct = dctMatrix(k);
        int stripe = stripeHeight(s);
        int stripes = stripes(h, s);
        Thread caller = Thread.currentThread(); // stripes run in the common pool: cancellation is the caller's interrupt
        for (int parity = 0; parity < 2; parity++) {
            int first = parity;
            IntStream.range(0, (stripes - first + 1) / 2).parallel().forEach(j -> {
                retouch.tile.Tiler.checkCancelled(caller);
                int lo = (first + 2 * j) * stripe, hi = lo + stripe;
                Worker worker = new Worker(noisy, pilot, guide, h, w, sigmas, s, window, dct, num, den);
                for (int r : rows) {
                    if (r < lo || r >= hi) continue;
                    for (int c : cols) worker.group(r, c);
                }
                onStripe.run();
            });
        }
        // the estimate replaces the numerator in place: one image less to hold for big photos
        for (int c = 0; c < noisy.length; c++) {
            float[] nu = num[c], de = den[c], y = noisy[c];
            for (int i = 0; i < h * w; i++) nu[i] = de[i] > 0 ? nu[i] / de[i] : y[i];
        }
        return num;
    }

    /**
     * Rows of reference positions per stripe. References in [lo, lo + H) write rows from
     * lo − radius to lo + H + radius + block − 1, so with H = 2·radius + 2·block the stripe two
     * further down (from lo + 2H − radius) never overlaps.
     */
    static int stripeHeight(Stage s) {
        return 2 * s.searchHalf() + 2 * s.block();
    }

    private static int stripes(int h, Stage s) {
        return (h - s.block()) / stripeHeight(s) + 1;
    }

    /** How many times {@link #refine(Image, Image, double, Runnable)} calls back for an image of this size. */
    public static int refineStripes(int height, int width, double sigma) {
        Stage s = wienerStage(sigma);
        return sigma < MIN_SIGMA || height < s.block() || width < s.block() ? 0 : stripes(height, s);
    }

    /** Rows of references one stripe of {@link #refine} covers (its blocks reach a little beyond). */
    public static int refineStripeHeight(double sigma) {
        return stripeHeight(wienerStage(sigma));
    }

    /** 0, step, 2·step … and always {@code last}, so every pixel is covered. */
    static int[] positions(int last, int step) {
        int n = last / step + 1;
        boolean extra = (n - 1) * step != last;
        int[] p = new int[n + (extra ? 1 : 0)];
        for (int i = 0; i < n; i++) p[i] = i * step;
        if (extra) p[n] = last;
        return p;
    }

    /** Builds, shrinks and aggregates the group of one reference block; scratch space is its own. */
    private static final class Worker {
        private final float[][] noisy, pilot, num, den;
        private final float[] guide, sigmas, window, dct;
        private final int h, w, k, kk;
        private final Stage s;
        private final float[] bestDist;
        private final int[] bestPos;
        private final float[][] group, pilotGroup;
        private final float[] tmp, rows;

        Worker(float[][] noisy, float[][] pilot, float[] guide, int h, int w, float[] sigmas, Stage s,
                float[] window, float[] dct, float[][] num, float[][] den) {
            this.noisy = noisy;
            this.pilot = pilot;
            this.guide = guide;
            this.h = h;
            this.w = w;
            this.sigmas = sigmas;
            this.s = s;
            this.window = window;
            this.dct = dct;
            this.num = num;
            this.den = den;
            this.k = s.block();
            this.kk = k * k;
            this.bestDist = new float[s.maxGroup()];
            this.bestPos = new int[s.maxGroup()];
            this.group = new float[s.maxGroup()][kk];
            this.pilotGroup = new float[s.maxGroup()][kk];
            this.tmp = new float[kk];
            this.rows = new float[k];
        }

        void group(int r, int c) {
            int m = Integer.highestOneBit(match(r, c));
            for (int ch = 0; ch < noisy.length; ch++) {
                for (int b = 0; b < m; b++) {
                    forward(noisy[ch], bestPos[b], group[b]);
                    if (pilot != null) forward(pilot[ch], bestPos[b], pilotGroup[b]);
                }
                hadamard(group, m);
                float sigma = sigmas[ch];
                float weight;
                if (pilot == null) {
                    float thr = s.lambda3d() * sigma;
                    int kept = 0;
                    for (int b = 0; b < m; b++) {
                        float[] g = group[b];
                        for (int i = 0; i < kk; i++) {
                            if (Math.abs(g[i]) > thr) kept++;
                            else g[i] = 0;
                        }
                    }
                    weight = kept > 0 ? 1f / (sigma * sigma * kept) : 1f;
                } else {
                    hadamard(pilotGroup, m);
                    float s2 = sigma * sigma;
                    double sumW2 = 0;
                    for (int b = 0; b < m; b++) {
                        float[] g = group[b], p = pilotGroup[b];
                        for (int i = 0; i < kk; i++) {
                            float p2 = p[i] * p[i];
                            float shrink = p2 / (p2 + s2);
                            g[i] *= shrink;
                            sumW2 += shrink * shrink;
                        }
                    }
                    weight = sumW2 > 0 ? (float) (1.0 / (s2 * sumW2)) : 1f;
                }
                hadamard(group, m);
                float[] nu = num[ch], de = den[ch];
                for (int b = 0; b < m; b++) {
                    inverse(group[b]);
                    int pos = bestPos[b];
                    for (int y = 0; y < k; y++) {
                        int row = pos + y * w;
                        for (int x = 0; x < k; x++) {
                            float wt = weight * window[y * k + x];
                            nu[row + x] += wt * tmp[y * k + x];
                            de[row + x] += wt;
                        }
                    }
                }
            }
        }

        /** Fills bestPos/bestDist with the closest blocks (reference first) and returns how many. */
        private int match(int r, int c) {
            int ref = r * w + c;
            float limit = s.matchTau() * kk;
            int n = 0, cap = s.maxGroup();
            int y0 = Math.max(0, r - s.searchHalf()), y1 = Math.min(h - k, r + s.searchHalf());
            int x0 = Math.max(0, c - s.searchHalf()), x1 = Math.min(w - k, c + s.searchHalf());
            bestPos[0] = ref;
            bestDist[0] = 0;
            n = 1;
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    int cand = y * w + x;
                    if (cand == ref) continue;
                    float bound = n == cap ? Math.min(limit, bestDist[cap - 1]) : limit;
                    float d = 0;
                    for (int dy = 0; dy < k && d < bound; dy++) {
                        int a = ref + dy * w, b = cand + dy * w;
                        for (int dx = 0; dx < k; dx++) {
                            float diff = guide[a + dx] - guide[b + dx];
                            d += diff * diff;
                        }
                    }
                    if (d >= bound) continue;
                    int at = Math.min(n, cap - 1);
                    while (at > 1 && bestDist[at - 1] > d) {
                        bestDist[at] = bestDist[at - 1];
                        bestPos[at] = bestPos[at - 1];
                        at--;
                    }
                    bestDist[at] = d;
                    bestPos[at] = cand;
                    if (n < cap) n++;
                }
            }
            return n;
        }

        /** 2-D DCT of the block at {@code pos} of {@code plane} into {@code out}: C·X·Cᵀ. */
        private void forward(float[] plane, int pos, float[] out) {
            for (int u = 0; u < k; u++) {
                for (int x = 0; x < k; x++) {
                    float acc = 0;
                    for (int y = 0; y < k; y++) acc += dct[u * k + y] * plane[pos + y * w + x];
                    tmp[u * k + x] = acc;
                }
            }
            for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++) {
                    float acc = 0;
                    for (int x = 0; x < k; x++) acc += tmp[u * k + x] * dct[v * k + x];
                    out[u * k + v] = acc;
                }
            }
        }

        /** Inverse 2-D DCT of {@code coef} into {@code tmp}: Cᵀ·Y·C ({@code coef} is overwritten). */
        private void inverse(float[] coef) {
            for (int u = 0; u < k; u++) {
                for (int x = 0; x < k; x++) {
                    float acc = 0;
                    for (int v = 0; v < k; v++) acc += coef[u * k + v] * dct[v * k + x];
                    rows[x] = acc;
                }
                System.arraycopy(rows, 0, coef, u * k, k);
            }
            for (int y = 0; y < k; y++) {
                for (int x = 0; x < k; x++) {
                    float acc = 0;
                    for (int u = 0; u < k; u++) acc += dct[u * k + y] * coef[u * k + x];
                    tmp[y * k + x] = acc;
                }
            }
        }
    }

    /** Orthonormal Walsh–Hadamard transform along the group (its own inverse), m a power of two. */
    static void hadamard(float[][] group, int m) {
        if (m == 1) return;
        int kk = group[0].length;
        for (int len = 1; len < m; len <<= 1) {
            for (int i = 0; i < m; i += len << 1) {
                for (int j = i; j < i + len; j++) {
                    float[] a = group[j], b = group[j + len];
                    for (int t = 0; t < kk; t++) {
                        float x = a[t], y = b[t];
                        a[t] = x + y;
                        b[t] = x - y;
                    }
                }
            }
        }
        float norm = (float) (1 / Math.sqrt(m));
        for (int j = 0; j < m; j++) {
            float[] a = group[j];
            for (int t = 0; t < kk; t++) a[t] *= norm;
        }
    }

    /** Orthonormal DCT-II matrix, row u = frequency. */
    static float[] dctMatrix(int k) {
        float[] c = new float[k * k];
        for (int u = 0; u < k; u++) {
            double a = u == 0 ? Math.sqrt(1.0 / k) : Math.sqrt(2.0 / k);
            for (int x = 0; x < k; x++) c[u * k + x] = (float) (a * Math.cos((2 * x + 1) * u * Math.PI / (2 * k)));
        }
        return c;
    }

    /** 2-D Kaiser window (β), the aggregation weight that damps block borders. */
    static float[] kaiser(int k, double beta) {
        double[] w1 = new double[k];
        for (int n = 0; n < k; n++) {
            double t = k == 1 ? 0 : 2.0 * n / (k - 1) - 1;
            w1[n] = besselI0(beta * Math.sqrt(1 - t * t)) / besselI0(beta);
        }
        float[] w = new float[k * k];
        for (int y = 0; y < k; y++) for (int x = 0; x < k; x++) w[y * k + x] = (float) (w1[y] * w1[x]);
        return w;
    }

    private static double besselI0(double x) {
        double sum = 1, term = 1;
        for (int i = 1; i < 50; i++) {
            term *= (x / (2 * i)) * (x / (2 * i));
            sum += term;
        }
        return sum;
    }
}
