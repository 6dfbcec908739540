package retouch.nn.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import retouch.nn.SeededManager;
import retouch.image.Image;
import retouch.image.OpponentColour;
import retouch.nn.ImageTensors;

/** A three-block RGB FFDNet made from a gray one computes the gray network on the opponent colour planes. */
class OpponentColourInitTest {

    @Test
    void startsAsTheGrayNetworkOnOpponentPlanes() {
        try (NDManager m = SeededManager.open(5)) {
            ModelMeta grayMeta = ColourStartNets.meta(1, 16), colourMeta = ColourStartNets.meta(3, 48);
            assertTrue(OpponentColourInit.applies(grayMeta, colourMeta));
            assertFalse(OpponentColourInit.applies(grayMeta, ColourStartNets.meta(3, 16)));
            assertFalse(GrayToColour.applies(grayMeta, colourMeta));
            Block gray = ColourStartNets.grayWithTrainedStatistics(grayMeta, m);
            Block colour = ColourStartNets.colourFrom(gray, colourMeta, m, OpponentColourInit::weights);

            int h = 40, w = 36;
            float sigma = 0.1f;
            java.util.SplittableRandom r = new java.util.SplittableRandom(7);
            Image rgb = new Image(3, h, w);
            for (int i = 0; i < rgb.data().length; i++) rgb.data()[i] = (float) r.nextDouble();
            ParameterStore ps = new ParameterStore(m, false);

            // the reference: the gray network on each opponent plane at its own level, merged back
            Image[] planes = OpponentColour.split(rgb);
            float[] levels = {sigma / (float) Math.sqrt(3), sigma, sigma};
            Image[] outPlanes = new Image[3];
            for (int p = 0; p < 3; p++) {
                NDArray x = ImageTensors.toArray(m, planes[p]).expandDims(0);
                NDArray y = gray.forward(ps, new NDList(x, m.create(new float[] {levels[p]}, new Shape(1, 1, 1, 1))), false).singletonOrThrow();
                outPlanes[p] = new Image(1, h, w, y.toFloatArray());
            }
            NDArray expected = ImageTensors.toArray(m, OpponentColour.merge(outPlanes));
            NDArray x = ImageTensors.toArray(m, rgb).expandDims(0);
            NDArray got = colour.forward(ps, new NDList(x, m.create(new float[] {sigma}, new Shape(1, 1, 1, 1))), false)
                    .singletonOrThrow().squeeze(0);
            NDArray correction = expected.sub(x.squeeze(0));
            assertTrue(correction.abs().max().getFloat() > 1e-2f, "the gray network must do something for the test to mean anything");
            // interior: two half-resolution pixels (4 full-resolution) of border times the depth are affected by padding
            int b = 2 * 4;
            float diff = got.sub(expected).get(":, {}:{}, {}:{}", b, h - b, b, w - b).abs().max().getFloat();
            assertTrue(diff < 1e-4f, "interior differs from the opponent-plane gray network by " + diff);
        }
    }
}
