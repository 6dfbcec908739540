package retouch.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import retouch.nn.store.ModelMeta;

/**
 * A two-layer convolutional network (conv 3×3 → ReLU → conv 3×3, "same" padding): the smallest
 * real image-to-image model, used to test the model store and the trainer end to end.
 *
 * <p>Hyper-parameters: {@code hidden} (feature channels, default 8). Channels come from
 * {@link ModelMeta#inputChannels()} and {@link ModelMeta#outputChannels()}.
 */
public final class TinyCnn {

    /** The architecture name in {@code model.json}. */
    public static final String ARCHITECTURE = "tiny-cnn";

    private TinyCnn() {}

    /** Builds the (uninitialised) network for {@code meta}. */
    public static Block build(ModelMeta meta) {
        int hidden = meta.intParam("hidden", 8);
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(hidden).build())
                .add(Activation.reluBlock())
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(meta.outputChannels()).build());
    }

    /** Meta for a tiny-cnn with {@code hidden} features mapping {@code channels} to {@code channels}. */
    public static ModelMeta meta(int channels, int hidden) {
        return ModelMeta.builder(ARCHITECTURE).channels(channels, channels).hyper("hidden", hidden).tasks("denoise").build();
    }
}
