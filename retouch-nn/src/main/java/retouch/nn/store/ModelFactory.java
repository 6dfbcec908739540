package retouch.nn.store;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * Builds the network of one architecture from its {@link ModelMeta} (hyper-parameters and
 * channels), so a model file can be turned back into a block. Register implementations in
 * {@link Architectures}.
 */
@FunctionalInterface
public interface ModelFactory {

    /** A new, uninitialised block for {@code meta}'s hyper-parameters. */
    Block build(ModelMeta meta);

    /**
     * Input shapes used to initialise the block before weights are loaded; they fix every
     * parameter's shape. The default is one {@code inputChannels × 32 × 32} image, right for any
     * fully convolutional network; networks with a fixed input size or several inputs override it.
     */
    default Shape[] inputShapes(ModelMeta meta) {
        return new Shape[] {new Shape(1, meta.inputChannels(), 32, 32)};
    }
}
