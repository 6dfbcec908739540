package retouch.nn.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import retouch.nn.store.ModelMeta;

/**
 * What {@link TrainingTask#init} gets: the long-lived manager and the registry of what the
 * trainer must checkpoint. The model registered with {@link #setModel} becomes the checkpoint's
 * model file; further blocks (a discriminator, an EMA copy) are saved alongside.
 */
public final class TrainContext {

    private final NDManager manager;
    private final long seed;
    private final Path runDir;
    private final Random random;
    private final long rampFrom;
    private final long rampSteps;
    private ModelMeta modelMeta;
    private Block model;
    private final Map<String, Block> blocks = new LinkedHashMap<>();
    private final Map<String, Adam> optimizers = new LinkedHashMap<>();

    /** {@code rampSteps} 0: no learning-rate ramp. */
    TrainContext(NDManager manager, long seed, Path runDir, long rampFrom, long rampSteps) {
        this.manager = manager;
        this.rampFrom = rampFrom;
        this.rampSteps = rampSteps;
        this.seed = seed;
        this.runDir = runDir;
        this.random = new Random(Seeds.mix(seed, -1));
    }

    /** Manager for weights, optimiser state and data pools; lives for the whole run. */
    public NDManager manager() { return manager; }

    /** The run seed. */
    public long seed() { return seed; }

    /** The run folder (checkpoint, log, samples). */
    public Path runDir() { return runDir; }

    /** A generator seeded from the run seed, for set-up (e.g. choosing a validation split). */
    public Random random() { return random; }

    /**
     * The learning-rate schedule a task should use: {@code base}, with the run's ramp applied when
     * one was asked for ({@link Trainer.Builder#optLrRamp}).
     */
    public LrSchedule schedule(LrSchedule base) {
        return rampSteps > 0 ? base.withRamp(rampFrom, rampSteps) : base;
    }

    /** Registers the model to export: its meta (architecture, hyper-parameters, data...) and block. */
    public TrainContext setModel(ModelMeta meta, Block block) {
        this.modelMeta = meta;
        this.model = block;
        return this;
    }

    /** Registers another block whose parameters are checkpointed (name: letters, digits, '-', '_'). */
    public TrainContext addBlock(String name, Block block) {
        blocks.put(checkName(name), block);
        return this;
    }

    /** Registers an optimiser whose state is checkpointed. */
    public TrainContext addOptimizer(String name, Adam optimizer) {
        optimizers.put(checkName(name), optimizer);
        return this;
    }

    private static String checkName(String name) {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("checkpoint names use letters, digits, '-' and '_': " + name);
        }
        return name;
    }

    /** The meta registered with {@link #setModel}. */
    public ModelMeta modelMeta() { return modelMeta; }

    /** The model registered with {@link #setModel}. */
    public Block model() { return model; }

    Map<String, Block> blocks() { return blocks; }

    Map<String, Adam> optimizers() { return optimizers; }
}
