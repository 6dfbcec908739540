package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.degrade.BlurEstimator;
import retouch.degrade.GaussianBlur;
import retouch.image.Image;
import retouch.nn.Engines;
import retouch.nn.store.Architectures;
import retouch.nn.train.Adam;
import retouch.nn.train.LrSchedule;

/** The network that estimates a Gaussian blur's σ: its pooling, its tiling of a photo, and that it learns. */
class BlurSigmaNetTest {

    @Test
    void poolIsTheSoftmaxWeightedMeanOfTheSigmaMap() {
        Engines.init();
        try (NDManager m = NDManager.newBaseManager()) {
            // sample 0: equal weights -> plain mean 2.0; sample 1: the weight of location 3 dominates -> its σ 3.5
            float[] maps = {1, 2, 3, 2, 0, 0, 0, 0,
                            0.5f, 1, 1.5f, 3.5f, 0, 0, 0, 30};
            NDArray sigma = BlurSigmaNet.pool(m.create(maps, new Shape(2, 2, 2, 2)));
            assertArrayEquals(new float[] {2f, 3.5f}, sigma.toFloatArray(), 1e-4f);
        }
    }

    @Test
    void shapesFollowTheInputAtAQuarterOfItsResolution() {
        Engines.init();
        try (NDManager m = NDManager.newBaseManager()) {
            BlurSigmaNet net = (BlurSigmaNet) Architectures.buildInitialized(BlurSigmaNet.meta(8, 2).build(), m);
            NDArray out = net.forward(new ParameterStore(m, false), new NDList(m.randomUniform(0, 1, new Shape(3, 1, 48, 64))), false)
                    .singletonOrThrow();
            assertEquals(new Shape(3, 2, 12, 16), out.getShape());
        }
    }

    @Test
    void aPhotoIsRunInTilesWhoseMapsArePooledTogether() {
        Engines.init();
        Image photo = PnpDeblurrerTest.camera().crop(0, 0, 300, 200);
        try (NDManager m = NDManager.newBaseManager()) {
            List<Shape> seen = new ArrayList<>();
            // a stand-in network: σ = the tile's width / 100 everywhere, equal weights; so the pooled σ is the
            // area-weighted mean of the tiles' widths
            double sigma = BlurSigmaEstimator.estimate(photo, m, 4, x -> {
                seen.add(x.getShape());
                long h = x.getShape().get(2) / 4, w = x.getShape().get(3) / 4;
                NDArray s = m.full(new Shape(1, 1, h, w), x.getShape().get(3) / 100f);
                return s.concat(m.zeros(new Shape(1, 1, h, w)), 1);
            });
            // 300x200 -> tiles 256x200 and 44x200 (rows), widths 200: σ 2.0
            assertEquals(List.of(new Shape(1, 1, 256, 200), new Shape(1, 1, 44, 200)), seen);
            assertEquals(2.0, sigma, 1e-5);
            assertTrue(Double.isNaN(BlurSigmaEstimator.estimate(photo.crop(0, 0, 20, 200), m, 4, x -> x)), "under 32 px: no estimate");
        }
    }

    @Test
    void itLearnsToTellTwoBlursApart() {
        Engines.init();
        Engine.getInstance().setRandomSeed(5);
        Image clean = PnpDeblurrerTest.camera();
        SplittableRandom r = new SplittableRandom(11);
        try (NDManager m = NDManager.newBaseManager()) {
            BlurSigmaNet net = (BlurSigmaNet) Architectures.buildInitialized(BlurSigmaNet.meta(16, 2).build(), m);
            Adam adam = Adam.builder().optLearningRate(LrSchedule.constant(3e-3f)).build(net);
            ParameterStore ps = new ParameterStore(m, false);
            double first = 0, last = 0;
            int steps = 400, batch = 8, p = 48;
            for (int step = 0; step < steps; step++) {
                try (NDManager sm = m.newSubManager()) {
                    float[] in = new float[batch * p * p], target = new float[batch];
                    for (int b = 0; b < batch; b++) {
                        double sigma = b % 2 == 0 ? 0.5 : 2.5;
                        Image crop = clean.crop(r.nextInt(clean.height() - p - 16), r.nextInt(clean.width() - p - 16), p + 16, p + 16);
                        Image patch = BlurSigmaTraining.degrade(crop, sigma, 1, r).crop(8, 8, p, p);
                        System.arraycopy(patch.data(), 0, in, b * p * p, p * p);
                        target[b] = (float) sigma;
                    }
                    float loss;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray out = net.forward(ps, new NDList(sm.create(in, new Shape(batch, 1, p, p))), true).singletonOrThrow();
                        NDArray l = BlurSigmaNet.pool(out).sub(sm.create(target)).abs().mean();
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    adam.update();
                    if (step < 10) first += loss / 10;
                    if (step >= steps - 10) last += loss / 10;
                }
            }
            // a constant guess (1.5) scores 1.0; telling the two apart scores near 0
            assertTrue(last < 0.5 * first && last < 0.5, "mean |σ error| " + first + " -> " + last);
            Image photo = clean.crop(0, 0, 128, 128);
            try (NDManager sm = m.newSubManager()) {
                double sharp = BlurSigmaEstimator.estimate(BlurSigmaTraining.degrade(photo, 0.5, 1, r), sm, 4,
                        x -> net.forward(ps, new NDList(x), false).singletonOrThrow());
                double soft = BlurSigmaEstimator.estimate(BlurSigmaTraining.degrade(photo, 2.5, 1, r), sm, 4,
                        x -> net.forward(ps, new NDList(x), false).singletonOrThrow());
                assertTrue(soft > sharp + 1, "σ 0.5 read as " + sharp + ", σ 2.5 as " + soft);
            }
        }
    }

    @Test
    void aRefinedFitNamesWhatReplacedTheFittedKernel() {
        BlurEstimator.Estimate fit = new BlurEstimator.Estimate(new GaussianBlur(1.5), 1e-4, 1e-3);
        BlurEstimator.Estimate refined = fit.refined(new GaussianBlur(1.62), "blur-sigma");
        assertEquals(1.62, ((GaussianBlur) refined.blur()).sigma(), 1e-9);
        assertEquals(fit.residual(), refined.residual());
        assertTrue(refined.isBlurred());
        assertTrue(refined.toString().startsWith("blur:gauss:1.62 (from blur-sigma; the kernel fit said blur:gauss:1.5;"), refined.toString());
        assertTrue(fit.toString().startsWith("blur:gauss:1.5 (fit residual"), fit.toString());
    }
}
