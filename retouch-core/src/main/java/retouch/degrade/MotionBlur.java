package retouch.degrade;

import java.util.SplittableRandom;

import retouch.image.Image;

/**
 * Linear motion blur: the camera moves {@code length} pixels along {@code angle} degrees
 * (counter-clockwise from the +x axis, image y pointing down) during the exposure. The kernel is
 * a line segment of that length centred on the origin, rasterised with anti-aliasing in the
 * manner of MATLAB's {@code fspecial('motion')}: each tap gets weight {@code max(0, 1 − d)} where
 * d is its distance (pixels) to the segment, then the kernel is normalised to sum 1. Borders
 * are mirrored (reflect-101).
 */
public final class MotionBlur implements Degradation {
    private final double length;
    private final double angle;
    private final float[][] kernel;

    public MotionBlur(double length, double angleDegrees) {
        if (!(length >= 1) || length > 1000) throw new IllegalArgumentException("motion length must be in [1, 1000] pixels, got " + length);
        if (!Double.isFinite(angleDegrees)) throw new IllegalArgumentException("motion angle must be finite");
        this.length = length;
        this.angle = angleDegrees;
        this.kernel = kernel(length, angleDegrees);
    }

    public double length() { return length; }
    public double angle() { return angle; }

    /** A copy of the kernel (odd square size, sums to 1). */
    public float[][] kernel() {
        float[][] k = new float[kernel.length][];
        for (int i = 0; i < k.length; i++) k[i] = kernel[i].clone();
        return k;
    }

    /** Builds the anti-aliased line kernel, cropped to its non-zero extent (kept centred and odd). */
    public static float[][] kernel(double length, double angleDegrees) {
        double half = (length - 1) / 2.0;
        double t = Math.toRadians(angleDegrees);
        double dx = Math.cos(t), dy = -Math.sin(t);
        int r = (int) Math.ceil(half) + 1;
        int n = 2 * r + 1;
        double[][] k = new double[n][n];
        double sum = 0;
        for (int y = -r; y <= r; y++) {
            for (int x = -r; x <= r; x++) {
                double along = x * dx + y * dy;
                double cl = Math.max(-half, Math.min(half, along));
                double px = x - cl * dx, py = y - cl * dy;
                double d = Math.sqrt(px * px + py * py);
                double v = Math.max(0, 1 - d);
                if (v < 1e-9) v = 0;
                k[y + r][x + r] = v;
                sum += v;
            }
        }
        // crop to the symmetric non-zero extent
        int ext = 0;
        for (int y = -r; y <= r; y++) {
            for (int x = -r; x <= r; x++) {
                if (k[y + r][x + r] > 0) ext = Math.max(ext, Math.max(Math.abs(x), Math.abs(y)));
            }
        }
        int m = 2 * ext + 1;
        float[][] out = new float[m][m];
        for (int y = 0; y < m; y++) for (int x = 0; x < m; x++) out[y][x] = (float) (k[y + r - ext][x + r - ext] / sum);
        return out;
    }

    @Override
    public Image apply(Image clean, SplittableRandom rng) {
        return Filters.conv2d(clean, kernel);
    }

    @Override
    public String spec() { return "blur:motion:" + Filters.num(length) + ":" + Filters.num(angle); }

    @Override
    public String toString() { return spec(); }
}
