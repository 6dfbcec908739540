package retouch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import retouch.nn.train.Trainer;

/**
 * {@code --steps} and {@code --checkpoint-every} of the trainers that count steps ({@code train denoise,
 * fusion, inpaint}). Each family has its own defaults, so each command creates this with them: picocli
 * takes a mixin field's initial value as the option's default (and shows it as ${DEFAULT-VALUE}).
 */
// Help texts: src/main/resources/retouch/cli/TrainSteps.properties
@Command(resourceBundle = "retouch.cli.TrainSteps")
final class TrainSteps {

    @Option(names = "--steps") long steps;

    @Option(names = "--checkpoint-every") long checkpointEvery;

    TrainSteps(long steps, long checkpointEvery) {
        this.steps = steps;
        this.checkpointEvery = checkpointEvery;
    }

    /** Sets the run length and checkpoint interval on {@code b}, and validation and sample grids every {@code validateEvery} steps. */
    Trainer.Builder applyTo(Trainer.Builder b, long validateEvery) {
        return applyTo(b, steps, checkpointEvery, validateEvery);
    }

    /** The same for trainers that take these numbers from other options ({@code train gan}: --eval-every; {@code train vae}: epochs). */
    static Trainer.Builder applyTo(Trainer.Builder b, long steps, long checkpointEvery, long validateEvery) {
        return b.setSteps(steps)
                .optCheckpointEvery(checkpointEvery)
                .optValidateEvery(validateEvery)
                .optSampleEvery(validateEvery);
    }
}
