package retouch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import retouch.nn.train.Trainer;

/**
 * {@code --seed} and {@code --quiet}, which every training command sets on its {@link Trainer}: through
 * {@link TrainRunOptions}, or directly in {@code train classifier}, whose run folder and stop flags differ.
 */
// Help texts: src/main/resources/retouch/cli/SeedQuietOptions.properties
@Command(resourceBundle = "retouch.cli.SeedQuietOptions")
final class SeedQuietOptions {

    @Option(names = "--seed", defaultValue = "0") long seed;

    @Option(names = "--quiet") boolean quiet;

    /** Sets the seed and whether the progress bar shows on {@code b}. */
    Trainer.Builder applyTo(Trainer.Builder b) {
        return b.optSeed(seed).optQuiet(quiet);
    }
}
