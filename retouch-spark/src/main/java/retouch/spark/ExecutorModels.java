package retouch.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkFiles;
import retouch.api.Retouch;

/**
 * The models of one executor JVM: each is opened once, on first use, and shared by every task
 * that JVM runs ({@link Retouch} is thread-safe). They stay open for the life of the JVM; the
 * operating system frees their native memory when the executor exits.
 *
 * <p>Models reach the executors as files added with {@code SparkContext.addFile} (the driver's
 * {@code --files}); {@link #ensureSearchPath()} puts the folder those land in ahead of the model
 * store's search path, so a shipped {@code denoise-gray.zip} is found by its name, also when a
 * model opens another one by name (the colour model of {@code --task denoise}, a deblurrer's
 * plug-and-play prior).
 */
public final class ExecutorModels {
    private static final Map<String, Retouch> OPEN = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorModels() {}

    /** A loaded model and whether this call loaded it (and how long that took). */
    public record Handle(Retouch model, boolean loadedNow, long loadMillis) {}

    /** The model for {@code spec}, loaded now if this JVM has not loaded it yet. */
    public static Handle get(ModelSpec spec) {
        Retouch r = OPEN.get(spec.cacheKey());
        if (r != null) return new Handle(r, false, 0);
        boolean[] loaded = {false};
        long t0 = System.nanoTime();
        r = OPEN.computeIfAbsent(spec.cacheKey(), k -> {
            ensureSearchPath();
            Retouch opened = spec.open();
            LOADS.incrementAndGet();
            loaded[0] = true;
            return opened;
        });
        return new Handle(r, loaded[0], loaded[0] ? (System.nanoTime() - t0) / 1_000_000 : 0);
    }

    /** Models this JVM has loaded since it started. */
    public static int loads() {
        return LOADS.get();
    }

    /** Puts the folder of the files shipped with the job first on the model search path (once per folder). */
    static synchronized void ensureSearchPath() {
        String root;
        try {
            root = SparkFiles.getRootDirectory();
        } catch (RuntimeException e) {
            return; // no SparkContext/SparkEnv here (a plain unit test): the usual search path
        }
        String current = System.getProperty("retouch.models", "");
        if (current.equals(root) || current.startsWith(root + java.io.File.pathSeparator)) return;
        System.setProperty("retouch.models", current.isEmpty() ? root : root + java.io.File.pathSeparator + current);
    }

    /** Closes every model of this JVM (tests; an executor simply exits). */
    public static void closeAll() {
        for (Retouch r : OPEN.values()) r.close();
        OPEN.clear();
    }
}
