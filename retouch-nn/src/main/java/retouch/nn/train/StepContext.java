package retouch.nn.train;

import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;

/**
 * What one training step gets: a manager that is closed when the step ends (so temporaries
 * cannot pile up), the step number, and a random generator that depends only on (seed, step).
 */
public final class StepContext {

    private final NDManager manager;
    private final long step;
    private final long totalSteps;
    private final long seed;
    private ParameterStore parameterStore;
    private Random random;

    StepContext(NDManager manager, long step, long totalSteps, long seed) {
        this.manager = manager;
        this.step = step;
        this.totalSteps = totalSteps;
        this.seed = seed;
    }

    /** Manager for this step's arrays; closed by the trainer after the step. */
    public NDManager manager() { return manager; }

    /** This step's number, 1-based. */
    public long step() { return step; }

    /** The step the run ends at. */
    public long totalSteps() { return totalSteps; }

    /** Generator seeded from (run seed, step); the engine's own generator is re-seeded the same way. */
    public Random random() {
        if (random == null) {
            random = new Random(Seeds.mix(seed, step));
        }
        return random;
    }

    /**
     * Parameter store for {@code block.forward(ctx.parameterStore(), inputs, training)}; it hands
     * out the parameters themselves (no copies), created fresh per step so it never serves
     * arrays that a resume replaced.
     */
    public ParameterStore parameterStore() {
        if (parameterStore == null) {
            parameterStore = new ParameterStore(manager, false);
        }
        return parameterStore;
    }

    /** A gradient collector; only one may be open at a time (close it before the next). */
    public GradientCollector newGradientCollector() {
        return manager.getEngine().newGradientCollector();
    }
}
