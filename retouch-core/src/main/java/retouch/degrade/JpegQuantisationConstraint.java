package retouch.degrade;

import retouch.image.Image;

/**
 * The quantisation constraint of JPEG repair: the original photo's 8×8 DCT coefficients lie
 * within half a quantisation step of the ones the decoded JPEG shows, so a repair can be moved
 * into that box without moving it away from the original (the box is convex and holds the
 * original: projecting onto it never increases the distance to it). This undoes a network's
 * over-smoothing of near-lossless photos, where the box is narrow, and leaves blocky ones, where
 * it is wide, nearly alone. Applied to the luma (BT.601/JFIF Y) of colour photos, which JPEG
 * stores at full resolution with the luminance table; the standard (IJG) table at the given
 * quality is assumed, with the block grid where the caller says (the top-left pixel for files as
 * saved, elsewhere for crops); partial blocks at the edges are left as they are.
 */
public final class JpegQuantisationConstraint {
    /** The orthonormal 8-point DCT-II basis, COS[k][i] (frequency k, sample i); the estimator uses it too. */
    static final double[][] COS = new double[8][8];

    static {
        for (int k = 0; k < 8; k++) {
            double a = k == 0 ? Math.sqrt(0.125) : 0.5;
            for (int i = 0; i < 8; i++) COS[k][i] = a * Math.cos((2 * i + 1) * k * Math.PI / 16);
        }
    }

    private JpegQuantisationConstraint() {}

    /**
     * {@code restored} moved into the quantisation box of {@code jpeg} (the decoded JPEG it was
     * restored from, same size and channels), for the standard tables at {@code quality}.
     */
    public static Image project(Image restored, Image jpeg, int quality) {
        return project(restored, jpeg, quality, 0, 0);
    }

    /**
     * {@link #project(Image, Image, int)} for a block grid whose whole blocks start at row
     * {@code gridY} and column {@code gridX} (0–7; {@link JpegQualityEstimator.Estimate#gridY}).
     */
    public static Image project(Image restored, Image jpeg, int quality, int gridY, int gridX) {
        return project(restored, jpeg, quality, gridY, gridX, false);
    }

    /**
     * {@link #project(Image, Image, int, int, int)} with the table {@code transposed} (a photo turned
     * a quarter after it was saved: its row frequencies were the file's column frequencies).
     */
    public static Image project(Image restored, Image jpeg, int quality, int gridY, int gridX, boolean transposed) {
        if (gridY < 0 || gridY > 7 || gridX < 0 || gridX > 7) throw new IllegalArgumentException("grid offsets must be in 0..7, got " + gridY + ", " + gridX);
        if (restored.channels() != jpeg.channels() || restored.height() != jpeg.height() || restored.width() != jpeg.width()) {
            throw new IllegalArgumentException("the repair and its JPEG must have the same size and channels");
        }
        if (quality < 1 || quality > 100) throw new IllegalArgumentException("JPEG quality must be in 1..100, got " + quality);
        int h = restored.height(), w = restored.width(), n = h * w, channels = restored.channels();
        float[] yr = JpegQualityEstimator.luma255(restored), yj = JpegQualityEstimator.luma255(jpeg);
        double[] step = new double[64];
        for (int i = 0; i < 64; i++) step[i] = JpegQualityEstimator.tableStep(transposed ? (i % 8) * 8 + i / 8 : i, quality);
        Image out = restored.copy();
        float[] o = out.data();
        double[] a = new double[64], b = new double[64], ca = new double[64], cb = new double[64], delta = new double[64];
        for (int by = gridY; by + 8 <= h; by += 8) {
            for (int bx = gridX; bx + 8 <= w; bx += 8) {
                for (int r = 0; r < 8; r++) {
                    for (int c = 0; c < 8; c++) {
                        a[r * 8 + c] = yr[(by + r) * w + bx + c] - 128.0;
                        b[r * 8 + c] = yj[(by + r) * w + bx + c] - 128.0;
                    }
                }
                transform(a, ca, false);
                transform(b, cb, false);
                boolean moved = false;
                for (int i = 0; i < 64; i++) {
                    double centre = Math.rint(cb[i] / step[i]) * step[i];
                    double lo = centre - step[i] / 2, hi = centre + step[i] / 2;
                    double p = Math.max(lo, Math.min(hi, ca[i]));
                    delta[i] = p - ca[i];
                    moved |= delta[i] != 0;
                }
                if (!moved) continue;
                transform(delta, a, true);
                for (int r = 0; r < 8; r++) {
                    for (int c = 0; c < 8; c++) {
                        int px = (by + r) * w + bx + c;
                        // a change of luma alone moves R, G and B alike (the chroma stays)
                        float d = (float) (a[r * 8 + c] / 255.0);
                        for (int ch = 0; ch < channels; ch++) o[ch * n + px] += d;
                    }
                }
            }
        }
        return out.clip();
    }

    /**
     * The orthonormal 2-D DCT-II of an 8×8 row-major block (JPEG's FDCT), C·X·Cᵀ, or with
     * {@code inverse} its inverse, Cᵀ·X·C.
     */
    private static void transform(double[] x, double[] out, boolean inverse) {
        double[] tmp = new double[64];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double s = 0;
                for (int k = 0; k < 8; k++) s += (inverse ? COS[k][i] : COS[i][k]) * x[k * 8 + j];
                tmp[i * 8 + j] = s;
            }
        }
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double s = 0;
                for (int k = 0; k < 8; k++) s += tmp[i * 8 + k] * (inverse ? COS[k][j] : COS[j][k]);
                out[i * 8 + j] = s;
            }
        }
    }
}
