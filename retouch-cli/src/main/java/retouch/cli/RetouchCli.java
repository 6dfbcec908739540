package retouch.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import retouch.RetouchException;

/** Entry point of the {@code retouch} command: one subcommand class per job. */
// Help texts: src/main/resources/retouch/cli/RetouchCli.properties
@Command(name = "retouch",
        resourceBundle = "retouch.cli.RetouchCli",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {
                DemoCommand.class,
                DegradeCommand.class,
                RestoreCommand.class,
                MetricsCommand.class,
                EvalCommand.class,
                TrainCommand.class,
                ModelsCommand.class,
                DoctorCommand.class,
                BenchCommand.class,
                ServeCommand.class,
                GenerateCommand.class,
                ReconstructCommand.class,
                InterpolateCommand.class,
                EvalGenCommand.class,
                EvalInpaintCommand.class,
                CommandLine.HelpCommand.class})
public final class RetouchCli implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No subcommand is a bad command line: usage on stderr, exit 2 (scripts see the mistake). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given streams and returns its exit code (used by tests too). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = HelpTexts.complete(new CommandLine(new RetouchCli()));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(RetouchCli::handleFailure);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("retouch: " + ex.getMessage());
            CommandLine failed = ex.getCommandLine();
            err.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        return cl.execute(args);
    }

    private static int handleFailure(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        Throwable root = ex;
        // A user error may arrive wrapped (e.g. inside an executor); report the innermost one.
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof RetouchException) {
                root = t;
                break;
            }
        }
        if (root instanceof UsageException) {
            err.println("retouch: " + root.getMessage());
            err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        }
        if (root instanceof RetouchException) {
            err.println("retouch: " + root.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        if (System.getenv("RETOUCH_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.println("retouch: internal error: " + ex.getClass().getSimpleName()
                + (ex.getMessage() == null ? "" : ": " + ex.getMessage().lines().findFirst().orElse(""))
                + " (set RETOUCH_DEBUG=1 for the stack trace and report it)");
        return ExitCodes.INTERNAL;
    }

    static {
        // Keep native-library chatter off the user's terminal; warnings still show.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // DJL probes for CUDA on every start and warns when no driver is present: not news on a CPU machine.
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile", "System.err"));
    }
}
