package retouch.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplying or dividing by a number in a graph that will be differentiated.
 *
 * <p>DJL 0.36's {@code NDArray.mul(Number)} / {@code div(Number)} / {@code pow(Number)} wrap the
 * number in a 0-d tensor over a Java direct buffer ({@code torch::from_blob}, no copy), run the op
 * and close that tensor at once. libtorch's autograd keeps the number for the backward pass
 * (d(x·s)/dx = s) with no claim on the Java buffer, which the garbage collector then frees: the
 * backward reads freed memory, so gradients were silently wrong, or NaN once that memory had been
 * reused (VaeTest's CVAE training went NaN at a random step in about one fresh JVM in five). The
 * number here lives in a tensor libtorch allocated itself ({@code full}), which autograd keeps alive
 * as long as it needs it. Forward-only code (inference, metrics) may keep using DJL's versions:
 * there the number is read before it is closed. Adding or subtracting a number is safe either way
 * (its backward does not read it).
 */
public final class Scalars {
    private Scalars() {}

    /** {@code x · s}, safe to differentiate. */
    public static NDArray mul(NDArray x, float s) {
        try (NDArray t = constant(x, s)) {
            return x.mul(t);
        }
    }

    /** {@code x / s}, safe to differentiate. */
    public static NDArray div(NDArray x, float s) {
        try (NDArray t = constant(x, s)) {
            return x.div(t);
        }
    }

    /** {@code s} as a 0-d tensor in libtorch's own memory, in x's manager, type and device. */
    private static NDArray constant(NDArray x, float s) {
        return x.getManager().full(new Shape(), s, x.getDataType());
    }
}
