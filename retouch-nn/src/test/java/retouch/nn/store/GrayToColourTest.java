package retouch.nn.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import retouch.RetouchException;
import retouch.nn.Engines;
import retouch.nn.restore.DenoiseTraining;

/** An RGB FFDNet made from a gray one computes the gray network on the mean of R, G and B. */
class GrayToColourTest {

    private static ModelMeta meta(int channels, int width) {
        return DenoiseTraining.meta(new DenoiseTraining.Config("ffdnet", channels, 4, width, 32, 4, 0, 55, 1e-3f, 1e-5f, 10, "l2", 0, "test"));
    }

    @Test
    void colourNetworkStartsAsTheGrayOneOnLuminance() {
        Engines.init();
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(11);
            ModelMeta grayMeta = meta(1, 16), colourMeta = meta(3, 16);
            assertTrue(GrayToColour.applies(grayMeta, colourMeta));
            assertFalse(GrayToColour.applies(grayMeta, meta(3, 24)));
            Block gray = Architectures.buildInitialized(grayMeta, m);
            // trained-looking BatchNorm statistics, so that copying them matters
            for (Pair<String, Parameter> p : gray.getParameters()) {
                NDArray a = p.getValue().getArray();
                if (p.getKey().endsWith("runningVar")) a.set(m.randomUniform(0.5f, 2f, a.getShape()).toFloatArray());
                if (p.getKey().endsWith("runningMean")) a.set(m.randomNormal(0f, 0.1f, a.getShape(), DataType.FLOAT32).toFloatArray());
            }
            Block colour = Architectures.buildInitialized(colourMeta, m);
            ModelFile.replaceParameters(colour, m, GrayToColour.weights(gray, colourMeta, m), colourMeta, "test", false);

            NDArray rgb = m.randomUniform(0f, 1f, new Shape(2, 3, 24, 20));
            NDArray level = m.create(new float[] {0.1f, 0.2f}, new Shape(2, 1, 1, 1));
            NDArray mean = rgb.mean(new int[] {1}, true);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray grayCorrection = gray.forward(ps, new NDList(mean, level), false).singletonOrThrow().sub(mean);
            NDArray colourCorrection = colour.forward(ps, new NDList(rgb, level), false).singletonOrThrow().sub(rgb);
            assertTrue(grayCorrection.abs().max().getFloat() > 1e-3f, "the gray network must do something for the test to mean anything");
            for (int c = 0; c < 3; c++) {
                NDArray diff = colourCorrection.get(":, {}:{}, :, :", c, c + 1).sub(grayCorrection).abs().max();
                assertTrue(diff.getFloat() < 1e-5f, "channel " + c + " differs by " + diff.getFloat());
            }
        }
    }

    @Test
    void otherShapesAreRefused() {
        assertThrows(RetouchException.class, () -> GrayToColour.expandInput(new float[16 * 5 * 9], new Shape(16, 5, 3, 3), new Shape(16, 9, 3, 3)));
        assertThrows(RetouchException.class, () -> GrayToColour.expandOutput(new float[8 * 16 * 9], new Shape(8, 16, 3, 3), new Shape(8, 16, 3, 3)));
    }
}
