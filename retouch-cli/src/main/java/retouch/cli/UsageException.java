package retouch.cli;

import retouch.RetouchException;

/**
 * A command line that cannot be right whatever the files hold: a number out of range, NaN or
 * infinite, an output name the command cannot write. Exit code 2, like picocli's own parse errors.
 */
final class UsageException extends RetouchException {
    UsageException(String message) {
        super(message);
    }
}
