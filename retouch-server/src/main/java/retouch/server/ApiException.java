package retouch.server;

/**
 * A request that ends with an error response: an HTTP status, a stable machine-readable code and
 * a message for people. Rendered as {@code {"error": code, "message": message}}.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final int retryAfterSeconds;

    /** An error without a Retry-After header. */
    public ApiException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    /**
     * @param retryAfterSeconds value of the Retry-After header, or 0 for none
     */
    public ApiException(int status, String code, String message, int retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** HTTP status. */
    public int status() { return status; }

    /** Machine-readable code, e.g. "bad_image". */
    public String code() { return code; }

    /** Seconds for the Retry-After header; 0 when none is sent. */
    public int retryAfterSeconds() { return retryAfterSeconds; }

    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }
}
