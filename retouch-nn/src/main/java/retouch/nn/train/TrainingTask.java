package retouch.nn.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a model contributes to training: how to build itself and how to do one step. Everything
 * else (memory scopes, seeding, checkpoints, resume, Ctrl-C, logs, plots, progress) is the
 * {@link Trainer}'s job, so every model gets it the same way.
 *
 * <p>Rules that make resume exact: draw all randomness of a step from {@link StepContext#random()}
 * or the engine (re-seeded per step by the trainer), register every block and optimiser in
 * {@link #init}, and keep any other evolving state in {@link #saveState}/{@link #loadState}.
 */
public interface TrainingTask {

    /**
     * Builds and initialises the blocks (in {@link TrainContext#manager()}), creates their
     * optimisers, and registers them. Called once per run before any step; the engine is seeded
     * from the run seed first, so initial weights are reproducible. On resume, checkpointed
     * weights and optimiser state replace the fresh ones afterwards.
     */
    void init(TrainContext ctx) throws IOException;

    /**
     * One optimisation step. Allocate only in {@link StepContext#manager()} (closed afterwards).
     *
     * @return metrics to log, e.g. {@code {"loss": 0.012}}; a non-finite value named "loss" or
     *     ending in "_loss" stops training with an error (the last checkpoint stays intact)
     */
    Map<String, Float> step(StepContext ctx);

    /**
     * Replaces the fresh weights of the model registered in {@link #init} by those of {@code start}
     * ({@link Trainer.Builder#optInitFrom}; not called on resume). Optimiser state starts fresh.
     * The default takes a model of the same architecture, channels, depth and width as it is;
     * tasks whose networks can also start from models of another shape override it.
     *
     * @return how {@code start} was used, recorded in model.json (e.g. its name)
     */
    default String initialiseFrom(TrainContext ctx, StartModel start) throws IOException {
        start.requireShapeOf(ctx.modelMeta(), "");
        return start.loadInto(ctx);
    }

    /** Optional validation, run every {@code validateEvery} steps; its metrics join the log. */
    default Map<String, Float> validate(StepContext ctx) {
        return Map.of();
    }

    /** Optional: write a sample grid (or anything) for this step to {@code file} (a .png path). */
    default void writeSamples(StepContext ctx, Path file) throws IOException {}

    /** Optional: save state beyond blocks and optimisers (e.g. an EMA copy, a data cursor) into {@code dir}. */
    default void saveState(Path dir) throws IOException {}

    /** Optional: restore what {@link #saveState} wrote. */
    default void loadState(Path dir) throws IOException {}
}
