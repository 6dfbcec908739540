package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;
import retouch.nn.blocks.Layers;

/**
 * FFDNet-style conditional restorer: Zhang, Zuo, Zhang, "FFDNet: Toward a Fast and Flexible
 * Solution for CNN-Based Image Denoising", IEEE TIP 2018.
 *
 * <p>The image is pixel-unshuffled ×2 (C → 4C channels at half resolution, ~4× cheaper per pixel),
 * a constant condition map (the noise level σ/255, or any scalar the task conditions on) is
 * appended, {@code depth} layers of {@code width} filters (conv+ReLU, (depth−2)×(conv+BN+ReLU),
 * conv) run at half resolution, and pixel shuffle restores full resolution. With {@code residual}
 * the body predicts the correction added to the input (our choice: it trains faster on few CPU
 * steps); the paper predicts the clean image directly. Published Set12 gray figures: 32.75 / 30.43 /
 * 27.32 dB at σ 15/25/50 (depth 15, width 64; color: depth 12, width 96).
 *
 * <p>Inputs: {@code NDList(x, level)} with x N×C×H×W (H, W even) and level N×1×1×1 (σ/255).
 */
public final class FfdNet extends ConvStackNet {
    private final int channels;
    private final boolean residual;
    private final FusionHead fusion;

    public FfdNet(int channels, int depth, int width, boolean residual) {
        this(channels, depth, width, residual, 0, 0);
    }

    /**
     * @param fusionDepth layers of the {@link FusionHead} that merges the output with the Wiener
     *     stage's (model.json {@code fusion_depth}); 0 for none
     */
    public FfdNet(int channels, int depth, int width, boolean residual, int fusionDepth, int fusionWidth) {
        super(convStack("FFDNet", depth, width, 4 * channels));
        this.channels = channels;
        this.residual = residual;
        this.fusion = fusionDepth > 0 ? addChildBlock("fusion", new FusionHead(fusionDepth, fusionWidth)) : null;
    }

    /** The head that merges the output with the Wiener stage's, or null (not used by {@link #forward}). */
    public FusionHead fusion() {
        return fusion;
    }

    @Override
    public NDArray apply(NDList inputs, UnaryOperator<NDArray> bodyFn) {
        NDArray x = inputs.get(0);
        NDArray level = inputs.get(1);
        NDArray down = Layers.pixelUnshuffle(x, 2);
        Shape s = down.getShape();
        NDArray map = level.reshape(s.get(0), 1, 1, 1).broadcast(s.get(0), 1, s.get(2), s.get(3));
        NDArray up = Layers.pixelShuffle(bodyFn.apply(down.concat(map, 1)), 2);
        return residual ? x.add(up) : up;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        body().initialize(manager, dataType, new Shape(x.get(0), 4L * channels + 1, x.get(2) / 2, x.get(3) / 2));
        if (fusion != null) fusion.initialize(manager, dataType, new Shape(x.get(0), FusionHead.PLANES, x.get(2), x.get(3)), new Shape(x.get(0), 1, 1, 1));
    }
}
