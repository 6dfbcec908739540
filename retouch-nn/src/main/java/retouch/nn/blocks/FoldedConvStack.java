package retouch.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.ArrayList;
import java.util.List;

/**
 * An inference-only copy of a trained stack of {@link Layers} (conv, BatchNorm, ReLU, thin-layer
 * channel keep) with every BatchNorm folded into the convolution before it and thin layers cut
 * back to their real filters: the same function with fewer ops and less memory traffic (BN costs
 * a full read and write of every activation). Only for stride-1 "same" 3×3 (or k×k) convolutions,
 * which is what the restoration bodies are made of. Close it to free the folded weights.
 */
public final class FoldedConvStack implements AutoCloseable {
    private record Layer(NDArray weight, NDArray bias, boolean relu, int pad) {}

    private final NDManager manager;
    private final List<Layer> layers;
    /** Run channels-last: where preferred, and always when NCHW would be wrong for a layer (see {@link Layers#nchwConvSafe}). */
    private final boolean channelsLast;

    private FoldedConvStack(NDManager manager, List<Layer> layers) {
        this.manager = manager;
        this.layers = layers;
        this.channelsLast = Layers.channelsLastPreferred()
                || layers.stream().anyMatch(l -> !Layers.nchwConvSafe(l.weight().getShape().get(1), l.weight().getShape().get(0)));
    }

    /** Folds {@code stack} (initialised, trained) into weights owned by a child of {@code parent}. */
    public static FoldedConvStack fold(Block stack, NDManager parent) {
        NDManager m = parent.newSubManager();
        List<Block> leaves = new ArrayList<>();
        flatten(stack, leaves);
        List<Layer> layers = new ArrayList<>();
        NDArray w = null, b = null;
        boolean relu = false;
        int pad = 0;
        for (Block leaf : leaves) {
            if (leaf instanceof Conv2d conv) {
                if (w != null) layers.add(new Layer(w, b, relu, pad));
                NDArray cw = conv.getDirectParameters().get("weight").getArray();
                w = cw.duplicate();
                w.attach(m);
                long filters = cw.getShape().get(0);
                b = conv.isIncludeBias() ? conv.getDirectParameters().get("bias").getArray().duplicate() : m.zeros(new Shape(filters));
                b.attach(m);
                relu = false;
                pad = (int) (cw.getShape().get(2) / 2);
            } else if (leaf instanceof BatchNorm bn) {
                if (w == null || relu) throw new IllegalArgumentException("BatchNorm must directly follow a convolution to be folded");
                var p = bn.getDirectParameters();
                NDArray scale = p.get("gamma").getArray().div(p.get("runningVar").getArray().add(Layers.BN_EPSILON).sqrt());
                NDArray nw = w.mul(scale.reshape(-1, 1, 1, 1));
                NDArray nb = b.sub(p.get("runningMean").getArray()).mul(scale).add(p.get("beta").getArray());
                nw.attach(m);
                nb.attach(m);
                scale.close();
                w = nw;
                b = nb;
            } else if (leaf instanceof LambdaBlock lb && lb.getName().startsWith(Layers.KEEP_PREFIX)) {
                int keep = Integer.parseInt(lb.getName().substring(Layers.KEEP_PREFIX.length()));
                NDArray nw = w.get(new NDIndex("0:{}", keep)).duplicate();
                NDArray nb = b.get(new NDIndex("0:{}", keep)).duplicate();
                nw.attach(m);
                nb.attach(m);
                w = nw;
                b = nb;
            } else if (leaf instanceof LambdaBlock lb && lb.getName().equalsIgnoreCase(Layers.RELU_NAME)) {
                relu = true;
            } else {
                throw new IllegalArgumentException("cannot fold a " + leaf.getClass().getSimpleName() + " (" + leaf + ")");
            }
        }
        if (w != null) layers.add(new Layer(w, b, relu, pad));
        return new FoldedConvStack(m, layers);
    }

    private static void flatten(Block b, List<Block> out) {
        if (b instanceof SequentialBlock s) {
            for (Block c : s.getChildren().values()) flatten(c, out);
        } else {
            out.add(b);
        }
    }

    /**
     * The stack's output for {@code x}; results live in x's manager. It runs channels-last (the
     * layout libtorch 2.7's oneDNN convolutions work in, so no layer converts on the way in and
     * out): 13–25 % faster at 512² for FFDNet- and DnCNN-sized stacks; the result keeps that layout.
     * With {@code -Dretouch.nchw-only=true} it runs NCHW unless that layout is wrong for a layer
     * ({@link Layers#nchwConvSafe}).
     */
    public NDArray forward(NDArray x) {
        NDArray cur = channelsLast ? Layers.channelsLast(x) : x;
        for (Layer l : layers) {
            NDArray y = Conv2d.conv2d(cur, l.weight(), l.bias(), new Shape(1, 1), new Shape(l.pad(), l.pad()), new Shape(1, 1), 1)
                    .singletonOrThrow();
            if (cur != x) cur.close();
            cur = l.relu() ? reluAndClose(y) : y;
        }
        return cur;
    }

    private static NDArray reluAndClose(NDArray y) {
        NDArray r = Activation.relu(y);
        y.close();
        return r;
    }

    public int layerCount() {
        return layers.size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
