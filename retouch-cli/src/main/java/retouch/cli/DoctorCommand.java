package retouch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.nn.EngineInfo;

/** {@code retouch doctor}: what Retouch will run on, checked offline. */
// Help texts: src/main/resources/retouch/cli/DoctorCommand.properties
@Command(name = "doctor", resourceBundle = "retouch.cli.DoctorCommand", mixinStandardHelpOptions = true)
public final class DoctorCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--json") boolean json;

    @Override
    public Integer call() {
        EngineInfo info = EngineInfo.collect();
        spec.commandLine().getOut().println(json ? Json.write(info.toMap()) : info.toText());
        return ExitCodes.OK;
    }
}
