package retouch.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;

/** Runs the CLI in-process and captures what it prints, for tests. */
final class Cli {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RetouchCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code args} followed by {@code more}: a command line and the options one run adds to it. */
    static String[] concat(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    /** The bad-input corpus kept with the image reader's tests. */
    static Path bad(String name) {
        return Path.of("..", "retouch-core", "src", "test", "resources", "bad", name).toAbsolutePath().normalize();
    }

    static Path sample(String name) {
        return Path.of("..", "samples", name).toAbsolutePath().normalize();
    }

    static Path set12(String name) {
        return Path.of("..", "..", "shared", "data", "set12", name).toAbsolutePath().normalize();
    }

    private Cli() {}
}
