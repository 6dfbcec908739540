package retouch.nn.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.nn.ImageTensors;
import retouch.nn.SeededManager;

class GanProjectionTest {

    private static List<Image> decode(DcganGenerator g, NDManager m, float[] z, int n) {
        NDArray x = g.forward(new ParameterStore(m, false), new NDList(m.create(z, new Shape(n, g.latent()))), false).singletonOrThrow();
        return ImageTensors.toImages(x.add(1f).mul(0.5f).clip(0f, 1f));
    }

    @Test
    void optimisedCodesReproduceImagesTheGeneratorCanMake() {
        try (NDManager m = SeededManager.open(11)) {
            int latent = 16, n = 3;
            DcganGenerator g = new DcganGenerator(1, 28, latent, 8, 0);
            g.initialize(m, DataType.FLOAT32, new Shape(n, latent));
            Random r = new Random(4);
            float[] truth = new float[n * latent];
            for (int i = 0; i < truth.length; i++) truth[i] = (float) r.nextGaussian();
            List<Image> targets = decode(g, m, truth, n);
            int[] labels = new int[n];

            List<Image> start = decode(g, m, new GanProjection(g, 0, 0.05f).project(m, targets, labels, 0), n);
            float[] z = new GanProjection(g, 200, 0.05f).project(m, targets, labels, 0);
            List<Image> found = decode(g, m, z, n);
            for (int i = 0; i < n; i++) {
                double before = Psnr.of(targets.get(i), start.get(i)), after = Psnr.of(targets.get(i), found.get(i));
                // The best random code is a rough match; optimising z must close most of the gap.
                assertTrue(after > before + 6, "image " + i + ": " + before + " dB from the best random code, " + after + " dB optimised");
                assertTrue(after > 30, "image " + i + ": " + after + " dB");
            }
            // Deterministic: same image, same seed, same code.
            assertArrayEquals(z, new GanProjection(g, 200, 0.05f).project(m, targets, labels, 0), 0f);
            assertEquals(n * latent, z.length);
        }
    }
}
