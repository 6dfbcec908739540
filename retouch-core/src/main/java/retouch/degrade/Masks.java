package retouch.degrade;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.Resize;

/**
 * Inpainting hole masks as gray images: 1 = hole (missing), 0 = known.
 *
 * <p>Generators: a centre box (Context Encoders, Pathak et al. CVPR 2016), random boxes,
 * free-form brush strokes (the generator of DeepFill v2, Yu et al. ICCV 2019, "Free-Form Image
 * Inpainting with Gated Convolution": 4–12-vertex polylines with angles around 2π/5, segment
 * lengths ~ N(r, r/2) with r = diagonal/8, brush widths 12–40 px at 256² scaled with the image),
 * and masks read from files (e.g. the NVIDIA irregular mask set; white = hole). Generators given
 * a coverage range [lo, hi] (fraction of hole pixels) return a mask inside it: free-form masks
 * draw a target coverage uniformly in the range and grow stroke segment by segment, narrowing a
 * segment that would overshoot; box masks are redrawn until they fit.
 */
public final class Masks {
    private Masks() {}

    /** Brush widths (px) of thin strokes: the scratches, wires and blemishes people paint out. */
    public static final double THIN_MIN_WIDTH = 3, THIN_MAX_WIDTH = 10;
    /** Blob radii of {@link #blobs(int, int, double, double, SplittableRandom)} at 256 px (scaled with the image's shorter side). */
    public static final double BLOB_MIN_RADIUS = 5, BLOB_MAX_RADIUS = 35;

    /** Fraction of hole pixels (values ≥ 0.5). */
    public static double coverage(Image mask) {
        float[] d = mask.data();
        int n = mask.pixels(), holes = 0;
        for (int i = 0; i < n; i++) if (d[i] >= 0.5f) holes++;
        return holes / (double) n;
    }

    /** A centred box of {@code boxH × boxW} pixels (clamped to the image). */
    public static Image centerBox(int h, int w, int boxH, int boxW) {
        if (boxH <= 0 || boxW <= 0) throw new IllegalArgumentException("box size must be positive, got " + boxW + "x" + boxH);
        boxH = Math.min(boxH, h);
        boxW = Math.min(boxW, w);
        Image m = new Image(1, h, w);
        fillRect(m, (h - boxH) / 2, (w - boxW) / 2, boxH, boxW);
        return m;
    }

    /** A centred box whose sides are {@code fraction} of the image sides (0.5 → a quarter of the area). */
    public static Image centerBox(int h, int w, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("box fraction must be in (0,1], got " + fraction);
        return centerBox(h, w, Math.max(1, (int) Math.round(h * fraction)), Math.max(1, (int) Math.round(w * fraction)));
    }

    /** {@code count} boxes at random positions, each side uniform in [side/8, side/2]. */
    public static Image randomBoxes(int h, int w, int count, SplittableRandom rng) {
        return randomBoxes(h, w, count, 0, 1, rng);
    }

    /**
     * {@code count} random boxes, redrawn (up to 500 times) until the coverage lies in
     * [lo, hi]; boxes shrink on later tries if they keep overshooting. Falls back to the closest
     * mask seen when the range cannot be met (e.g. a tiny image).
     */
    public static Image randomBoxes(int h, int w, int count, double lo, double hi, SplittableRandom rng) {
        checkRange(lo, hi);
        if (count < 1) throw new IllegalArgumentException("box count must be at least 1, got " + count);
        Image best = null;
        double bestDist = Double.POSITIVE_INFINITY;
        double shrink = 1;
        for (int attempt = 0; attempt < 500; attempt++) {
            Image m = new Image(1, h, w);
            for (int b = 0; b < count; b++) {
                int bh = Math.max(1, (int) Math.round(shrink * (h / 8.0 + rng.nextDouble() * (h / 2.0 - h / 8.0))));
                int bw = Math.max(1, (int) Math.round(shrink * (w / 8.0 + rng.nextDouble() * (w / 2.0 - w / 8.0))));
                int y = rng.nextInt(h - Math.min(bh, h) + 1), x = rng.nextInt(w - Math.min(bw, w) + 1);
                fillRect(m, y, x, Math.min(bh, h), Math.min(bw, w));
            }
            double c = coverage(m);
            if (c >= lo && c <= hi) return m;
            double dist = c < lo ? lo - c : c - hi;
            if (dist < bestDist) { bestDist = dist; best = m; }
            if (c > hi && attempt % 20 == 19) shrink *= 0.85;
            if (c < lo && attempt % 20 == 19) shrink *= 1.15;
        }
        return best;
    }

