package retouch.nn.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import retouch.RetouchException;

/**
 * The part {@link GrayToColour} and {@link OpponentColourInit} share: build the colour network,
 * pair its parameters with the gray one's in order, fill each from its gray counterpart, and
 * serialise the result in DJL's {@link Block#saveParameters} format.
 */
final class ColourExpansion {
    private ColourExpansion() {}

    /** How one colour parameter is made from the gray network's parameters. */
    interface Rule {
        /**
         * @param i the parameter's index; {@code first}/{@code last}: indices of the first and last convolution weights
         * @param gray the gray network's parameters, in order
         * @param target the colour parameter (its fresh random values, and its shape)
         */
        float[] values(int i, int first, int last, PairList<String, Parameter> gray, NDArray target);
    }

    static byte[] expand(Block gray, ModelMeta to, NDManager manager, Rule rule) {
        try (NDManager m = manager.newSubManager()) {
            Block colour = Architectures.buildInitialized(to, m);
            PairList<String, Parameter> src = gray.getParameters(), dst = colour.getParameters();
            if (src.size() != dst.size()) {
                throw new RetouchException("gray network has " + src.size() + " parameters, the colour one " + dst.size() + "; depths differ");
            }
            int first = -1, last = -1;
            for (int i = 0; i < dst.size(); i++) {
                if (dst.get(i).getValue().getArray().getShape().dimension() == 4) {
                    if (first < 0) first = i;
                    last = i;
                }
            }
            for (int i = 0; i < dst.size(); i++) {
                NDArray b = dst.get(i).getValue().getArray();
                b.set(rule.values(i, first, last, src, b));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                colour.saveParameters(out);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
