package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import retouch.nn.SeededManager;

/** An RGB U-Net started from a gray one restores a gray photo (three equal planes) exactly as the gray one does. */
class UNetDenoiserColourStartTest {

    @Test
    void colourNetworkFromGrayOneGivesTheGrayResultOnEqualPlanes() {
        try (NDManager m = SeededManager.open(11)) {
            UNetDenoiser gray = new UNetDenoiser(1, 8, 3, 1);
            gray.initialize(m, DataType.FLOAT32, new Shape(1, 1, 16, 16), new Shape(1, 1, 1, 1));
            UNetDenoiser colour = new UNetDenoiser(3, 8, 3, 1);
            colour.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16), new Shape(1, 1, 1, 1));
            NDArray plane = m.randomUniform(0f, 1f, new Shape(2, 1, 32, 48));
            NDArray level = m.create(new float[] {0.02f, 0.1f}, new Shape(2, 1, 1, 1));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray grayOut = gray.forward(ps, new NDList(plane, level), false).singletonOrThrow();
            NDArray rgb = plane.concat(plane, 1).concat(plane, 1);
            float before = colour.forward(ps, new NDList(rgb, level), false).singletonOrThrow().sub(grayOut).abs().max().getFloat();
            assertTrue(before > 1e-4f, "two random networks must differ for the test to mean anything, got " + before);

            NetworkStart.copyGrayUNetIntoColour(gray, colour);
            NDArray colourOut = colour.forward(ps, new NDList(rgb, level), false).singletonOrThrow();
            for (int c = 0; c < 3; c++) {
                float diff = colourOut.get(":, " + c + ":" + (c + 1) + ", :, :").sub(grayOut).abs().max().getFloat();
                assertTrue(diff < 1e-5f, "channel " + c + " differs from the gray result by " + diff);
            }
            assertTrue(grayOut.sub(plane).abs().max().getFloat() > 1e-4f, "the gray network must change its input");
        }
    }
}
