package retouch.cli;

import picocli.CommandLine.Option;
import retouch.nn.train.Trainer;

/**
 * {@code --seed} and {@code --quiet}, which every training command sets on its {@link Trainer}: through
 * {@link TrainRunOptions}, or directly in {@code train classifier}, whose run folder and stop flags differ.
 */
final class SeedQuietOptions {

    @Option(names = "--seed", defaultValue = "0", description = "Run seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** Sets the seed and whether the progress bar shows on {@code b}. */
    Trainer.Builder applyTo(Trainer.Builder b) {
        return b.optSeed(seed).optQuiet(quiet);
    }
}
