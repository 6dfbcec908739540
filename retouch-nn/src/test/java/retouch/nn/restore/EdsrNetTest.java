package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.image.Image;
import retouch.image.Resize;
import retouch.metrics.Psnr;
import retouch.nn.Engines;
import retouch.nn.ImageTensors;
import retouch.nn.SeededManager;
import retouch.nn.store.Architectures;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Adam;

class EdsrNetTest {

    private static ModelMeta meta(String task, int channels, int width, int blocks) {
        return SrTraining.meta(new SrTraining.Config(task, channels, width, blocks, 32, 4, 1e-3f, 1e-5f, 10, 0, "test", "l1"));
    }

    @Test
    void outputIsScaleTimesTheInputForEveryFactorAndMode() {
        try (NDManager m = SeededManager.open(3)) {
            // C·r² = 4, 27 and 48 tail channels: thin, odd and a multiple of 16
            int[][] cases = {{1, 2, 16}, {3, 3, 24}, {3, 4, 16}};
            for (int[] c : cases) {
                EdsrNet net = new EdsrNet(c[0], c[1], c[2], 2);
                net.initialize(m, DataType.FLOAT32, new Shape(1, c[0], 16, 16));
                NDArray x = m.randomUniform(0f, 1f, new Shape(2, c[0], 12, 9));
                NDArray y = net.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
                assertEquals(new Shape(2, c[0], 12L * c[1], 9L * c[1]), y.getShape());
                assertEquals(y.getShape(), net.getOutputShapes(new Shape[] {x.getShape()})[0]);
                // the lean inference path computes the same function
                float gap = net.infer(x).sub(y).abs().max().getFloat();
                assertTrue(gap < 1e-5f, "infer differs from forward by " + gap);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new EdsrNet(3, 5, 16, 1));
        assertThrows(retouch.RetouchException.class, () -> meta("deblur", 3, 16, 1));
    }

    /** Adam steps on one photo's patches must learn to beat bicubic upscaling; saved and reloaded it upscales alike, tiled or whole. */
    @Test
    void learnsToBeatBicubicAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        Engines.init();
        Image clean = photo(96);
        Image small = SrTraining.shrink(clean, 2);
        Image bicubic = Resize.resize(small, 96, 96, 2, 2, Resize.Method.BICUBIC).clip();
        double before = Psnr.ofY(clean, bicubic, 2);
        ModelMeta meta = meta("sr2", 3, 16, 2);
        Path saved = dir.resolve("edsr");
        double trained;
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(11);
            var block = Architectures.buildInitialized(meta, m);
            Adam adam = Adam.builder().optLearningRate(step -> 2e-3f).build(block);
            NDArray x = ImageTensors.toBatch(m, small);
            Image residual = clean.copy();
            float[] r = residual.data(), u = Resize.resize(small, 96, 96, 2, 2, Resize.Method.BICUBIC).data();
            for (int k = 0; k < r.length; k++) r[k] -= u[k];
            NDArray target = ImageTensors.toBatch(m, residual);
            float first = 0, last = 0;
            for (int step = 0; step < 200; step++) {
                try (NDManager s = m.newSubManager()) {
                    try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        NDArray out = block.forward(new ParameterStore(s, true), new NDList(x), true).singletonOrThrow();
                        NDArray loss = out.sub(target).abs().mean();
                        gc.backward(loss);
                        if (step == 0) first = loss.getFloat();
                        last = loss.getFloat();
                    }
                    adam.update();
                }
            }
            assertTrue(last < 0.7f * first, "L1 loss must fall: " + first + " -> " + last);
            trained = Psnr.ofY(clean, new SuperResolver(block, meta, m, 512, 1).apply(small).clip(), 2);
            assertTrue(trained > before + 1, "super-resolved " + trained + " dB vs bicubic " + before + " dB");
            ModelFile.save(saved, meta, block);
        }
        try (LoadedModel lm = ModelFile.load(saved, EdsrNet.ARCHITECTURE)) {
            Image whole = new SuperResolver(lm.block(), lm.meta(), lm.manager(), 512, 1).apply(small).clip();
            assertEquals(trained, Psnr.ofY(clean, whole, 2), 1e-4, "the saved model upscales as the trained one did");
            // low-resolution tiles of 48 px overlapping by 12 on a 48-px image + padding: one tile; on a
            // bigger image several, blended: they agree with the whole-image result up to the seams
            Image wide = concatWide(small, small);
            Image wholeWide = new SuperResolver(lm.block(), lm.meta(), lm.manager(), 1024, 1).apply(wide).clip();
            Image tiledWide = new SuperResolver(lm.block(), lm.meta(), lm.manager(), 96, 1).apply(wide).clip();
            assertEquals(192, tiledWide.width());
            assertTrue(Psnr.of(wholeWide, tiledWide) > 40, "tiled and whole results agree: " + Psnr.of(wholeWide, tiledWide));
            // the self-ensemble: 8 passes, same size, at least as close as one pass on average
            Image eight = new SuperResolver(lm.block(), lm.meta(), lm.manager(), 512, 8).apply(small).clip();
            assertEquals(96, eight.height());
            assertTrue(Psnr.ofY(clean, eight, 2) > before + 1, "8-pass result " + Psnr.ofY(clean, eight, 2));
            // gray photos go through the RGB model replicated and come back gray
            Image gray = new SuperResolver(lm.block(), lm.meta(), lm.manager(), 512, 1).apply(small.toGray());
            assertEquals(1, gray.channels());
            assertEquals(96, gray.width());
        }
    }

    private static Image concatWide(Image a, Image b) {
        Image out = new Image(a.channels(), a.height(), a.width() + b.width());
        for (int c = 0; c < a.channels(); c++) {
            for (int y = 0; y < a.height(); y++) {
                for (int x = 0; x < a.width(); x++) out.set(c, y, x, a.get(c, y, x));
                for (int x = 0; x < b.width(); x++) out.set(c, y, a.width() + x, b.get(c, y, x));
            }
        }
        return out;
    }

    /** A colour synthetic photo with edges: gradients, a disc, stripes of period 8. */
    private static Image photo(int n) {
        Image im = new Image(3, n, n);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double v = 0.2 + 0.4 * x / n + ((x - 60) * (x - 60) + (y - 30) * (y - 30) < 300 ? 0.25 : 0) + (y > 60 && (x / 4) % 2 == 0 ? -0.15 : 0);
                for (int c = 0; c < 3; c++) im.set(c, y, x, (float) Math.max(0, Math.min(1, v * (0.7 + 0.15 * c))));
            }
        }
        return im;
    }
}
