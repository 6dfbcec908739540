package retouch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code retouch train}: one subcommand per model family. */
// Help texts: src/main/resources/retouch/cli/TrainCommand.properties
@Command(name = "train",
        resourceBundle = "retouch.cli.TrainCommand",
        mixinStandardHelpOptions = true,
        subcommands = {TrainDenoiseCommand.class, TrainVaeCommand.class, TrainGanCommand.class, TrainClassifierCommand.class,
                TrainInpaintCommand.class, TrainDeblurGanCommand.class, TrainFusionCommand.class,
                TrainBlurSigmaCommand.class})
public final class TrainCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** No model family named: usage on stderr, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
