package retouch.nn.synth;

import ai.djl.ndarray.NDManager;
import retouch.RetouchException;

/** What the {@link ImageGenerator}s share: the checks of a sampling request and the chunked engine calls. */
public final class Sampling {

    /** Rows per engine call: bounds the native memory a large request takes. */
    private static final int CHUNK = 500;

    private Sampling() {}

    /** Work on rows {@code [from, to)} of a request, in a child manager closed afterwards. */
    @FunctionalInterface
    public interface Chunk {
        void run(NDManager manager, int from, int to);
    }

    /** Runs {@code chunk} over {@code n} rows, at most {@value #CHUNK} at a time, each in a child manager of {@code weights}. */
    public static void inChunks(int n, NDManager weights, Chunk chunk) {
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            try (NDManager m = weights.newSubManager()) {
                chunk.run(m, from, to);
            }
        }
    }

    /**
     * Labels for {@code n} samples of a model with {@code classes} classes (0: unconditional):
     * {@code label} repeated, or all classes in turn when it is -1.
     *
     * @param model what the error for a label given to an unconditional model names
     */
    public static int[] labels(int n, int label, int classes, Object model) {
        if (classes == 0 && label >= 0) {
            throw new RetouchException(model + " is an unconditional model; it takes no label");
        }
        if (label >= classes && classes > 0) {
            throw new RetouchException("label " + label + " out of range 0-" + (classes - 1));
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = classes == 0 ? 0 : label >= 0 ? label : i % classes;
        return labels;
    }

    /** {@code image} as {@code channels} channels, resized (area when shrinking, else bicubic) to size×size. */
    public static retouch.image.Image fit(retouch.image.Image image, int channels, int size) {
        retouch.image.Image im = image.withChannels(channels);
        if (im.height() != size || im.width() != size) {
            boolean shrink = im.height() > size || im.width() > size;
            im = retouch.image.Resize.resize(im, size, size, shrink ? retouch.image.Resize.Method.AREA : retouch.image.Resize.Method.BICUBIC).clip();
        }
        return im;
    }

    /** Checks the number of images asked for. */
    public static void checkCount(int n) {
        if (n < 1 || n > 100_000) throw new RetouchException("number of samples must be 1..100000, got " + n);
    }
}
