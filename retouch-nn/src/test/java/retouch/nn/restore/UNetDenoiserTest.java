package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.nn.SeededManager;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.nn.Engines;
import retouch.nn.store.Architectures;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Adam;

class UNetDenoiserTest {

    private static ModelMeta meta(int channels, int width, int levels, int blocks) {
        return DenoiseTraining.meta(new DenoiseTraining.Config(RestoreNets.UNET, channels, blocks, width, 32, 4, 0, 75,
                1e-3f, 1e-5f, 10, "l1", 0, "test", false, levels, true));
    }

    @Test
    void outputHasTheInputShapeAndStartsNearTheInput() {
        try (NDManager m = SeededManager.open(3)) {
            for (int channels : new int[] {1, 3}) {
                UNetDenoiser net = new UNetDenoiser(channels, 16, 3, 1);
                net.initialize(m, DataType.FLOAT32, new Shape(1, channels, 16, 16), new Shape(1, 1, 1, 1));
                NDArray x = m.randomUniform(0f, 1f, new Shape(2, channels, 48, 32));
                NDArray level = m.create(new float[] {0.1f, 0.2f}, new Shape(2, 1, 1, 1));
                NDArray y = net.forward(new ParameterStore(m, false), new NDList(x, level), false).singletonOrThrow();
                assertEquals(x.getShape(), y.getShape());
                float change = y.sub(x).abs().mean().getFloat();
                assertTrue(change > 1e-5 && change < 0.5, "an untrained residual network changes its input a little, got " + change);
            }
        }
    }

    @Test
    void sizeMultipleFollowsTheLevels() {
        assertEquals(4, UNetDenoiser.sizeMultiple(2));
        assertEquals(8, UNetDenoiser.sizeMultiple(3));
        assertEquals(16, UNetDenoiser.sizeMultiple(4));
        assertEquals(8, RestoreNets.sizeMultiple(meta(1, 16, 3, 1)));
        assertTrue(RestoreNets.takesLevel(RestoreNets.UNET));
        assertThrows(IllegalArgumentException.class, () -> new UNetDenoiser(1, 16, 1, 1));
    }

    /** A few hundred Adam steps on one photo's patches must learn to denoise it, far above the noisy input. */
    @Test
    void learnsToDenoiseAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        Engines.init();
        Image clean = photo(64);
        ModelMeta meta = meta(1, 16, 3, 1);
        Image noisy = GaussianNoise.addNoise(clean, 25, new SplittableRandom(5)).quantize8();
        double before = Psnr.of(clean, noisy);
        Path saved = dir.resolve("unet");
        double trained;
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(11);
            var block = Architectures.buildInitialized(meta, m);
            Adam adam = Adam.builder().optLearningRate(step -> 2e-3f).build(block);
            NDArray cleanArr = retouch.nn.ImageTensors.toBatch(m, clean);
            float first = 0, last = 0;
            for (int step = 0; step < 150; step++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray c = cleanArr.duplicate();
                    c.attach(s);
                    NDArray n = c.add(s.randomNormal(c.getShape()).mul(25 / 255f)).mul(255).round().div(255).clip(0, 1);
                    NDArray level = s.create(new float[] {25 / 255f}, new Shape(1, 1, 1, 1));
                    try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        NDArray out = block.forward(new ParameterStore(s, true), new NDList(n, level), true).singletonOrThrow();
                        NDArray loss = out.sub(c).abs().mean();
                        gc.backward(loss);
                        if (step == 0) first = loss.getFloat();
                        last = loss.getFloat();
                    }
                    adam.update();
                }
            }
            assertTrue(last < 0.6f * first, "L1 loss must fall: " + first + " -> " + last);
            try (Denoiser d = new Denoiser(block, meta, m, 256, false)) {
                trained = Psnr.of(clean, d.denoise(noisy, 25).clip());
            }
            assertTrue(trained > before + 4, "denoised " + trained + " dB vs noisy " + before + " dB");
            ModelFile.save(saved, meta, block);
        }
        try (LoadedModel lm = ModelFile.load(saved, RestoreNets.UNET);
             Denoiser d = new Denoiser(lm.block(), lm.meta(), lm.manager(), 256, false)) {
            Image again = d.denoise(noisy, 25).clip();
            assertEquals(trained, Psnr.of(clean, again), 1e-4, "the saved model restores what the trained one did");
            // Tiled (tile 32, overlap 8) and whole-image results agree away from nothing but seams' blending.
            try (Denoiser tiled = new Denoiser(lm.block(), lm.meta(), lm.manager(), 40, false)) {
                Image t = tiled.denoise(noisy, 25).clip();
                assertArrayEquals(new int[] {64, 64}, new int[] {t.height(), t.width()});
                assertTrue(Psnr.of(again, t) > 35, "tiled and whole results agree: " + Psnr.of(again, t));
            }
        }
    }

    /** A smooth synthetic photo with edges: gradients, a disc and stripes. */
    private static Image photo(int n) {
        Image im = new Image(1, n, n);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double v = 0.2 + 0.5 * x / n + ((x - 40) * (x - 40) + (y - 24) * (y - 24) < 150 ? 0.25 : 0) + (y > 44 && (x / 6) % 2 == 0 ? -0.15 : 0);
                im.set(0, y, x, (float) Math.max(0, Math.min(1, v)));
            }
        }
        return im;
    }
}
