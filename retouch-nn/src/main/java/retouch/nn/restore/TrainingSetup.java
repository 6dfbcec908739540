package retouch.nn.restore;

import ai.djl.nn.Block;
import retouch.nn.store.Architectures;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Adam;
import retouch.nn.train.LrSchedule;
import retouch.nn.train.TrainContext;

/** What every restoration training shares: the network, Adam on a cosine schedule, the held-out split. */
record TrainingSetup(Block block, Adam adam) {

    /** Builds the network for {@code meta}, its optimiser, and registers both for checkpoints. */
    static TrainingSetup create(TrainContext ctx, ModelMeta meta, float lr, float lrMin, long steps) {
        Block block = Architectures.buildInitialized(meta, ctx.manager());
        Adam adam = Adam.builder().optLearningRate(ctx.schedule(LrSchedule.cosine(lr, lrMin, steps))).build(block);
        ctx.setModel(meta, block).addOptimizer("adam", adam);
        return new TrainingSetup(block, adam);
    }

    /** Whether image {@code i} of the folder is held out for validation (every {@code valEvery}-th). */
    static boolean heldOut(int i, int valEvery) {
        return valEvery > 0 && i % valEvery == valEvery - 1;
    }
}
