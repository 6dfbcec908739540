package retouch.nn.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import retouch.nn.SeededManager;
import retouch.nn.restore.UNetDenoiser;

/** An RGB denoising U-Net started from a gray one: the gray result on gray photos (mean over the colours), colour symmetry broken. */
class UNetDenoiserGrayToColourTest {

    private static ModelMeta meta(int channels, int width, int levels, int blocks) {
        return ModelMeta.builder(UNetDenoiser.ARCHITECTURE).channels(channels, channels).hyper("width", width).hyper("levels", levels)
                .hyper("blocks", blocks).valueRange(0, 1).tasks("deblur").build();
    }

    @Test
    void colourNetworkGivesTheGrayResultOnGrayPhotosAndSeesColour() {
        assertTrue(UNetDenoiserGrayToColour.applies(meta(1, 8, 3, 1), meta(3, 8, 3, 1)));
        assertFalse(UNetDenoiserGrayToColour.applies(meta(1, 8, 3, 1), meta(3, 16, 3, 1)), "other widths are not expanded");
        assertFalse(UNetDenoiserGrayToColour.applies(meta(1, 8, 3, 1), meta(3, 8, 2, 1)), "other levels are not expanded");
        assertFalse(UNetDenoiserGrayToColour.applies(meta(1, 8, 3, 1), meta(1, 8, 3, 1)), "gray to gray is plain fine-tuning");
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
            float before = colour.forward(ps, new NDList(rgb, level), false).singletonOrThrow().mean(new int[] {1}, true)
                    .sub(grayOut).abs().max().getFloat();
            assertTrue(before > 1e-4f, "two random networks must differ for the test to mean anything, got " + before);
            assertTrue(grayOut.sub(plane).abs().max().getFloat() > 1e-4f, "the gray network must change its input");

            UNetDenoiserGrayToColour.copyInto(gray, colour);
            NDArray colourOut = colour.forward(ps, new NDList(rgb, level), false).singletonOrThrow();
            float meanDiff = colourOut.mean(new int[] {1}, true).sub(grayOut).abs().max().getFloat();
            assertTrue(meanDiff < 1e-5f, "mean over R, G, B differs from the gray result by " + meanDiff);
            float spread = colourOut.get(":, 0:1, :, :").sub(colourOut.get(":, 2:3, :, :")).abs().max().getFloat();
            assertTrue(spread > 1e-6f, "the chroma parts must break the symmetry between the colours");

            // colour reaches the hidden units: a colourful photo is not restored as its mean
            NDArray colourful = m.randomUniform(0f, 1f, new Shape(2, 3, 32, 48));
            NDArray onMean = gray.forward(ps, new NDList(colourful.mean(new int[] {1}, true), level), false).singletonOrThrow();
            NDArray onColour = colour.forward(ps, new NDList(colourful, level), false).singletonOrThrow();
            float seen = onColour.sub(colourful).mean(new int[] {1}, true).sub(onMean.sub(colourful.mean(new int[] {1}, true))).abs().max().getFloat();
            assertTrue(seen > 1e-4f, "chroma must reach the hidden units, got " + seen);
        }
    }
}
