package retouch.degrade;

import retouch.image.Image;

/** Convolution helpers shared by the blur degradations (reflect-101 borders, like OpenCV's default). */
final class Filters {
    private Filters() {}

    /** Separable filtering with the same odd-length 1-D kernel along rows and columns. */
    static Image separable(Image im, float[] k) {
        int c = im.channels(), h = im.height(), w = im.width(), r = k.length / 2;
        float[] src = im.data();
        float[] tmp = new float[src.length];
        float[] dst = new float[src.length];
        int[] xi = new int[w + 2 * r];
        for (int i = 0; i < xi.length; i++) xi[i] = Image.reflectIndex(i - r, w);
        int[] yi = new int[h + 2 * r];
        for (int i = 0; i < yi.length; i++) yi[i] = Image.reflectIndex(i - r, h);
        for (int ch = 0; ch < c; ch++) {
            int off = ch * h * w;
            for (int y = 0; y < h; y++) {
                int row = off + y * w;
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int t = 0; t < k.length; t++) s += k[t] * src[row + xi[x + t]];
                    tmp[row + x] = (float) s;
                }
            }
            double[] acc = new double[w];
            for (int y = 0; y < h; y++) {
                java.util.Arrays.fill(acc, 0);
                for (int t = 0; t < k.length; t++) {
                    int row = off + yi[y + t] * w;
                    float q = k[t];
                    for (int x = 0; x < w; x++) acc[x] += q * tmp[row + x];
                }
                int row = off + y * w;
                for (int x = 0; x < w; x++) dst[row + x] = (float) acc[x];
            }
        }
        return new Image(c, h, w, dst);
    }

    /** 2-D correlation with a (kh × kw, odd sizes) kernel; zero taps are skipped. */
    static Image conv2d(Image im, float[][] k) {
        int c = im.channels(), h = im.height(), w = im.width();
        int kh = k.length, kw = k[0].length, ry = kh / 2, rx = kw / 2;
        float[] src = im.data();
        float[] dst = new float[src.length];
        int[] xi = new int[w + 2 * rx];
        for (int i = 0; i < xi.length; i++) xi[i] = Image.reflectIndex(i - rx, w);
        double[] acc = new double[w];
        for (int ch = 0; ch < c; ch++) {
            int off = ch * h * w;
            for (int y = 0; y < h; y++) {
                java.util.Arrays.fill(acc, 0);
                for (int ty = 0; ty < kh; ty++) {
                    int row = off + Image.reflectIndex(y + ty - ry, h) * w;
                    for (int tx = 0; tx < kw; tx++) {
                        float q = k[ty][tx];
                        if (q == 0f) continue;
                        for (int x = 0; x < w; x++) acc[x] += q * src[row + xi[x + tx]];
                    }
                }
                int row = off + y * w;
                for (int x = 0; x < w; x++) dst[row + x] = (float) acc[x];
            }
        }
        return new Image(c, h, w, dst);
    }

    /** Formats a number without a trailing ".0" so specs read naturally ("25", "1.6"). */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String s = Double.toString(v);
        return s;
    }
}
