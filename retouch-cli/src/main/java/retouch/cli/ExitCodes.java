package retouch.cli;

/** Exit codes of the retouch command; documented in every --help footer. */
public final class ExitCodes {
    public static final int OK = 0;
    /** An unexpected internal error (a bug): the message says how to get the stack trace. */
    public static final int INTERNAL = 1;
    /** The command line itself is wrong: unknown option, missing argument. */
    public static final int USAGE = 2;
    /** Bad input: unreadable or oversized image, unknown spec, missing dataset, wrong model file. */
    public static final int BAD_INPUT = 3;
    /** Stopped by the user (Ctrl-C); a checkpoint was written where the command trains. */
    public static final int INTERRUPTED = 130;

    /** The last footer line of every command's help; {@link HelpTexts} adds it after the footer in the bundle. */
    public static final String HELP_FOOTER = "%nExit codes: 0 ok, 1 internal error, 2 bad command line, "
            + "3 bad input (file, spec, dataset or model), 130 interrupted.";

    private ExitCodes() {}
}
