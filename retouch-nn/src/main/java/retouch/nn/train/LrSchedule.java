package retouch.nn.train;

/**
 * Learning rate as a function of the optimiser step (1-based). Stateless, so a resumed run gets
 * the same rates as an uninterrupted one without saving anything.
 */
@FunctionalInterface
public interface LrSchedule {

    /** The learning rate for update number {@code step} (1 for the first update). */
    float at(long step);

    /** The same rate throughout. */
    static LrSchedule constant(float lr) {
        return step -> lr;
    }

    /** {@code lr} multiplied by {@code factor} after every {@code every} steps (DnCNN-style decay). */
    static LrSchedule stepDecay(float lr, long every, float factor) {
        if (every <= 0) {
            throw new IllegalArgumentException("step decay interval must be positive, got " + every);
        }
        return step -> (float) (lr * Math.pow(factor, (step - 1) / every));
    }

    /** Cosine annealing from {@code lr} at step 1 to {@code minLr} at {@code totalSteps} (then constant). */
    static LrSchedule cosine(float lr, float minLr, long totalSteps) {
        if (totalSteps <= 0) {
            throw new IllegalArgumentException("cosine schedule needs a positive step count, got " + totalSteps);
        }
        return step -> {
            double t = Math.min(1.0, (step - 1) / (double) Math.max(1, totalSteps - 1));
            return (float) (minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * t)));
        };
    }

    /** This schedule preceded by a linear warm-up over the first {@code warmupSteps} steps. */
    default LrSchedule withWarmup(long warmupSteps) {
        LrSchedule base = this;
        return step -> step <= warmupSteps ? base.at(step) * step / (float) (warmupSteps + 1) : base.at(step);
    }
}
