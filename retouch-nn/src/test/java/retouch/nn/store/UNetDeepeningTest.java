package retouch.nn.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import retouch.nn.SeededManager;
import retouch.nn.restore.UNetDenoiser;

/** A deeper U-Net started from a trained one computes what the trained one did, and its new blocks learn. */
class UNetDeepeningTest {

    private static ModelMeta meta(int channels, int width, int levels, int blocks) {
        return ModelMeta.builder(UNetDenoiser.ARCHITECTURE).channels(channels, channels).hyper("width", width).hyper("levels", levels)
                .hyper("blocks", blocks).valueRange(0, 1).tasks("denoise").build();
    }

    @Test
    void deeperNetworkStartsAsTheTrainedOneAndItsNewBlocksGetGradients() {
        assertTrue(UNetDeepening.applies(meta(1, 16, 3, 1), meta(1, 16, 3, 3)));
        assertFalse(UNetDeepening.applies(meta(1, 16, 3, 2), meta(1, 16, 3, 2)), "the same depth is plain fine-tuning");
        assertFalse(UNetDeepening.applies(meta(1, 16, 3, 2), meta(1, 16, 3, 1)), "a shallower network is not grown");
        assertFalse(UNetDeepening.applies(meta(1, 16, 3, 1), meta(1, 32, 3, 2)), "other widths are not grown");
        assertFalse(UNetDeepening.applies(meta(1, 16, 3, 1), meta(3, 16, 3, 2)), "other channels are not grown");
        try (NDManager m = SeededManager.open(5)) {
            UNetDenoiser trained = new UNetDenoiser(1, 16, 3, 1);
            trained.initialize(m, DataType.FLOAT32, new Shape(1, 1, 16, 16), new Shape(1, 1, 1, 1));
            UNetDenoiser deeper = new UNetDenoiser(1, 16, 3, 3);
            deeper.initialize(m, DataType.FLOAT32, new Shape(1, 1, 16, 16), new Shape(1, 1, 1, 1));
            NDArray noisy = m.randomUniform(0f, 1f, new Shape(2, 1, 32, 48));
            NDArray level = m.create(new float[] {0.05f, 0.2f}, new Shape(2, 1, 1, 1));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray want = trained.forward(ps, new NDList(noisy, level), false).singletonOrThrow();
            float before = deeper.forward(ps, new NDList(noisy, level), false).singletonOrThrow().sub(want).abs().max().getFloat();
            assertTrue(before > 1e-4f, "two random networks must differ for the test to mean anything, got " + before);

            UNetDeepening.copyInto(trained, deeper);
            float after = deeper.forward(ps, new NDList(noisy, level), false).singletonOrThrow().sub(want).abs().max().getFloat();
            assertTrue(after < 1e-6f, "the deeper network must compute the trained one's output, differs by " + after);

            // the new blocks are not dead: the zeroed convolution of each gets a gradient
            for (Pair<String, Parameter> p : deeper.getParameters()) p.getValue().getArray().setRequiresGradient(true);
            try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray out = deeper.forward(new ParameterStore(m, false), new NDList(noisy, level), true).singletonOrThrow();
                gc.backward(out.sub(noisy.mul(0.5f)).square().mean());
            }
            int grownBlocks = 0;
            for (Pair<String, Parameter> p : deeper.getParameters()) {
                if (!p.getKey().contains("03ResidualBlock_01body_03")) continue;
                grownBlocks++;
                NDArray w = p.getValue().getArray();
                assertTrue(w.abs().max().getFloat() == 0f, p.getKey() + " must start at zero");
                assertTrue(w.getGradient().abs().max().getFloat() > 0f, p.getKey() + " must get a gradient");
            }
            assertTrue(grownBlocks == 5, "3 levels: two encoders, the bottom and two decoders grow a third block each; found " + grownBlocks);
        }
    }
}
