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

    /**
     * {@code lr} up to step {@code from}, then falling linearly to 0 at step {@code to} (and 0
     * after), as SNGAN and BigGAN-style runs end: the last updates settle the weights instead of
     * moving them as far as the first did.
     */
    static LrSchedule linearDecay(float lr, long from, long to) {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("linear decay needs 0 <= from < to, got " + from + " and " + to);
        }
        return step -> step <= from ? lr : step >= to ? 0f : lr * (to - step) / (float) (to - from);
    }

    /** This schedule preceded by a linear warm-up over the first {@code warmupSteps} steps. */
    default LrSchedule withWarmup(long warmupSteps) {
        LrSchedule base = this;
        return step -> step <= warmupSteps ? base.at(step) * step / (float) (warmupSteps + 1) : base.at(step);
    }

    /**
     * This schedule scaled by a linear ramp from 0 to 1 over the {@code n} steps after step
     * {@code from} (1 again from {@code from + n}; steps up to {@code from} are unchanged). Extending
     * an annealed run re-plans its cosine and the rate would jump from the final rate straight to a
     * high one; ramping it in keeps Adam's first large steps from wrecking the converged weights.
     * Stateless, like every schedule here, so resuming mid-ramp gives the same rates.
     */
    default LrSchedule withRamp(long from, long n) {
        if (from < 0 || n <= 0) {
            throw new IllegalArgumentException("learning-rate ramp needs from >= 0 and n > 0, got " + from + ":" + n);
        }
        LrSchedule base = this;
        return step -> step <= from || step >= from + n ? base.at(step) : base.at(step) * (step - from) / (float) n;
    }
}
