package retouch.nn.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import retouch.nn.SeededManager;
import retouch.RetouchException;

/** An RGB FFDNet made from a gray one: the gray network on gray photos (mean over the colours), with the colour symmetry broken. */
class GrayToColourTest {

    @Test
    void colourNetworkStartsFromTheGrayOne() {
        try (NDManager m = SeededManager.open(11)) {
            ModelMeta grayMeta = ColourStartNets.meta(1, 16), colourMeta = ColourStartNets.meta(3, 16);
            assertTrue(GrayToColour.applies(grayMeta, colourMeta));
            assertFalse(GrayToColour.applies(grayMeta, ColourStartNets.meta(3, 24)));
            Block gray = ColourStartNets.grayWithTrainedStatistics(grayMeta, m);
            Block colour = ColourStartNets.colourFrom(gray, colourMeta, m, GrayToColour::weights);

            // a gray photo in RGB: the hidden units see exactly what the gray network's do
            NDArray plane = m.randomUniform(0f, 1f, new Shape(2, 1, 24, 20));
            NDArray rgb = plane.concat(plane, 1).concat(plane, 1);
            NDArray level = m.create(new float[] {0.1f, 0.2f}, new Shape(2, 1, 1, 1));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray grayCorrection = gray.forward(ps, new NDList(plane, level), false).singletonOrThrow().sub(plane);
            NDArray colourCorrection = colour.forward(ps, new NDList(rgb, level), false).singletonOrThrow().sub(rgb);
            assertTrue(grayCorrection.abs().max().getFloat() > 1e-3f, "the gray network must do something for the test to mean anything");
            NDArray meanDiff = colourCorrection.mean(new int[] {1}, true).sub(grayCorrection).abs().max();
            assertTrue(meanDiff.getFloat() < 1e-5f, "mean correction differs from the gray one by " + meanDiff.getFloat());
            // the chroma part breaks the symmetry: the channels' corrections differ, by about a tenth of the correction
            float spread = colourCorrection.get(":, 0:1, :, :").sub(colourCorrection.get(":, 1:2, :, :")).abs().max().getFloat();
            float size = grayCorrection.abs().max().getFloat();
            assertTrue(spread > 0.01f * size && spread < size, "channel spread " + spread + " against correction " + size);

            // a colour photo: the first layer sees chroma, so the output no longer equals the gray network's on the mean
            NDArray colourful = m.randomUniform(0f, 1f, new Shape(2, 3, 24, 20));
            NDArray mean = colourful.mean(new int[] {1}, true);
            NDArray onMean = gray.forward(ps, new NDList(mean, level), false).singletonOrThrow().sub(mean);
            NDArray onColour = colour.forward(ps, new NDList(colourful, level), false).singletonOrThrow().sub(colourful);
            assertTrue(onColour.mean(new int[] {1}, true).sub(onMean).abs().max().getFloat() > 1e-4f, "chroma must reach the hidden units");
        }
    }

    @Test
    void chromaPartsHaveNoMeanOverColours() {
        float[] random = new float[4 * 13 * 9];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < random.length; i++) random[i] = (float) r.nextGaussian();
        float[] c = GrayToColour.chromaOfInput(random, new Shape(4, 13, 3, 3));
        for (int o = 0; o < 4; o++) {
            for (int j = 0; j < 4 * 9; j++) {
                float sum = c[o * 13 * 9 + j] + c[o * 13 * 9 + 36 + j] + c[o * 13 * 9 + 72 + j];
                assertTrue(Math.abs(sum) < 1e-5f, "filter " + o + " element " + j + " sums to " + sum);
            }
            for (int t = 0; t < 9; t++) assertTrue(c[(o * 13 + 12) * 9 + t] == 0f, "the level plane gets no chroma part");
        }
        float[] out = new float[16 * 64 * 9];
        for (int i = 0; i < out.length; i++) out[i] = (float) r.nextGaussian();
        float[] co = GrayToColour.chromaOfOutput(out, new Shape(16, 64, 3, 3));
        int per = 64 * 9;
        for (int s = 0; s < 4; s++) {
            for (int j = 0; j < per; j++) {
                float sum = co[s * per + j] + co[(4 + s) * per + j] + co[(8 + s) * per + j];
                assertTrue(Math.abs(sum) < 1e-5f);
            }
        }
        for (int i = 12 * per; i < 16 * per; i++) assertTrue(co[i] == 0f, "filters past the kept 12 get no chroma part");
    }

    @Test
    void otherShapesAreRefused() {
        assertThrows(RetouchException.class, () -> GrayToColour.expandInput(new float[16 * 5 * 9], new Shape(16, 5, 3, 3), new Shape(16, 9, 3, 3)));
        assertThrows(RetouchException.class, () -> GrayToColour.expandOutput(new float[8 * 16 * 9], new Shape(8, 16, 3, 3), new Shape(8, 16, 3, 3)));
    }
}
