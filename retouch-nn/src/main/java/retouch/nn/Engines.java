package retouch.nn;

import ai.djl.engine.Engine;
import retouch.RetouchException;

/**
 * One-time engine set-up shared by every entry point (CLI, server, tests).
 *
 * <p>DJL reads its settings from system properties once, when the engine first loads, so they must
 * be set before anything touches an {@code NDManager}. {@link #init()} does that: offline mode
 * unless the user chose otherwise (nothing is downloaded at run time; the native library comes
 * from the jar on the class path), and the thread count from {@code RETOUCH_THREADS}.
 */
public final class Engines {

    /** Environment variable with the number of PyTorch threads (intra-op; inter-op gets 1). */
    public static final String THREADS_ENV = "RETOUCH_THREADS";

    private static Engine engine;

    private Engines() {}

    /** Applies Retouch's defaults (once) and returns the loaded engine. */
    public static synchronized Engine init() {
        if (engine != null) {
            return engine;
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        String threads = System.getenv(THREADS_ENV);
        if (threads != null && !threads.isBlank()) {
            int n;
            try {
                n = Integer.parseInt(threads.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1) {
                throw new RetouchException(THREADS_ENV + "='" + threads + "' is not a positive whole number; unset it or set e.g. " + THREADS_ENV + "=2");
            }
            setIfUnset("ai.djl.pytorch.num_threads", Integer.toString(n));
            setIfUnset("ai.djl.pytorch.num_interop_threads", "1");
        }
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new RetouchException("cannot load the PyTorch engine (" + e.getMessage()
                    + "); check that pytorch-native-cpu for this platform is on the class path, or set PYTORCH_LIBRARY_PATH to a local libtorch", e);
        }
        return engine;
    }

    private static void setIfUnset(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
