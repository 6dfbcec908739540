package retouch.baseline;

import java.util.function.BiConsumer;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

import retouch.RetouchException;
import retouch.image.Image;

/**
 * The bridge to OpenCV (org.openpnp:opencv): loads the bundled native library once and converts
 * between {@link Image} (float CHW, RGB) and {@link Mat} (interleaved HWC, BGR channel order as
 * OpenCV expects). 8-bit conversion clips to [0,1] and rounds.
 */
public final class OpenCv {
    private OpenCv() {}

    private static volatile boolean loaded;

    /** Loads the native library (idempotent, thread-safe). */
    public static void load() {
        if (loaded) return;
        synchronized (OpenCv.class) {
            if (loaded) return;
            try {
                nu.pattern.OpenCV.loadLocally();
            } catch (Throwable t) {
                throw new RetouchException("cannot load the OpenCV native library for this platform (" + System.getProperty("os.name")
                        + "/" + System.getProperty("os.arch") + "): " + t.getMessage(), t);
            }
            loaded = true;
        }
    }

    /** CV_8UC1 or CV_8UC3 (BGR) Mat of the image, clipped and rounded to 0–255. */
    public static Mat toMat8(Image im) {
        load();
        float[] v = interleavedBgr(im);
        byte[] buf = new byte[v.length];
        for (int i = 0; i < v.length; i++) buf[i] = (byte) to8(v[i]);
        Mat m = new Mat(im.height(), im.width(), im.channels() == 3 ? CvType.CV_8UC3 : CvType.CV_8UC1);
        m.put(0, 0, buf);
        return m;
    }

    /** CV_32FC1 or CV_32FC3 (BGR) Mat with the values unchanged. */
    public static Mat toMat32(Image im) {
        load();
        Mat m = new Mat(im.height(), im.width(), im.channels() == 3 ? CvType.CV_32FC3 : CvType.CV_32FC1);
        m.put(0, 0, interleavedBgr(im));
        return m;
    }

    /** The image's values pixel by pixel, colours in OpenCV's BGR order. */
    private static float[] interleavedBgr(Image im) {
        int c = im.channels(), n = im.height() * im.width();
        float[] d = im.data();
        float[] buf = new float[c * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) buf[i * c + k] = d[(c == 3 ? 2 - k : k) * n + i];
        }
        return buf;
    }

    /**
     * The image {@code op} makes from {@code src} into a new Mat; both Mats are released after.
     *
     * @param op reads its first Mat, writes its second
     */
    public static Image apply(Mat src, BiConsumer<Mat, Mat> op) {
        Mat dst = new Mat();
        try {
            op.accept(src, dst);
            return fromMat(dst);
        } finally {
            src.release();
            dst.release();
        }
    }

    /** The image of a CV_8U or CV_32F Mat with 1 or 3 (BGR) channels; 8-bit values are divided by 255. */
    public static Image fromMat(Mat m) {
        int c = m.channels(), h = m.rows(), w = m.cols(), n = h * w;
        if (c != 1 && c != 3) throw new IllegalArgumentException("Mat has " + c + " channels; 1 or 3 expected");
        Image out = new Image(c, h, w);
        float[] o = out.data();
        int depth = m.depth();
        if (depth == CvType.CV_8U) {
            byte[] buf = new byte[c * n];
            m.get(0, 0, buf);
            for (int i = 0; i < n; i++) for (int k = 0; k < c; k++) o[(c == 3 ? 2 - k : k) * n + i] = (buf[i * c + k] & 255) / 255f;
        } else if (depth == CvType.CV_32F) {
            float[] buf = new float[c * n];
            m.get(0, 0, buf);
            for (int i = 0; i < n; i++) for (int k = 0; k < c; k++) o[(c == 3 ? 2 - k : k) * n + i] = buf[i * c + k];
        } else {
            throw new IllegalArgumentException("Mat depth " + depth + " not supported (CV_8U or CV_32F)");
        }
        return out;
    }

    /** A CV_8UC1 mask Mat: 255 where the gray mask image is ≥ 0.5 (hole), else 0. */
    public static Mat toMask8(Image mask) {
        load();
        if (!mask.isGray()) throw new IllegalArgumentException("a mask must be a gray image, got " + mask.shapeString());
        float[] d = mask.data();
        byte[] buf = new byte[d.length];
        for (int i = 0; i < d.length; i++) buf[i] = (byte) (d[i] >= 0.5f ? 255 : 0);
        Mat m = new Mat(mask.height(), mask.width(), CvType.CV_8UC1);
        m.put(0, 0, buf);
        return m;
    }

    static int to8(float v) {
        int q = Math.round(v * 255f);
        return q < 0 ? 0 : (q > 255 ? 255 : q);
    }
}
