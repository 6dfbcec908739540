package retouch.nn.inpaint;

import ai.djl.nn.Block;
import retouch.RetouchException;
import retouch.nn.store.GrownParameters;
import retouch.nn.store.ModelMeta;

/**
 * An inpainting {@link UNet} with more {@link BottomBlock}s started from a trained one of the same
 * shape otherwise: every trained parameter is copied, and the last convolution of each new bottom
 * block starts at zero, so the grown network fills holes exactly as the trained one did and
 * training spends its steps on what the new blocks add.
 */
public final class UNetGrowth {
    private UNetGrowth() {}

    /** Whether {@code to} is {@code from} with more bottom blocks (of the kind {@code from} has, if any). */
    public static boolean applies(ModelMeta from, ModelMeta to) {
        int had = from.intParam("bottom_blocks", 0), has = to.intParam("bottom_blocks", 0);
        return UNet.ARCHITECTURE.equals(from.architecture()) && UNet.ARCHITECTURE.equals(to.architecture())
                && from.inputChannels() == to.inputChannels() && from.boolParam("mask", true) == to.boolParam("mask", true)
                && from.intParam("levels", 3) == to.intParam("levels", 3) && from.intParam("width", 32) == to.intParam("width", 32)
                && had < has && (had == 0 || from.stringParam("bottom_kind", "ffc").equals(to.stringParam("bottom_kind", "ffc")));
    }

    /**
     * Sets the freshly initialised {@code grown} network from {@code trained}.
     *
     * @throws RetouchException if a parameter of {@code grown} is neither in {@code trained} nor part of a new bottom block
     */
    public static void copyInto(Block trained, Block grown) {
        GrownParameters.copy(trained, grown, UNetGrowth::isBottomBlock, UNetGrowth::isAddedOutput, "the grown U-Net");
    }

    static boolean isBottomBlock(String parameterName) {
        for (BottomBlock.Kind k : BottomBlock.Kind.values()) if (parameterName.contains("bottom" + k.id())) return true;
        return false;
    }

    /** The convolution whose output a bottom block adds to its input. */
    static boolean isAddedOutput(String parameterName) {
        return parameterName.contains(BottomBlock.OUT_NAME + "_");
    }
}
