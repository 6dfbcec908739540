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
import retouch.RetouchException;
import retouch.nn.SeededManager;

/** An RGB inpainting U-Net made from a gray one: the gray fill on gray photos (mean over the colours), colour symmetry broken. */
class UNetGrayToColourTest {

    private static ModelMeta meta(int channels, int levels, int width) {
        return ModelMeta.builder("unet").channels(channels, channels).hyper("levels", levels).hyper("width", width)
                .hyper("mask", true).valueRange(0, 1).tasks("inpaint").build();
    }

    @Test
    void colourUNetFillsGrayPhotosAsTheGrayOneDid() {
        try (NDManager m = SeededManager.open(5)) {
            ModelMeta grayMeta = meta(1, 2, 16), colourMeta = meta(3, 2, 16);
            assertTrue(UNetGrayToColour.applies(grayMeta, colourMeta));
            assertFalse(UNetGrayToColour.applies(grayMeta, meta(3, 3, 16)), "other depths are not expanded");
            assertFalse(UNetGrayToColour.applies(grayMeta, meta(3, 2, 32)), "other widths are not expanded");
            Block gray = Architectures.buildInitialized(grayMeta, m);
            Block colour = Architectures.buildInitialized(colourMeta, m);
            ModelFile.replaceParameters(colour, m, UNetGrayToColour.weights(gray, colourMeta, m), colourMeta, "test", false);

            NDArray plane = m.randomUniform(0f, 1f, new Shape(2, 1, 16, 20));
            NDArray mask = m.randomUniform(0f, 1f, new Shape(2, 1, 16, 20)).gt(0.7f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray rgb = plane.concat(plane, 1).concat(plane, 1);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray grayOut = gray.forward(ps, new NDList(plane, mask), false).singletonOrThrow();
            NDArray colourOut = colour.forward(ps, new NDList(rgb, mask), false).singletonOrThrow();
            assertTrue(grayOut.sub(0.5f).abs().max().getFloat() > 1e-3f, "the gray network must do something for the test to mean anything");
            float meanDiff = colourOut.mean(new int[] {1}, true).sub(grayOut).abs().max().getFloat();
            assertTrue(meanDiff < 1e-5f, "mean over R, G, B differs from the gray fill by " + meanDiff);
            float spread = colourOut.get(":, 0:1, :, :").sub(colourOut.get(":, 2:3, :, :")).abs().max().getFloat();
            assertTrue(spread > 0, "the head's chroma part must break the symmetry between the colours");

            // colour reaches the hidden units: a colourful photo is not filled as its mean
            NDArray colourful = m.randomUniform(0f, 1f, new Shape(2, 3, 16, 20));
            NDArray onMean = gray.forward(ps, new NDList(colourful.mean(new int[] {1}, true), mask), false).singletonOrThrow();
            NDArray onColour = colour.forward(ps, new NDList(colourful, mask), false).singletonOrThrow();
            assertTrue(onColour.mean(new int[] {1}, true).sub(onMean).abs().max().getFloat() > 1e-4f, "chroma must reach the hidden units");
        }
    }

    @Test
    void chromaPartsHaveNoMeanOverColoursAndSpareTheMask() {
        float[] random = new float[8 * 4 * 9];
        java.util.Random r = new java.util.Random(2);
        for (int i = 0; i < random.length; i++) random[i] = (float) r.nextGaussian();
        float[] c = UNetGrayToColour.chromaOfInput(random, new Shape(8, 4, 3, 3));
        for (int o = 0; o < 8; o++) {
            for (int t = 0; t < 9; t++) {
                float sum = c[(o * 4) * 9 + t] + c[(o * 4 + 1) * 9 + t] + c[(o * 4 + 2) * 9 + t];
                assertTrue(Math.abs(sum) < 1e-5f, "filter " + o + " sums to " + sum);
                assertTrue(c[(o * 4 + 3) * 9 + t] == 0f, "the mask input gets no chroma part");
            }
        }
    }

    @Test
    void otherShapesAreRefused() {
        assertThrows(RetouchException.class, () -> UNetGrayToColour.expandInput(new float[8 * 3 * 9], new Shape(8, 3, 3, 3), new Shape(8, 4, 3, 3)));
        assertFalse(UNetGrayToColour.applies(meta(1, 2, 16), meta(1, 2, 16)), "gray to gray is plain fine-tuning");
    }
}
