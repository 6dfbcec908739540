package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import java.util.function.UnaryOperator;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import retouch.nn.blocks.Layers;

/**
 * DnCNN: Zhang, Zuo, Chen, Meng, Zhang, "Beyond a Gaussian Denoiser: Residual Learning of Deep CNN
 * for Image Denoising", IEEE TIP 2017.
 *
 * <p>{@code depth} conv layers of {@code width} filters: conv+ReLU, (depth−2)×(conv+BN+ReLU), conv.
 * The body predicts the residual (the noise); the block returns {@code input − residual}. The
 * paper's DnCNN-S (depth 17, width 64, trained on BSD400 for one σ) reaches 32.86 / 30.44 / 27.18 dB
 * on Set12 at σ 15/25/50; the blind DnCNN-B (depth 20) is ~0.2 dB lower.
 */
public final class DnCnn extends AbstractBlock {
    private final SequentialBlock body;

    public DnCnn(int channels, int depth, int width) {
        if (depth < 3) throw new IllegalArgumentException("DnCNN needs depth >= 3, got " + depth);
        SequentialBlock b = new SequentialBlock().add(Layers.convRelu(width));
        for (int i = 0; i < depth - 2; i++) b.add(Layers.convBnRelu(width));
        b.add(Layers.conv(channels, 3, false));
        this.body = addChildBlock("body", b);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(inputs, x -> body.forward(ps, new NDList(x), training, params).singletonOrThrow()));
    }

    /** The network around a given body function (the trained block, or its folded inference copy). */
    public NDArray apply(NDList inputs, UnaryOperator<NDArray> bodyFn) {
        NDArray x = inputs.head();
        return x.sub(bodyFn.apply(x));
    }

    /** The conv stack, e.g. to fold it for inference. */
    public Block body() {
        return body;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes[0]);
    }
}
