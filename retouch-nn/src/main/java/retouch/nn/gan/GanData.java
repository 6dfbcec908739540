package retouch.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import retouch.RetouchException;
import retouch.data.ImageFolder;
import retouch.data.LabeledImages;

/**
 * Real images for GAN training, held as one native N×C×H×W array scaled to [-1, 1] (data stays
 * native; batches are gathered on the native side), with class labels where the set has them.
 */
public final class GanData {

    /** One batch of real images and their labels. */
    public record Batch(NDArray images, int[] labels) {}

    private final int n;
    private final int channels;
    private final int size;
    private final float[] pixels;
    private final int[] labels;
    private final List<String> classNames;
    private NDArray pool;

    private GanData(int n, int channels, int size, float[] pixels, int[] labels, List<String> classNames) {
        this.n = n;
        this.channels = channels;
        this.size = size;
        this.pixels = pixels;
        this.labels = labels;
        this.classNames = classNames;
    }

    /** A labeled gray set (MNIST-style); images must be square. */
    public static GanData of(LabeledImages images) {
        if (images.h() != images.w()) throw new RetouchException("GAN training needs square images, got " + images.h() + "x" + images.w());
        float[] px = images.floats();
        for (int i = 0; i < px.length; i++) px[i] = px[i] * 2 - 1;
        return new GanData(images.size(), 1, images.h(), px, images.labels(), images.classNames());
    }

    /** All images of a folder, centre-cropped to a square and resized to {@code size}, as {@code channels} channels (unlabeled). */
    public static GanData of(ImageFolder folder, int size, int channels, int limit) {
        return of(retouch.data.SquareImages.load(folder, size, channels, limit));
    }

    /**
     * Unlabeled square images with values in [0,1]. Their array is rescaled to [-1, 1] in place
     * (no copy: a face set is close to a gigabyte), so {@code images} must not be used afterwards.
     */
    public static GanData of(retouch.data.SquareImages images) {
        float[] px = images.pixels();
        for (int k = 0; k < px.length; k++) px[k] = px[k] * 2 - 1;
        return new GanData(images.count(), images.channels(), images.size(), px, new int[images.count()], List.of("image"));
    }

    public int size() { return n; }

    public int imageSize() { return size; }

    public int channels() { return channels; }

    public List<String> classNames() { return classNames; }

    /** Moves the pixels into one native array in {@code manager} (called once, by the training task). */
    void load(NDManager manager) {
        if (pool == null) pool = manager.create(pixels, new Shape(n, channels, size, size));
    }

    /** {@code count} random images (with replacement) and their labels, in {@code m}. */
    Batch batch(NDManager m, Random r, int count) {
        long[] idx = new long[count];
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            int k = r.nextInt(n);
            idx[i] = k;
            y[i] = labels[k];
        }
        NDArray x = pool.get(new NDIndex("{}", m.create(idx)));
        x.attach(m);
        return new Batch(x, y);
    }
}
