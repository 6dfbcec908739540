package retouch.nn.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import retouch.RetouchException;
import retouch.data.LabeledImages;
import retouch.image.Image;

/**
 * Runs a {@link DomainClassifier} over many images in inference mode, one child
 * {@code NDManager} per batch, and brings back the features and the predicted classes.
 */
final class FeatureRunner {

    /** Images per forward pass. */
    static final int BATCH = 250;

    /**
     * What the network says about a set of images.
     *
     * @param features  penultimate features, one row per image
     * @param predicted arg-max class per image
     */
    record Output(float[][] features, int[] predicted) {}

    /** Copies images {@code from .. from+count-1} as CHW floats into {@code dst}. */
    @FunctionalInterface
    interface Source {
        void fill(int from, int count, float[] dst);
    }

    private FeatureRunner() {}

    static Output run(DomainClassifier net, NDManager parent, LabeledImages set) {
        check(net, 1, set.h(), set.w(), "the data");
        return run(net, parent, set.size(), (from, count, dst) -> set.copyFloats(from, count, dst, 0));
    }

    static Output run(DomainClassifier net, NDManager parent, List<Image> given) {
        DomainClassifier.Config c = net.config();
        // A gray evaluator (e.g. the face evaluator) scores RGB samples by their luma, as it was trained.
        List<Image> images = c.channels() == 1 && given.stream().anyMatch(im -> im.channels() == 3)
                ? given.stream().map(im -> im.withChannels(1)).toList() : given;
        for (int i = 0; i < images.size(); i++) {
            Image im = images.get(i);
            if (im.channels() != c.channels() || im.height() != c.imageSize() || im.width() != c.imageSize()) {
                throw new RetouchException("sample " + i + " is " + im.shapeString() + " but the evaluator takes "
                        + c.channels() + "x" + c.imageSize() + "x" + c.imageSize() + " images");
            }
        }
        int per = c.channels() * c.imageSize() * c.imageSize();
        return run(net, parent, images.size(), (from, count, dst) -> {
            for (int i = 0; i < count; i++) {
                System.arraycopy(images.get(from + i).data(), 0, dst, i * per, per);
            }
        });
    }

    private static void check(DomainClassifier net, int channels, int h, int w, String what) {
        DomainClassifier.Config c = net.config();
        if (channels != c.channels() || h != c.imageSize() || w != c.imageSize()) {
            throw new RetouchException(what + " are " + channels + "x" + h + "x" + w + " images but the evaluator takes "
                    + c.channels() + "x" + c.imageSize() + "x" + c.imageSize());
        }
    }

    static Output run(DomainClassifier net, NDManager parent, int n, Source source) {
        DomainClassifier.Config c = net.config();
        int per = c.channels() * c.imageSize() * c.imageSize();
        float[][] features = new float[n][];
        int[] predicted = new int[n];
        float[] buf = new float[Math.min(n, BATCH) * per];
        for (int from = 0; from < n; from += BATCH) {
            int count = Math.min(BATCH, n - from);
            source.fill(from, count, buf);
            try (NDManager m = parent.newSubManager()) {
                float[] data = count * per == buf.length ? buf : java.util.Arrays.copyOf(buf, count * per);
                NDArray x = m.create(data, new Shape(count, c.channels(), c.imageSize(), c.imageSize()));
                NDList out = net.forwardBoth(new ParameterStore(m, false), x, false);
                float[] f = out.get(0).toFloatArray();
                long[] p = out.get(1).argMax(1).toLongArray();
                int d = net.featureSize();
                for (int i = 0; i < count; i++) {
                    features[from + i] = java.util.Arrays.copyOfRange(f, i * d, (i + 1) * d);
                    predicted[from + i] = (int) p[i];
                }
            }
        }
        return new Output(features, predicted);
    }
}
