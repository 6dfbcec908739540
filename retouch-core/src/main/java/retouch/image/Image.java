package retouch.image;

import java.util.Arrays;

/**
 * The one image type of Retouch: float samples in channel-major order (CHW), nominally in [0,1].
 *
 * <p>Channels are 1 (gray) or 3 (RGB). Values may leave [0,1] in the middle of a pipeline
 * (unclipped Gaussian noise, network output); {@link #clip()} brings them back before writing.
 * The sample array is owned by the image; operations return new images unless named "InPlace".
 */
public final class Image {
    private final int channels;
    private final int height;
    private final int width;
    private final float[] data;

    public Image(int channels, int height, int width) {
        this(channels, height, width, new float[checkedSize(channels, height, width)]);
    }

    /** Wraps {@code data} (CHW, length c*h*w) without copying. */
    public Image(int channels, int height, int width, float[] data) {
        int n = checkedSize(channels, height, width);
        if (data.length != n) {
            throw new IllegalArgumentException(
                    "sample array has " + data.length + " values, expected " + n + " for " + channels + "x" + height + "x" + width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
    }

    private static int checkedSize(int c, int h, int w) {
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("images have 1 (gray) or 3 (RGB) channels, not " + c);
        }
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + w + "x" + h);
        }
        long n = (long) c * h * w;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image too large for one array: " + w + "x" + h + "x" + c);
        }
        return (int) n;
    }

    /** A gray image filled with a constant. */
    public static Image filled(int channels, int height, int width, float value) {
        Image im = new Image(channels, height, width);
        Arrays.fill(im.data, value);
        return im;
    }

    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    public int pixels() { return height * width; }
    public boolean isGray() { return channels == 1; }

    /** The backing CHW array (not a copy): fast paths read and write it directly. */
    public float[] data() { return data; }

    public float get(int c, int y, int x) { return data[(c * height + y) * width + x]; }

    public void set(int c, int y, int x, float v) { data[(c * height + y) * width + x] = v; }

    /** Offset of the first sample of channel {@code c} in {@link #data()}. */
    public int planeOffset(int c) { return c * height * width; }

    /** One channel as a new gray image. */
    public Image channel(int c) {
        int n = height * width;
        return new Image(1, height, width, Arrays.copyOfRange(data, c * n, (c + 1) * n));
    }

    /** Stacks gray images of the same size into one image of 1 or 3 channels. */
    public static Image stack(Image... planes) {
        int h = planes[0].height, w = planes[0].width, n = h * w;
        Image out = new Image(planes.length, h, w);
        for (int i = 0; i < planes.length; i++) {
            if (!planes[i].isGray() || planes[i].height != h || planes[i].width != w) {
                throw new IllegalArgumentException("stack needs gray planes of one size");
            }
            System.arraycopy(planes[i].data, 0, out.data, i * n, n);
        }
        return out;
    }

    public Image copy() { return new Image(channels, height, width, data.clone()); }

    public boolean sameShape(Image o) {
        return channels == o.channels && height == o.height && width == o.width;
    }

    public String shapeString() { return width + "x" + height + "x" + channels; }

    /** Values clamped to [0,1]. */
    public Image clip() {
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            float v = data[i];
            out[i] = v < 0f ? 0f : (v > 1f ? 1f : v);
        }
        return new Image(channels, height, width, out);
    }

    /** Values rounded to the 8-bit grid (what a user gets after saving as PNG), clipped to [0,1]. */
    public Image quantize8() {
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            float v = data[i];
            v = v < 0f ? 0f : (v > 1f ? 1f : v);
            out[i] = Math.round(v * 255f) / 255f;
        }
        return new Image(channels, height, width, out);
    }

    /**
     * Gray version: luma with ITU-R BT.601 weights (what MATLAB's rgb2gray and most papers use).
     * A gray image is returned as a copy.
     */
    public Image toGray() {
        if (channels == 1) return copy();
        int n = height * width;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = 0.299f * data[i] + 0.587f * data[n + i] + 0.114f * data[2 * n + i];
        }
        return new Image(1, height, width, out);
    }

    /** RGB version: a gray image is replicated into three channels; an RGB image is copied. */
    public Image toRgb() {
        if (channels == 3) return copy();
        int n = height * width;
        float[] out = new float[3 * n];
        for (int c = 0; c < 3; c++) System.arraycopy(data, 0, out, c * n, n);
        return new Image(3, height, width, out);
    }

    /** Same content with {@code targetChannels} channels (1 or 3). */
    public Image withChannels(int targetChannels) {
        return targetChannels == 1 ? toGray() : toRgb();
    }

    /** The rectangle at (y, x) of size h×w; it must lie inside the image. */
    public Image crop(int y, int x, int h, int w) {
        if (y < 0 || x < 0 || h <= 0 || w <= 0 || y + h > height || x + w > width) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y + " is outside a " + width + "x" + height + " image");
        }
        Image out = new Image(channels, h, w);
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(data, (c * height + y + r) * width + x, out.data, (c * h + r) * w, w);
            }
        }
        return out;
    }

    /** Writes {@code src} into this image with its top-left corner at (y, x). */
    public void paste(Image src, int y, int x) {
        if (src.channels != channels || y < 0 || x < 0 || y + src.height > height || x + src.width > width) {
            throw new IllegalArgumentException("paste of " + src.shapeString() + " at " + x + "," + y + " does not fit " + shapeString());
        }
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < src.height; r++) {
                System.arraycopy(src.data, (c * src.height + r) * src.width, data, (c * height + y + r) * width + x, src.width);
            }
        }
    }

    /**
     * Pads by mirror reflection without repeating the edge sample (numpy "reflect", OpenCV
     * BORDER_REFLECT_101). Pads wider than the image reflect back and forth.
     */
    public Image padReflect(int top, int bottom, int left, int right) {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) throw new IllegalArgumentException("negative padding");
        int h = height + top + bottom, w = width + left + right;
        Image out = new Image(channels, h, w);
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < h; r++) {
                int sy = reflectIndex(r - top, height);
                int srcRow = (c * height + sy) * width;
                int dstRow = (c * h + r) * w;
                for (int q = 0; q < w; q++) {
                    out.data[dstRow + q] = data[srcRow + reflectIndex(q - left, width)];
                }
            }
        }
        return out;
    }

    /** Index reflected into [0, n) without repeating the edge (…2 1 | 0 1 2 … n-1 | n-2 …). */
    public static int reflectIndex(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /** Index clamped into [0, n) (edge replication). */
    public static int clampIndex(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }

    @Override
    public String toString() {
        return "Image[" + shapeString() + "]";
    }
}
