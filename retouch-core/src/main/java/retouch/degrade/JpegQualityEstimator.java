package retouch.degrade;

import retouch.image.Image;

/**
 * Estimates the JPEG quality (IJG scale 1–100) a decoded image was saved at, from its pixels
 * alone, so that every front door (a .jpg file, a PNG of a decoded JPEG, pixels handed to the
 * Java API) gets the same answer. JPEG stores each 8×8 block's DCT coefficients as multiples of
 * a quantisation step; the decoded pixels keep that lattice up to rounding. For a few low
 * frequencies the largest step whose lattice the coefficients fit is found, and the IJG quality
 * whose scaled standard luminance table best matches those steps is returned. The block grid
 * starts at the top-left pixel in files as saved; where no lattice shows there (a crop of a
 * decoded JPEG, a photo turned by its EXIF orientation whose side is not a multiple of 8), the
 * grid offsets with the strongest steps between neighbouring pixels are tried.
 */
public final class JpegQualityEstimator {

    /** The IJG (libjpeg) standard luminance table, JPEG Annex K, in row-major (v, u) order. */
    static final int[] LUMA = {
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99};

    /**
     * Frequencies (row, column) measured: low ones, where photos have enough non-zero coefficients,
     * and DC, which every block has (smooth photos have little else).
     */
    private static final int[][] FREQS = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0, 2}, {2, 0}, {1, 2}, {2, 1}, {2, 2}, {0, 3}, {3, 0}};
    /** Coefficients at least half a step from zero needed before a step is trusted. */
    private static final int MIN_SUPPORT = 24;
    /** Mean cos(2π·c/q) a step must reach: rounding noise of a few levels still passes at q ≥ 3. */
    private static final double FIT = 0.6;
    private static final int MAX_STEP = 255, MAX_BLOCKS = 16384, MAX_MULTIPLE = 3;
    /** The screen of every grid offset: three low AC frequencies of a few blocks, steps up to quality ~10's. */
    private static final int[][] SCREEN_FREQS = {{0, 1}, {1, 0}, {1, 1}};
    private static final int SCREEN_BLOCKS = 512, SCREEN_MAX_STEP = 64;
    private static final double MULTIPLE_PRICE = 0.3;
    /**
     * Smallest DC step trusted: a flat block decodes to one rounded value, which moves its DC by up
     * to ±4, so only coarse DC steps (quality below about 40) stand out of that rounding.
     */
    private static final int MIN_DC_STEP = 20;

    private JpegQualityEstimator() {}

    /**
     * What was found: the IJG quality, the number of frequencies whose step could be measured, and
     * whether every measured step is the standard (IJG-scaled) table's at that quality, within
     * rounding: false for photos saved with other tables (some cameras and editors). {@code gridY},
     * {@code gridX}: where whole 8×8 blocks start; {@code transposed}: the table shows transposed
     * (a photo turned a quarter by its EXIF orientation).
     */
    public record Estimate(int quality, int frequencies, boolean standardTable, int gridY, int gridX, boolean transposed) {
        /** An estimate on the grid that starts at the top-left pixel, table upright. */
        public Estimate(int quality, int frequencies, boolean standardTable) {
            this(quality, frequencies, standardTable, 0, 0, false);
        }

        /** An estimate with the table upright. */
        public Estimate(int quality, int frequencies, boolean standardTable, int gridY, int gridX) {
            this(quality, frequencies, standardTable, gridY, gridX, false);
        }

        /** True when at least one frequency had enough coefficients to measure its step. */
        public boolean measured() { return frequencies > 0; }

        /** Whether the 8×8 grid starts elsewhere than at the top-left pixel (a crop). */
        public boolean offGrid() { return gridY != 0 || gridX != 0; }
    }

    /**
     * The IJG quality of {@code image} (gray, or RGB measured on its BT.601 luma) and where its 8×8
     * block grid starts ({@code gridY}, {@code gridX} in 0–7); quality 100 when nothing could be measured.
     */
    public static Estimate estimate(Image image) {
        float[] y = luma255(image);
        int h = image.height(), w = image.width();
        Estimate best = fit(measuredSteps(y, h, w, 0, 0), 0, 0);
        if (best.measured() || h < 16 || w < 16) return best;
        // no lattice on the file grid: a crop or a turned photo has its blocks elsewhere, and block
        // edges show as larger steps between neighbouring pixels there
        int[] rowOffsets = strongestBoundaries(y, h, w, true), columnOffsets = strongestBoundaries(y, h, w, false);
        for (int gy : rowOffsets) {
            for (int gx : columnOffsets) {
                if (gy == 0 && gx == 0) continue;
                Estimate e = offGrid(y, h, w, gy, gx);
                if (e.frequencies() > best.frequencies()) best = e;
            }
        }
        if (best.measured()) return best;
        // fine qualities leave block edges too faint to rank: screen every offset on a few blocks and
        // three low frequencies, then measure the one that fits best in full
        int bestY = -1, bestX = -1, bestFits = 0;
        for (int gy = 0; gy < 8; gy++) {
            for (int gx = 0; gx < 8; gx++) {
                if (gy == 0 && gx == 0) continue;
                int fits = 0;
                for (int st : measuredSteps(y, h, w, gy, gx, SCREEN_FREQS, SCREEN_BLOCKS, SCREEN_MAX_STEP)) if (st > 0) fits++;
                if (fits > bestFits) {
                    bestFits = fits;
                    bestY = gy;
                    bestX = gx;
                }
            }
        }
        return bestFits == 0 ? best : offGrid(y, h, w, bestY, bestX);
    }

    /**
     * The estimate on a grid other than the file's: trusted only when at least two frequencies fit
     * (with 63 more offsets tried, one frequency fitting by chance on a photo that never was a JPEG
     * is more likely than on the file grid alone).
     */
    private static Estimate offGrid(float[] y, int h, int w, int gy, int gx) {
        Estimate e = fit(measuredSteps(y, h, w, gy, gx), gy, gx);
        return e.frequencies() >= 2 ? e : new Estimate(100, 0, false);
    }

    /**
     * The quantisation step measured at each of the estimator's frequencies (DC, then nine low AC
     * frequencies), 0 where there was too little to measure; for diagnostics.
     */
    public static int[] measuredSteps(Image image) {
        Estimate e = estimate(image);
        return measuredSteps(luma255(image), image.height(), image.width(), e.gridY(), e.gridX());
    }

    /** {@link #measuredSteps(Image)} on the luma {@code y} with whole blocks starting at row {@code gy}, column {@code gx}. */
    private static int[] measuredSteps(float[] y, int height, int w, int gy, int gx) {
        return measuredSteps(y, height, w, gy, gx, FREQS, MAX_BLOCKS, MAX_STEP);
    }

    /** The steps at {@code freqs} on at most {@code maxBlocks} blocks, none larger than {@code maxStep}. */
    private static int[] measuredSteps(float[] y, int height, int w, int gy, int gx, int[][] freqs, int maxBlocks, int maxStep) {
        int bh = (height - gy) / 8, bw = (w - gx) / 8;
        if (bh <= 0 || bw <= 0) return new int[freqs.length];
        // a spread-out sample of at most maxBlocks blocks keeps a 12-megapixel photo well under a second
        int total = bh * bw, stride = Math.max(1, (total + maxBlocks - 1) / maxBlocks), used = (total + stride - 1) / stride;
        double[][] coef = new double[freqs.length][used];
        double[] block = new double[64];
        for (int k = 0, i = 0; k < total; k += stride, i++) {
            int by = k / bw, bx = k % bw;
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) block[r * 8 + c] = y[(gy + by * 8 + r) * w + gx + bx * 8 + c] - 128.0;
            }
            for (int f = 0; f < freqs.length; f++) coef[f][i] = dct(block, freqs[f][0], freqs[f][1]);
        }
        int[] steps = new int[freqs.length];
        for (int f = 0; f < freqs.length; f++) {
            steps[f] = largestFittingStep(coef[f], freqs[f][0] == 0 && freqs[f][1] == 0 ? MIN_DC_STEP : 2, maxStep);
        }
        return steps;
    }

    /**
     * The two offsets (0–7) of rows ({@code rows}) or columns where the mean absolute step between
     * neighbouring pixels across the offset's boundaries is largest, the largest first.
     */
    static int[] strongestBoundaries(float[] y, int h, int w, boolean rows) {
        double[] sum = new double[8];
        long[] count = new long[8];
        // every 3rd line along the boundaries is plenty and keeps a 12-megapixel photo quick
        if (rows) {
            for (int r = 1; r < h; r++) {
                for (int c = 0; c < w; c += 3) {
                    sum[r % 8] += Math.abs(y[r * w + c] - y[(r - 1) * w + c]);
                    count[r % 8]++;
                }
            }
        } else {
            for (int r = 0; r < h; r += 3) {
                for (int c = 1; c < w; c++) {
                    sum[c % 8] += Math.abs(y[r * w + c] - y[r * w + c - 1]);
                    count[c % 8]++;
                }
            }
        }
        int first = -1, second = -1;
        for (int k = 0; k < 8; k++) {
            double m = count[k] == 0 ? -1 : sum[k] / count[k];
            if (first < 0 || m > sum[first] / Math.max(1, count[first])) {
                second = first;
                first = k;
            } else if (second < 0 || m > sum[second] / Math.max(1, count[second])) {
                second = k;
            }
        }
        return new int[] {first, second};
    }

    private static Estimate fit(int[] steps, int gy, int gx) {
        Estimate upright = fit(steps, gy, gx, false), turned = fit(steps, gy, gx, true);
        // a photo turned a quarter by its EXIF orientation shows the table transposed
        return turned.standardTable() && !upright.standardTable() ? turned : upright;
    }

    private static Estimate fit(int[] steps, int gy, int gx, boolean transposed) {
        int measured = 0;
        for (int st : steps) if (st > 0) measured++;
        if (measured == 0) return new Estimate(100, 0, false, gy, gx);
        int best = 100;
        double bestErr = Double.MAX_VALUE;
        for (int q = 1; q <= 100; q++) {
            double err = 0;
            for (int f = 0; f < FREQS.length; f++) {
                if (steps[f] != 0) err += mismatch(steps[f], tableStep(index(FREQS[f], transposed), q));
            }
            // ties (several qualities give the same table at these frequencies): the highest quality, the gentler repair
            if (err <= bestErr + 1e-9) {
                bestErr = err;
                best = q;
            }
        }
        boolean standard = true;
        for (int f = 0; f < FREQS.length; f++) {
            if (steps[f] == 0) continue;
            int want = tableStep(index(FREQS[f], transposed), best);
            boolean matches = false;
            for (int m = 1; m <= MAX_MULTIPLE; m++) matches |= Math.abs(steps[f] - m * want) <= Math.max(1, 0.1 * m * want);
            standard &= matches;
        }
        return new Estimate(best, measured, standard, gy, gx, transposed);
    }

    /** The table position of frequency (row, column), or of its transpose. */
    private static int index(int[] freq, boolean transposed) {
        return transposed ? freq[1] * 8 + freq[0] : freq[0] * 8 + freq[1];
    }

    /**
     * How far a measured step is from a table step in log terms, allowing the measured one to be a
     * small multiple of it at a price: where only even multiples of a step occur (few non-zero
     * coefficients), twice the step fits them as well, but a whole table twice another (quality 25
     * against 50) must still read as the smaller quality.
     */
    private static double mismatch(int measured, int table) {
        double best = Double.MAX_VALUE;
        for (int m = 1; m <= MAX_MULTIPLE; m++) {
            best = Math.min(best, Math.abs(Math.log(measured) - Math.log(m * (double) table)) + MULTIPLE_PRICE * (m - 1));
        }
        return best;
    }

    /** The IJG step for table position {@code index} at quality {@code q} (libjpeg's jpeg_quality_scaling, baseline clamp). */
    public static int tableStep(int index, int q) {
        int scale = q < 50 ? 5000 / q : 200 - 2 * q;
        return Math.max(1, Math.min(255, (LUMA[index] * scale + 50) / 100));
    }

    /**
     * The largest step q whose lattice the coefficients fit, using only coefficients at least q/2
     * from zero (zeros fit every lattice) and only when they sit on at least three lattice points
     * (a few equal values fit their own multiples too); 0 when no step ≥ {@code minStep} fits.
     */
    static int largestFittingStep(double[] c, int minStep, int maxStep) {
        double largest = 0;
        for (double v : c) largest = Math.max(largest, Math.abs(v));
        for (int q = Math.min(maxStep, (int) (2 * largest)); q >= minStep; q--) {
            double[] score = score(c, q, q / 2.0);
            if (score[1] >= MIN_SUPPORT && score[0] >= FIT && latticePoints(c, q) >= 3) return refine(c, q, minStep);
        }
        return 0;
    }

    /**
     * The step that fits best at or a little below {@code top}, the largest that passes: a step a
     * few percent too large still passes on the first multiples, so taking {@code top} itself would
     * read qualities a little low. The same coefficients score every candidate.
     */
    private static int refine(double[] c, int top, int minStep) {
        int best = top;
        double bestScore = -2;
        for (int q = top; q >= Math.max(minStep, (int) Math.ceil(top * 0.8)); q--) {
            double sc = score(c, q, top / 2.0)[0];
            if (sc > bestScore + 1e-9) {
                bestScore = sc;
                best = q;
            }
        }
        return best;
    }

    /** Mean cos(2π·v/q) over the coefficients at least {@code floor} from zero, and their count. */
    private static double[] score(double[] c, int q, double floor) {
        double sum = 0;
        int n = 0;
        for (double v : c) {
            if (Math.abs(v) >= floor) {
                sum += Math.cos(2 * Math.PI * v / q);
                n++;
            }
        }
        return new double[] {n == 0 ? -1 : sum / n, n};
    }

    private static int latticePoints(double[] c, int q) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (double v : c) {
            if (Math.abs(v) >= q / 2.0 && seen.add(Math.round(v / q)) && seen.size() >= 3) break;
        }
        return seen.size();
    }

    /** Orthonormal 8×8 DCT-II coefficient (row frequency v, column frequency u): JPEG's FDCT. */
    private static double dct(double[] block, int v, int u) {
        double[][] basis = JpegQuantisationConstraint.COS;
        double s = 0;
        for (int r = 0; r < 8; r++) {
            double cr = basis[v][r];
            for (int c = 0; c < 8; c++) s += block[r * 8 + c] * cr * basis[u][c];
        }
        return s;
    }

    static float[] luma255(Image im) {
        float[] d = im.data();
        int n = im.height() * im.width();
        float[] y = new float[n];
        if (im.isGray()) {
            for (int i = 0; i < n; i++) y[i] = d[i] * 255f;
        } else {
            // JPEG's YCbCr (JFIF): full-range BT.601 luma
            for (int i = 0; i < n; i++) y[i] = 255f * (0.299f * d[i] + 0.587f * d[n + i] + 0.114f * d[2 * n + i]);
        }
        return y;
    }
}
