package retouch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code retouch train}: one subcommand per model family. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model with the shared training loop: progress bar with rate and ETA,",
                "checkpoints (every N steps and on Ctrl-C), resume, CSV log, loss curve and sample PNGs."},
        subcommands = {TrainDenoiseCommand.class, TrainVaeCommand.class, TrainGanCommand.class, TrainClassifierCommand.class,
                TrainInpaintCommand.class, TrainDeblurGanCommand.class, TrainFusionCommand.class},
        footer = {"%nExample:", "  retouch train denoise --data train400 --steps 20000 --out runs/denoise-gray", ExitCodes.HELP_FOOTER})
public final class TrainCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** No model family named: usage on stderr, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
