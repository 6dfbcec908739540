package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
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
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.nn.Engines;
import retouch.nn.store.Architectures;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Adam;
import retouch.nn.train.LrSchedule;

/** The fusion head that merges a denoiser's output with its Wiener stage's. */
class FusionHeadTest {
    @TempDir Path tmp;

    private static ModelMeta meta(int fusionDepth) {
        ModelMeta.Builder b = ModelMeta.builder(RestoreNets.FFDNET).channels(1, 1).hyper("depth", 3).hyper("width", 8).tasks("denoise");
        if (fusionDepth > 0) b.hyper("fusion_depth", fusionDepth).hyper("fusion_width", 8).hyper("refine", "fusion");
        return b.build();
    }

    @Test
    void untrainedHeadReturnsTheWienerOutputExactly() {
        Engines.init();
        try (NDManager m = NDManager.newBaseManager()) {
            FfdNet net = (FfdNet) Architectures.buildInitialized(meta(3), m);
            assertNotNull(net.fusion());
            Image clean = PnpDeblurrerTest.camera().crop(100, 80, 70, 90);
            Image noisy = GaussianNoise.addNoise(clean, 25, new SplittableRandom(5));
            Image pilot = GaussianNoise.addNoise(clean, 5, new SplittableRandom(6)).clip();
            Image wiener = GaussianNoise.addNoise(clean, 4, new SplittableRandom(7)).clip();
            try (Denoiser d = new Denoiser(net, meta(3), m, 64, false)) {
                assertTrue(d.hasFusion());
                assertArrayEquals(wiener.data(), d.fuse(noisy, pilot, wiener, 25).data(), 1e-6f, "gray, in tiles (blending: within rounding)");
                Image rgb = Image.stack(wiener, pilot, wiener);
                Image out = d.fuse(Image.stack(noisy, noisy, noisy), Image.stack(pilot, pilot, pilot), rgb, 25);
                assertEquals(3, out.channels());
                assertArrayEquals(rgb.data(), out.data(), 1e-5f, "RGB, through the opponent planes and back");
            }
        }
    }

    @Test
    void headLearnsWhatTheWienerOutputGetsWrong() {
        Engines.init();
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            // deep enough that the initialisation matters (PyTorch's default init leaves it stuck at its start)
            FusionHead head = new FusionHead(8, 16);
            head.initialize(m, DataType.FLOAT32, new Shape(4, 3, 16, 16), new Shape(4, 1, 1, 1));
            Adam adam = Adam.builder().optLearningRate(LrSchedule.constant(3e-3f)).build(head);
            SplittableRandom r = new SplittableRandom(9);
            double first = 0, last = 0;
            for (int step = 0; step < 150; step++) {
                try (NDManager sm = m.newSubManager()) {
                    float[] clean = new float[4 * 16 * 16];
                    for (int i = 0; i < clean.length; i++) clean[i] = (float) r.nextDouble();
                    NDArray c = sm.create(clean, new Shape(4, 1, 16, 16));
                    // the "Wiener output" is systematically too dark and flat; the network's output is right
                    NDArray planes = c.add(sm.randomNormal(c.getShape()).mul(0.1f)).concat(c, 1).concat(c.mul(0.8f).add(0.05f), 1);
                    NDArray level = sm.full(new Shape(4, 1, 1, 1), 0.1f);
                    float loss;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray l = head.forward(new ParameterStore(sm, false), new NDList(planes, level), true).singletonOrThrow().sub(c).square().mean();
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    adam.update();
                    if (step < 10) first += loss / 10;
                    if (step >= 140) last += loss / 10;
                }
            }
            assertTrue(last < 0.2 * first, "loss " + first + " -> " + last);
        }
    }

    @Test
    void headIsSavedAndLoadedWithItsModelAndOldModelsHaveNone() throws Exception {
        Engines.init();
        try (NDManager m = NDManager.newBaseManager()) {
            FfdNet net = (FfdNet) Architectures.buildInitialized(meta(3), m);
            NDArray w = net.fusion().getParameters().get(0).getValue().getArray();
            w.set(new float[(int) w.getShape().size()]);
            w.addi(0.25f);
            ModelFile.save(tmp.resolve("m"), meta(3), net);
            try (LoadedModel back = ModelFile.load(tmp.resolve("m"), RestoreNets.FFDNET)) {
                FusionHead h = ((FfdNet) back.block()).fusion();
                assertNotNull(h);
                assertEquals(0.25f, h.getParameters().get(0).getValue().getArray().toFloatArray()[7], 0f);
            }
            FfdNet plain = (FfdNet) Architectures.buildInitialized(meta(0), m);
            assertNull(plain.fusion());
        }
    }
}
