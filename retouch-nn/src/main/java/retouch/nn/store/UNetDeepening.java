package retouch.nn.store;

import ai.djl.nn.Block;
import retouch.RetouchException;

/**
 * A deeper denoising U-Net ({@code unet-denoiser}) started from a trained one with fewer residual
 * blocks per level and otherwise the same shape: the trained blocks are copied, and each new block
 * (appended after them at every level) starts with its second convolution at zero, so that it adds
 * nothing and the deeper network computes exactly what the trained one did. Its first convolution
 * keeps its random start, so the new blocks get gradients from the first step. Training then spends
 * its steps on the added capacity instead of relearning what the smaller network knew.
 */
public final class UNetDeepening {
    private UNetDeepening() {}

    private static final String ARCHITECTURE = "unet-denoiser";

    /** Whether {@link #copyInto} applies: denoising U-Nets, same channels, width and levels, more blocks in {@code to}. */
    public static boolean applies(ModelMeta from, ModelMeta to) {
        return ARCHITECTURE.equals(from.architecture()) && ARCHITECTURE.equals(to.architecture())
                && from.inputChannels() == to.inputChannels() && from.outputChannels() == to.outputChannels()
                && from.intParam("width", -1) == to.intParam("width", -1)
                && from.intParam("levels", -1) == to.intParam("levels", -1)
                && from.intParam("blocks", -1) < to.intParam("blocks", -1);
    }

    /**
     * Sets the freshly initialised deeper U-Net {@code deeper} from {@code trained}: every parameter
     * the trained network has is copied; the last convolution of each new residual block is zeroed.
     *
     * @throws RetouchException if a parameter of the deeper network is neither in the trained one nor part of a new block
     */
    public static void copyInto(Block trained, Block deeper) {
        GrownParameters.copy(trained, deeper, name -> name.contains("ResidualBlock"), UNetDeepening::isLastConvOfBlock, "the deeper U-Net");
    }

    /** The second convolution of a residual block's body (conv, ReLU, conv: child 03), whose output the block adds. */
    static boolean isLastConvOfBlock(String parameterName) {
        return parameterName.contains("ResidualBlock_01body_03");
    }
}
