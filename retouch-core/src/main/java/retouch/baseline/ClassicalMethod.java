package retouch.baseline;

import retouch.image.Image;
import retouch.restore.RestoreParams;

/**
 * A classical (non-learned) restoration method: the baselines every evaluation table includes
 * next to the networks. Get one by name from {@link ClassicalMethods#byName(String)}.
 */
public interface ClassicalMethod {
    /** Short lower-case name, as accepted by {@link ClassicalMethods#byName}. */
    String name();

    /** Restores {@code degraded}; the result has values in [0,1]. */
    Image apply(Image degraded, RestoreParams params);

    /** {@link #apply(Image, RestoreParams)} with default parameters. */
    default Image apply(Image degraded) {
        return apply(degraded, RestoreParams.defaults());
    }
}