    /** Free-form brush strokes with coverage in [lo, hi] (see the class comment). */
    public static Image freeForm(int h, int w, double lo, double hi, SplittableRandom rng) {
        double scale = Math.min(h, w) / 256.0;
        return freeForm(h, w, lo, hi, 12 * scale, 40 * scale, rng);
    }

    /**
     * Free-form strokes as {@link #freeForm(int, int, double, double, SplittableRandom)} but with brush
     * widths uniform in [{@code minWidth}, {@code maxWidth}] pixels whatever the image size: e.g.
     * 3–10 px for the thin scratches, wires and blemishes people paint out of photos.
     */
    public static Image freeForm(int h, int w, double lo, double hi, double minWidth, double maxWidth, SplittableRandom rng) {
        checkRange(lo, hi);
        if (!(minWidth >= 1 && maxWidth >= minWidth)) throw new IllegalArgumentException("brush widths must satisfy 1 <= min <= max, got " + minWidth + "-" + maxWidth);
        int n = h * w;
        float[] d = new float[n];
        double target = lo + (hi - lo) * rng.nextDouble();
        int holes = 0;
        double avgRadius = Math.sqrt((double) h * h + (double) w * w) / 8;
        int[] touched = new int[n];
        for (int stroke = 0; stroke < 1000 && holes < target * n; stroke++) {
            int vertices = 4 + rng.nextInt(9);
            double meanAngle = 2 * Math.PI / 5, angleRange = 2 * Math.PI / 15;
            double aMin = meanAngle - rng.nextDouble() * angleRange;
            double aMax = meanAngle + rng.nextDouble() * angleRange;
            double width = Math.max(1, minWidth + rng.nextDouble() * (maxWidth - minWidth));
            double px = rng.nextDouble() * w, py = rng.nextDouble() * h;
            int start = disc(d, h, w, px, py, width / 2, touched);
            if (holes + start > hi * n) {
                for (int i = 0; i < start; i++) d[touched[i]] = 0f;
            } else {
                holes += start;
            }
            for (int v = 0; v < vertices && holes < target * n; v++) {
                double a = aMin + rng.nextDouble() * (aMax - aMin);
                if (v % 2 == 0) a = 2 * Math.PI - a;
                double r = Math.max(0, Math.min(2 * avgRadius, avgRadius + rng.nextGaussian() * avgRadius / 2));
                double nx = Math.max(0, Math.min(w, px + r * Math.cos(a)));
                double ny = Math.max(0, Math.min(h, py + r * Math.sin(a)));
                double bw = width;
                for (int tries = 0; tries < 6; tries++) {
                    int added = segment(d, h, w, px, py, nx, ny, bw / 2, touched);
                    if (holes + added <= hi * n) {
                        holes += added;
                        break;
                    }
                    for (int i = 0; i < added; i++) d[touched[i]] = 0f; // undo, retry shorter and narrower
                    bw = Math.max(1, bw / 2);
                    nx = (px + nx) / 2;
                    ny = (py + ny) / 2;
                }
                px = nx;
                py = ny;
            }
        }
        return new Image(1, h, w, d);
    }

