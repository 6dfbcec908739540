package retouch.nn.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import retouch.RetouchException;

/**
 * Starts a network grown from a trained one: every parameter the trained network has is copied;
 * the grown network's other parameters must belong to the added parts, and those that produce an
 * added part's contribution start at zero, so the grown network computes what the trained one did.
 */
public final class GrownParameters {
    private GrownParameters() {}

    /**
     * @param added       whether a parameter the trained network lacks belongs to an added part
     * @param startsAtZero whether such a parameter is zeroed (the others keep their random start, so gradients flow)
     * @param what        the grown network, for messages ("the deeper U-Net")
     * @throws RetouchException on a shape mismatch or a parameter that is neither trained nor added
     */
    public static void copy(Block trained, Block grown, Predicate<String> added, Predicate<String> startsAtZero, String what) {
        Map<String, Parameter> source = new HashMap<>();
        for (Pair<String, Parameter> p : trained.getParameters()) source.put(p.getKey(), p.getValue());
        for (Pair<String, Parameter> p : grown.getParameters()) {
            NDArray dst = p.getValue().getArray();
            Parameter src = source.get(p.getKey());
            if (src != null) {
                if (!src.getArray().getShape().equals(dst.getShape())) {
                    throw new RetouchException("parameter '" + p.getKey() + "' has shape " + src.getArray().getShape()
                            + " in the start model; " + what + " needs " + dst.getShape());
                }
                dst.set(src.getArray().toType(DataType.FLOAT32, false).toFloatArray());
            } else if (!added.test(p.getKey())) {
                throw new RetouchException("parameter '" + p.getKey() + "' of " + what + " is not in the start model");
            } else if (startsAtZero.test(p.getKey())) {
                dst.set(new float[Math.toIntExact(dst.size())]);
            }
        }
    }
}
