package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;

/**
 * DnCNN: Zhang, Zuo, Chen, Meng, Zhang, "Beyond a Gaussian Denoiser: Residual Learning of Deep CNN
 * for Image Denoising", IEEE TIP 2017.
 *
 * <p>{@code depth} conv layers of {@code width} filters: conv+ReLU, (depth−2)×(conv+BN+ReLU), conv.
 * The body predicts the residual (the noise); the block returns {@code input − residual}. The
 * paper's DnCNN-S (depth 17, width 64, trained on BSD400 for one σ) reaches 32.86 / 30.44 / 27.18 dB
 * on Set12 at σ 15/25/50; the blind DnCNN-B (depth 20) is ~0.2 dB lower.
 */
public final class DnCnn extends ConvStackNet {

    public DnCnn(int channels, int depth, int width) {
        super(convStack("DnCNN", depth, width, channels));
    }

    @Override
    public NDArray apply(NDList inputs, UnaryOperator<NDArray> bodyFn) {
        NDArray x = inputs.head();
        return x.sub(bodyFn.apply(x));
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        body().initialize(manager, dataType, inputShapes[0]);
    }
}
