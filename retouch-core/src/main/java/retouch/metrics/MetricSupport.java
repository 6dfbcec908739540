package retouch.metrics;

import retouch.image.Image;

/** Shared checks and colour conversion for the metrics. */
final class MetricSupport {
    private MetricSupport() {}

    static void check(Image a, Image b, int border) {
        if (!a.sameShape(b)) throw new IllegalArgumentException("images differ in shape: " + a.shapeString() + " vs " + b.shapeString());
        if (border < 0 || 2 * border >= a.height() || 2 * border >= a.width()) {
            throw new IllegalArgumentException("border " + border + " leaves nothing of a " + a.shapeString() + " image");
        }
    }

    /**
     * ITU-R BT.601 luma of YCbCr for [0,1] RGB, as MATLAB's rgb2ycbcr used by the SR literature:
     * {@code Y = (16 + 65.481 R + 128.553 G + 24.966 B) / 255}, in [16/255, 235/255]. Gray images are returned unchanged.
     */
    static Image luma(Image im) {
        if (im.isGray()) return im;
        int n = im.pixels();
        float[] d = im.data();
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (float) ((16.0 + 65.481 * d[i] + 128.553 * d[n + i] + 24.966 * d[2 * n + i]) / 255.0);
        }
        return new Image(1, im.height(), im.width(), y);
    }
}
