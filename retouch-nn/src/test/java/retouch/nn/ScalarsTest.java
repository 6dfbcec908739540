package retouch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    /**
     * The number a graph was multiplied or divided by is still there when the backward pass runs,
     * after the garbage collector has run and freed memory has been reused (filled with NaN bytes).
     * With DJL's {@code x.mul(0.5f)} in place of {@link Scalars#mul} the gradient read freed memory:
     * NaN here on every run.
     */
    @Test
    void scalarFactorsSurviveGarbageCollectionBeforeBackward() {
        check(Scalars::mul, 0.5f, 0.5f);
        check(Scalars::div, 4f, 0.25f);
    }

    private static void check(BiFunction<NDArray, Float, NDArray> op, float s, float gradient) {
        Engines.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(64));
            x.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = op.apply(x, s);
                reuseFreedMemory();
                gc.backward(y.sum());
            }
            for (float g : x.getGradient().toFloatArray()) assertEquals(gradient, g, 0f);
        }
    }

    /** Lets the collector free unreachable direct buffers, then fills small fresh ones with NaN bytes. */
    private static void reuseFreedMemory() {
        List<ByteBuffer> keep = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 20_000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4);
                b.putInt(0, -1);
                keep.add(b);
            }
        }
        keep.clear();
    }
}
