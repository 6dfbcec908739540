package retouch.nn.store;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.function.Function;

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

    /** A factory for networks whose input shapes are not the default's. */
    static ModelFactory of(Function<ModelMeta, Block> build, Function<ModelMeta, Shape[]> inputShapes) {
        return new ModelFactory() {
            @Override
            public Block build(ModelMeta meta) {
                return build.apply(meta);
            }

            @Override
            public Shape[] inputShapes(ModelMeta meta) {
                return inputShapes.apply(meta);
            }
        };
    }

    /** One {@code side × side} image with the model's input channels. */
    static Shape image(ModelMeta meta, long side) {
        return new Shape(1, meta.inputChannels(), side, side);
    }

    /** The inputs of a network that reads a small image ({@code size}, default 28) and, when conditional, its label. */
    static Shape[] imageAndLabel(ModelMeta meta) {
        return withLabel(meta, image(meta, meta.intParam("size", 28)));
    }

    /** {@code first}, followed by the one-hot class label when the model is conditional ({@code classes} &gt; 0). */
    static Shape[] withLabel(ModelMeta meta, Shape first) {
        int classes = meta.intParam("classes", 0);
        return classes > 0 ? new Shape[] {first, new Shape(1, classes)} : new Shape[] {first};
    }
}
