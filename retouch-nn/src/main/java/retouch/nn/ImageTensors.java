package retouch.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import retouch.image.Image;

/**
 * Moves {@link Image}s into and out of the engine as float32 tensors.
 *
 * <p>The only place where pixels cross the Java/native border, so the layout convention lives
 * here: a single image is {@code (C, H, W)}, a batch is {@code (N, C, H, W)}; values are copied
 * unchanged (no scaling, no clipping). A batch is copied into native memory with one call, which
 * matters for memory (see DESIGN "keep data native").
 */
public final class ImageTensors {

    private ImageTensors() {}

    /** One image as a {@code (C, H, W)} float32 array owned by {@code manager}. */
    public static NDArray toArray(NDManager manager, Image image) {
        return manager.create(image.data(), new Shape(image.channels(), image.height(), image.width()));
    }

    /** One image as a {@code (1, C, H, W)} batch. */
    public static NDArray toBatch(NDManager manager, Image image) {
        return manager.create(image.data(), new Shape(1, image.channels(), image.height(), image.width()));
    }

    /**
     * Images of one shape as one {@code (N, C, H, W)} float32 array.
     *
     * @throws IllegalArgumentException if the list is empty or the images differ in shape
     */
    public static NDArray toBatch(NDManager manager, List<Image> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("cannot make a batch of zero images");
        }
        Image first = images.get(0);
        int per = first.data().length;
        long total = (long) per * images.size();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batch of " + images.size() + " " + first.shapeString() + " images is too large for one array");
        }
        float[] all = new float[(int) total];
        for (int i = 0; i < images.size(); i++) {
            Image im = images.get(i);
            if (!im.sameShape(first)) {
                throw new IllegalArgumentException("batch images must share one shape: image " + i + " is "
                        + im.shapeString() + ", image 0 is " + first.shapeString());
            }
            System.arraycopy(im.data(), 0, all, i * per, per);
        }
        return manager.create(all, new Shape(images.size(), first.channels(), first.height(), first.width()));
    }

    /**
     * A {@code (C, H, W)} or {@code (1, C, H, W)} array as an image (copied to the heap; any
     * numeric type is converted to float32).
     */
    public static Image toImage(NDArray array) {
        Shape s = array.getShape();
        if (s.dimension() == 4 && s.get(0) == 1) {
            return toImage(array, s.get(1), s.get(2), s.get(3));
        }
        if (s.dimension() != 3) {
            throw new IllegalArgumentException("expected a (C, H, W) or (1, C, H, W) array, got " + s);
        }
        return toImage(array, s.get(0), s.get(1), s.get(2));
    }

    /** A {@code (N, C, H, W)} array as N images. */
    public static List<Image> toImages(NDArray batch) {
        Shape s = batch.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("expected a (N, C, H, W) array, got " + s);
        }
        int n = Math.toIntExact(s.get(0));
        int c = Math.toIntExact(s.get(1));
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        float[] all = floats(batch);
        int per = c * h * w;
        List<Image> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] d = new float[per];
            System.arraycopy(all, i * per, d, 0, per);
            out.add(new Image(c, h, w, d));
        }
        return out;
    }

    private static Image toImage(NDArray array, long c, long h, long w) {
        return new Image(Math.toIntExact(c), Math.toIntExact(h), Math.toIntExact(w), floats(array));
    }

    private static float[] floats(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        try (NDArray f = array.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }
}