    /**
     * Irregular blobs with coverage in [lo, hi]: star-shaped shapes whose radius varies with the
     * angle by four random harmonics (r(θ) = R·(1 + Σ a_k cos(kθ + φ_k)), k = 2..5), R uniform in
     * [{@code minRadius}, {@code maxRadius}] pixels, placed anywhere (overlapping, cut by the border)
     * until the coverage drawn in [lo, hi] is reached; a blob that would pass {@code hi} is dropped.
     * They stand for the compact holes people paint over objects, stains and blemishes, unlike the
     * elongated brush strokes of {@link #freeForm}.
     */
    public static Image blobs(int h, int w, double lo, double hi, SplittableRandom rng) {
        double scale = Math.min(h, w) / 256.0;
        return blobs(h, w, lo, hi, Math.max(2, BLOB_MIN_RADIUS * scale), Math.max(2, BLOB_MAX_RADIUS * scale), rng);
    }

    /** Blobs as {@link #blobs(int, int, double, double, SplittableRandom)} with radii in pixels, whatever the image size. */
    public static Image blobs(int h, int w, double lo, double hi, double minRadius, double maxRadius, SplittableRandom rng) {
        checkRange(lo, hi);
        if (!(minRadius >= 1 && maxRadius >= minRadius)) throw new IllegalArgumentException("blob radii must satisfy 1 <= min <= max, got " + minRadius + "-" + maxRadius);
        int n = h * w;
        float[] d = new float[n];
        int[] touched = new int[n];
        double target = lo + (hi - lo) * rng.nextDouble();
        int holes = 0;
        double[] amp = new double[4], phase = new double[4];
        for (int blob = 0; blob < 2000 && holes < target * n; blob++) {
            double radius = minRadius + rng.nextDouble() * (maxRadius - minRadius);
            for (int k = 0; k < 4; k++) {
                amp[k] = rng.nextDouble() * 0.4 / (k + 1);
                phase[k] = rng.nextDouble() * 2 * Math.PI;
            }
            double cx = rng.nextDouble() * w, cy = rng.nextDouble() * h, reach = radius * 1.8;
            int xa = Math.max(0, (int) (cx - reach)), xb = Math.min(w - 1, (int) (cx + reach));
            int ya = Math.max(0, (int) (cy - reach)), yb = Math.min(h - 1, (int) (cy + reach));
            int added = 0;
            for (int y = ya; y <= yb; y++) {
                for (int x = xa; x <= xb; x++) {
                    int i = y * w + x;
                    if (d[i] != 0f) continue;
                    double dx = x + 0.5 - cx, dy = y + 0.5 - cy, theta = Math.atan2(dy, dx), r = 1;
                    for (int k = 0; k < 4; k++) r += amp[k] * Math.cos((k + 2) * theta + phase[k]);
                    if (dx * dx + dy * dy <= radius * radius * r * r) {
                        d[i] = 1f;
                        touched[added++] = i;
                    }
                }
            }
            if (holes + added > hi * n) {
                for (int i = 0; i < added; i++) d[touched[i]] = 0f;
            } else {
                holes += added;
            }
        }
        return new Image(1, h, w, d);
    }

    /**
     * The hole mask a user gave for a photo of h×w (as displayed: after its EXIF orientation): as
     * {@link #fromImage}, so a mask painted on a smaller or larger copy of the photo fits, but a
     * mask of another shape is refused, since its holes would land in the wrong places. The
     * tolerance is one mask pixel or 2 % of a side, whichever is larger (rounding of a resized copy).
     *
     * @param name the mask's name for the message (a file name, a form field)
     * @throws RetouchException when the shapes differ, naming both sizes and the fix
     */
    public static Image forPhoto(Image picture, int h, int w, String name) {
        int mh = picture.height(), mw = picture.width();
        if (!sameShape(mh, mw, h, w)) {
            boolean turned = sameShape(mh, mw, w, h);
            throw new RetouchException("mask " + name + " is " + mw + "x" + mh + " but the photo is " + w + "x" + h
                    + (turned ? " as displayed (the mask is turned a quarter: was it painted on the photo before its EXIF orientation"
                            + " was applied?)" : "")
                    + "; a mask of another shape would put the holes in the wrong places: paint it on the photo as it is displayed,"
                    + " at its size or any size of the same shape");
        }
        return fromImage(picture, h, w);
    }

