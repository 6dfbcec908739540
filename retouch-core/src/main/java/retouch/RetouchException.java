package retouch;

/**
 * An error the user can fix: bad input file, unknown option value, missing dataset, wrong model
 * file. The message is one line that names the thing (file, option) and says what to do; the CLI
 * prints it without a stack trace and exits non-zero. Programming errors stay ordinary exceptions.
 */
public class RetouchException extends RuntimeException {
    public RetouchException(String message) {
        super(message);
    }

    public RetouchException(String message, Throwable cause) {
        super(message, cause);
    }
}
