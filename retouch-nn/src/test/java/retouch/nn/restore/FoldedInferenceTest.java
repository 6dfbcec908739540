package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import retouch.nn.SeededManager;
import retouch.nn.blocks.FoldedConvStack;

/** The folded inference copy computes what the trained block computes in eval mode. */
class FoldedInferenceTest {

    /** Width 24 runs the folded stack in NCHW, width 32 channels-last (see Layers.channelsLastSafe). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {24, 32})
    void foldedFfdNetMatchesEvalForward(int width) {
        try (NDManager m = SeededManager.open(7)) {
            FfdNet net = new FfdNet(1, 5, width, true);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32), new Shape(1, 1, 1, 1));
            // Non-trivial BatchNorm statistics and affine terms, as after training.
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray a = p.getValue().getArray();
                String n = p.getKey();
                if (n.endsWith("runningVar")) a.set(m.randomUniform(0.5f, 2f, a.getShape()).toFloatArray());
                if (n.endsWith("runningMean") || n.endsWith("beta")) a.set(m.randomNormal(0f, 0.1f, a.getShape(), DataType.FLOAT32).toFloatArray());
                if (n.endsWith("gamma")) a.set(m.randomUniform(0.5f, 1.5f, a.getShape()).toFloatArray());
            }
            NDArray x = m.randomUniform(0f, 1f, new Shape(2, 1, 48, 40));
            NDArray level = m.create(new float[] {0.1f, 0.2f}, new Shape(2, 1, 1, 1));
            NDArray expected = net.forward(new ParameterStore(m, false), new NDList(x, level), false).singletonOrThrow();
            try (FoldedConvStack folded = FoldedConvStack.fold(net.body(), m)) {
                assertEquals(5, folded.layerCount());
                NDArray got = net.apply(new NDList(x, level), folded::forward);
                float maxErr = got.sub(expected).abs().max().getFloat();
                float scale = expected.sub(x).abs().max().getFloat();
                assertTrue(scale > 1e-3, "network output must differ from its input for the test to mean anything");
                assertTrue(maxErr < 1e-4f * Math.max(1f, scale), "max error " + maxErr);
            }
        }
    }
}
