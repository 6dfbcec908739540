package retouch.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import retouch.nn.train.Trainer;
import retouch.nn.train.TrainingTask;

/**
 * The options every {@code retouch train …} run shares (run folder, export, seed, time-boxed stop,
 * quiet), and how they configure the {@link Trainer}: one place instead of one copy per family.
 */
// Help texts: src/main/resources/retouch/cli/TrainRunOptions.properties
@Command(resourceBundle = "retouch.cli.TrainRunOptions")
public final class TrainRunOptions {

    @Option(names = "--out", required = true) Path out;

    @Option(names = "--export") Path export;

    @Option(names = "--stop-at", defaultValue = "0") long stopAt;

    @Mixin SeedQuietOptions seedQuiet;

    /** The run seed (--seed). */
    long seed() {
        return seedQuiet.seed;
    }

    /** Sets run folder, seed, stop step, quiet, export and the command line (recorded in model.json) on {@code b}. */
    Trainer.Builder applyTo(Trainer.Builder b, CommandSpec spec) {
        return seedQuiet.applyTo(b)
                .setRunDir(out)
                .optStopAt(stopAt)
                .optExport(export)
                .optCommand(commandLine(spec));
    }

    /** The command line as typed, recorded in model.json so that a model says how it was trained. */
    static String commandLine(CommandSpec spec) {
        return "retouch " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    /** Trains {@code task} with the trainer {@code b} describes, prints the closing line and returns the exit code. */
    int fit(CommandSpec spec, Trainer.Builder b, TrainingTask task, long steps) throws IOException {
        Trainer.Result r = b.build().fit(task);
        report(spec, r, steps);
        return exitCode(r);
    }

    /** Exit code of a finished run: OK when it completed or stopped where --stop-at said, else interrupted. */
    int exitCode(Trainer.Result r) {
        return r.completed() || stopAt > 0 ? ExitCodes.OK : ExitCodes.INTERRUPTED;
    }

    /** The standard closing line: finished or stopped, at which step, time, checkpoint. */
    private void report(CommandSpec spec, Trainer.Result r, long steps) {
        spec.commandLine().getOut().printf("%s at step %d/%d (%.0f s in all); checkpoint %s%n",
                r.completed() ? "finished" : "stopped", r.step(), steps, r.wallSeconds(), r.checkpoint());
    }
}
