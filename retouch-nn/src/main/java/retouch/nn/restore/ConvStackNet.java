package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;
import retouch.nn.blocks.Layers;

/**
 * A restoration network whose learned part is one plain conv stack, its body (DnCNN, FFDNet).
 * What surrounds the body is fixed, so inference can run a folded copy of the body
 * ({@link retouch.nn.blocks.FoldedConvStack}) through {@link #apply}. The output has the input
 * image's shape.
 */
public abstract class ConvStackNet extends AbstractBlock {
    private final SequentialBlock body;

    /** Registers {@code body} as the child block "body" (its parameters are named after it). */
    protected ConvStackNet(SequentialBlock body) {
        this.body = addChildBlock("body", body);
    }

    /**
     * {@code depth} layers of {@code width} filters: conv+ReLU, (depth−2)×(conv+BN+ReLU), then a
     * conv to {@code outChannels}.
     *
     * @param network the name the error for a depth under 3 uses
     */
    protected static SequentialBlock convStack(String network, int depth, int width, int outChannels) {
        if (depth < 3) throw new IllegalArgumentException(network + " needs depth >= 3, got " + depth);
        SequentialBlock b = new SequentialBlock().add(Layers.convRelu(width));
        for (int i = 0; i < depth - 2; i++) b.add(Layers.convBnRelu(width));
        return b.add(Layers.conv(outChannels, 3, false));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(inputs, x -> body.forward(ps, new NDList(x), training, params).singletonOrThrow()));
    }

    /** The network around a given body function (the trained block, or its folded inference copy). */
    public abstract NDArray apply(NDList inputs, UnaryOperator<NDArray> bodyFn);

    /** The conv stack, e.g. to fold it for inference. */
    public Block body() {
        return body;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