    private static boolean sameShape(int mh, int mw, int h, int w) {
        double expectedHeight = (double) mw * h / w;
        return Math.abs(mh - expectedHeight) <= Math.max(1, 0.02 * expectedHeight);
    }

    /**
     * A mask from a mask picture of any size: converted to gray, resized (nearest) to h×w,
     * and thresholded at 0.5 (white = hole).
     */
    public static Image fromImage(Image picture, int h, int w) {
        Image g = picture.toGray();
        if (g.height() != h || g.width() != w) g = Resize.resize(g, h, w, Resize.Method.NEAREST);
        float[] d = g.data();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = d[i] >= 0.5f ? 1f : 0f;
        return new Image(1, h, w, out);
    }

    /** Reads a mask picture (PNG, JPEG, … through javax.imageio) as a gray image in [0,1]. */
    public static Image read(Path file) {
        if (!Files.isRegularFile(file)) throw new RetouchException("mask file not found: " + file);
        BufferedImage bi;
        try {
            bi = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new RetouchException("cannot read mask file " + file + ": " + e.getMessage(), e);
        }
        if (bi == null) throw new RetouchException("mask file " + file + " is not an image format javax.imageio can read (use PNG)");
        Raster r = bi.getRaster();
        int h = bi.getHeight(), w = bi.getWidth(), bands = r.getNumBands();
        boolean indexed = bi.getColorModel() instanceof java.awt.image.IndexColorModel;
        Image out = new Image(1, h, w);
        float[] o = out.data();
        if (indexed || bands == 2 || bands > 4) {
            int[] rgb = bi.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < rgb.length; i++) {
                int p = rgb[i];
                o[i] = (((p >> 16) & 255) + ((p >> 8) & 255) + (p & 255)) / (3f * 255f);
            }
            return out;
        }
        float max = (float) ((1L << r.getSampleModel().getSampleSize(0)) - 1);
        int colorBands = bands >= 3 ? 3 : 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int b = 0; b < colorBands; b++) s += r.getSample(x, y, b);
                o[y * w + x] = s / (colorBands * max);
            }
        }
        return out;
    }

    static void checkRange(double lo, double hi) {
        if (!(lo >= 0 && hi <= 1 && lo <= hi)) throw new IllegalArgumentException("coverage range must satisfy 0 <= lo <= hi <= 1, got " + lo + "-" + hi);
    }

    private static void fillRect(Image m, int y, int x, int bh, int bw) {
        float[] d = m.data();
        int w = m.width();
        for (int r = y; r < y + bh; r++) java.util.Arrays.fill(d, r * w + x, r * w + x + bw, 1f);
    }

    /** Sets the pixels within {@code radius} of segment (x0,y0)-(x1,y1); returns how many were newly set (recorded in touched). */
    private static int segment(float[] d, int h, int w, double x0, double y0, double x1, double y1, double radius, int[] touched) {
        int xa = Math.max(0, (int) Math.floor(Math.min(x0, x1) - radius)), xb = Math.min(w - 1, (int) Math.ceil(Math.max(x0, x1) + radius));
        int ya = Math.max(0, (int) Math.floor(Math.min(y0, y1) - radius)), yb = Math.min(h - 1, (int) Math.ceil(Math.max(y0, y1) + radius));
        double vx = x1 - x0, vy = y1 - y0, len2 = vx * vx + vy * vy, r2 = radius * radius;
        int added = 0;
        for (int y = ya; y <= yb; y++) {
            for (int x = xa; x <= xb; x++) {
                int i = y * w + x;
                if (d[i] != 0f) continue;
                double cx = x + 0.5 - x0, cy = y + 0.5 - y0;
                double t = len2 > 0 ? Math.max(0, Math.min(1, (cx * vx + cy * vy) / len2)) : 0;
                double ex = cx - t * vx, ey = cy - t * vy;
                if (ex * ex + ey * ey <= r2) {
                    d[i] = 1f;
                    touched[added++] = i;
                }
            }
        }
        return added;
    }

    private static int disc(float[] d, int h, int w, double x, double y, double radius, int[] touched) {
        return segment(d, h, w, x, y, x, y, radius, touched);
    }
}
