package retouch.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.Random;
import retouch.nn.TinyCnn;
import retouch.nn.store.Architectures;
import retouch.nn.store.ModelMeta;

/**
 * Test task: tiny-cnn learns to remove Gaussian noise (sigma 0.2) from random smooth 16x16
 * signals with 16 channels. Why 16 channels and not 1: libtorch 2.7.1's CPU backward of thin
 * convolutions (e.g. 8 to 1 channels) reads uninitialised memory (see ConvBackwardRaceTest), which
 * would make this test flaky; 16-to-16 layers are not affected.
 */
class DenoiseTask implements TrainingTask {

    static final int BATCH = 8;
    static final int SIZE = 16;
    static final int CH = 16;

    Block block;
    Adam adam;
    Trainer stopper;
    long stopAtStep = -1;
    int validations;

    @Override
    public void init(TrainContext ctx) {
        ModelMeta meta = TinyCnn.meta(CH, 16).toBuilder().trainingData("random smooth 16x16, sigma 0.2").build();
        block = Architectures.buildInitialized(meta, ctx.manager());
        adam = Adam.builder().optLearningRate(LrSchedule.constant(1e-2f)).build(block);
        ctx.setModel(meta, block).addOptimizer("adam", adam);
    }

    /** Clean images from the step's generator: sums of random low-frequency cosines, in [0,1]. */
    static NDArray clean(NDManager m, Random r) {
        float[] d = new float[BATCH * CH * SIZE * SIZE];
        for (int b = 0; b < BATCH * CH; b++) {
            double fx = r.nextDouble() * 0.4, fy = r.nextDouble() * 0.4, p = r.nextDouble() * 6, a = r.nextDouble() * 0.5;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    d[(b * SIZE + y) * SIZE + x] = (float) (0.5 + a * Math.cos(fx * x + fy * y + p));
                }
            }
        }
        return m.create(d, new Shape(BATCH, CH, SIZE, SIZE));
    }

    @Override
    public Map<String, Float> step(StepContext ctx) {
        if (ctx.step() == stopAtStep && stopper != null) {
            stopper.requestStop(); // as the Ctrl-C hook would: this step finishes, then a checkpoint
        }
        NDManager m = ctx.manager();
        NDArray x = clean(m, ctx.random());
        NDArray noisy = x.add(m.randomNormal(0f, 0.2f, x.getShape(), x.getDataType()));
        float loss;
        try (GradientCollector gc = ctx.newGradientCollector()) {
            NDArray out = block.forward(ctx.parameterStore(), new NDList(noisy), true).singletonOrThrow();
            NDArray l = out.sub(x).square().mean();
            gc.backward(l);
            loss = l.getFloat();
        }
        adam.update();
        Map<String, Float> metrics = new java.util.LinkedHashMap<>();
        metrics.put("loss", loss);
        metrics.put("lr", adam.lastLearningRate());
        return metrics;
    }

    @Override
    public Map<String, Float> validate(StepContext ctx) {
        validations++;
        NDManager m = ctx.manager();
        NDArray x = clean(m, new Random(99));
        NDArray noisy = x.add(m.randomNormal(0f, 0.2f, x.getShape(), x.getDataType()));
        NDArray out = block.forward(ctx.parameterStore(), new NDList(noisy), false).singletonOrThrow();
        return Map.of("val_mse", out.sub(x).square().mean().getFloat());
    }
}
