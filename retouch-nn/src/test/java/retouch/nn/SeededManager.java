package retouch.nn;

import ai.djl.ndarray.NDManager;

/** Test helper: a native memory scope on an initialised engine whose random draws repeat run after run. */
public final class SeededManager {
    private SeededManager() {}

    /** A new base manager (close it) with the engine's random seed set to {@code seed}. */
    public static NDManager open(long seed) {
        Engines.init();
        NDManager m = NDManager.newBaseManager();
        m.getEngine().setRandomSeed((int) seed);
        return m;
    }
}
