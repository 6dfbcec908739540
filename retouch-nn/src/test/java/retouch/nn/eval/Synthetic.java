package retouch.nn.eval;

import java.util.List;
import java.util.SplittableRandom;
import retouch.data.Datasets;
import retouch.data.LabeledImages;

/** A tiny learnable labeled set: class k is a bright 6×6 square at a class-specific place, jittered, on noise. */
final class Synthetic {
    private Synthetic() {}

    static LabeledImages labeled(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] px = new byte[n * 28 * 28];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i % 10;
            labels[i] = k;
            int y0 = 4 + (k / 5) * 12 + r.nextInt(3), x0 = 1 + (k % 5) * 5 + r.nextInt(2);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean in = y >= y0 && y < y0 + 6 && x >= x0 && x < x0 + 6;
                    px[(i * 28 + y) * 28 + x] = (byte) (in ? 200 + r.nextInt(56) : r.nextInt(40));
                }
            }
        }
        return new LabeledImages(px, n, 28, 28, labels, List.copyOf(Datasets.MNIST_CLASSES));
    }
}
