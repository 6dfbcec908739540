package retouch.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import retouch.nn.Engines;

/**
 * Known engine issue (libtorch 2.7.1 CPU via DJL 0.36.0): the input-gradient of a thin
 * convolution (seen for 8→1, 8→3, 8→8, 64→1, 64→3 channels; not for 16→16, 32→32, 64→64) reads
 * uninitialised memory. conv(1→8) → conv(8→1) on 8×1×16×16, the same backward repeated 200 times,
 * gives different and sometimes NaN gradients for the first conv's weight: with 2 threads always;
 * with 1 thread as soon as freed memory holds garbage (here: NaN-filled tensors freed between
 * repeats; in training, whatever else was allocated, e.g. by tcmalloc after a checkpoint).
 * Run with {@code -DexcludedTestGroups=none -Dtest=ConvBackwardRaceTest}.
 */
@Tag("slow")
class ConvBackwardRaceTest {

    private static int differingRepeats(int threads, boolean poison) {
        Engines.init();
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(threads);
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(3);
            SequentialBlock b = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build())
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(1).build());
            b.initialize(m, DataType.FLOAT32, new Shape(8, 1, 16, 16));
            float[] prev = null;
            int bad = 0;
            for (int rep = 0; rep < 200; rep++) {
                try (NDManager s = m.newSubManager()) {
                    if (poison) {
                        for (int k = 1; k <= 64; k *= 2) {
                            s.full(new Shape(k * 1024L), Float.NaN).close();
                        }
                    }
                    m.getEngine().setRandomSeed(5);
                    NDArray x = s.randomUniform(0f, 1f, new Shape(8, 1, 16, 16));
                    try (GradientCollector gc = s.getEngine().newGradientCollector()) {
                        NDArray out = b.forward(new ParameterStore(s, false), new NDList(x), true).singletonOrThrow();
                        gc.backward(out.square().mean());
                    }
                    NDArray w = b.getParameters().get(0).getValue().getArray();
                    float[] g;
                    try (NDArray grad = w.getGradient()) {
                        g = grad.toFloatArray();
                    }
                    JniUtils.zeroGrad((PtNDArray) w);
                    if (prev != null && !Arrays.equals(prev, g)) {
                        bad++;
                    }
                    prev = g;
                }
            }
            return bad;
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    @Test
    void thinConvBackwardIsRepeatable() {
        // Documents the issue: prints the counts; expected 0 everywhere once libtorch is fixed.
        int clean1 = differingRepeats(1, false);
        int poisoned1 = differingRepeats(1, true);
        int clean2 = differingRepeats(2, false);
        System.out.println("conv 8->1 backward, repeats (of 199) differing: 1 thread " + clean1
                + ", 1 thread after freeing NaN tensors " + poisoned1 + ", 2 threads " + clean2);
        assertEquals(0, clean1);
    }
}
