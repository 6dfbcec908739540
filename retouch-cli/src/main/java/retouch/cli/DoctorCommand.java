package retouch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.nn.EngineInfo;

/** {@code retouch doctor}: what Retouch will run on, checked offline. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check the deep-learning engine offline: engine and PyTorch version, threads,",
                "device (and whether a GPU would be used), memory allocator, Java and heap."},
        footer = {"%nExample:", "  retouch doctor --json", ExitCodes.HELP_FOOTER})
public final class DoctorCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        EngineInfo info = EngineInfo.collect();
        spec.commandLine().getOut().println(json ? Json.write(info.toMap()) : info.toText());
        return ExitCodes.OK;
    }
}
