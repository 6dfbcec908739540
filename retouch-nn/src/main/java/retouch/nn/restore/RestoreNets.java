package retouch.nn.restore;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import retouch.nn.store.ModelFactory;
import retouch.nn.store.ModelMeta;

/**
 * Model-file factories and defaults of the restoration networks. Hyper-parameters in model.json:
 * {@code depth}, {@code width}, and for FFDNet {@code residual} and, when it has a {@link FusionHead},
 * {@code fusion_depth} and {@code fusion_width}.
 */
public final class RestoreNets {
    public static final String DNCNN = "dncnn";
    public static final String FFDNET = "ffdnet";
    public static final String UNET = UNetDenoiser.ARCHITECTURE;
    public static final String EDSR = EdsrNet.ARCHITECTURE;
    /** Architectures that {@code retouch restore --model} accepts. */
    public static final List<String> ARCHITECTURES = List.of(DNCNN, FFDNET, UNET, EDSR);

    private RestoreNets() {}

    public static final ModelFactory DNCNN_FACTORY = meta -> new DnCnn(meta.inputChannels(),
            meta.intParam("depth", 17), meta.intParam("width", 64));

    public static final ModelFactory FFDNET_FACTORY = new ModelFactory() {
        @Override
        public Block build(ModelMeta meta) {
            return new FfdNet(meta.inputChannels(), meta.intParam("depth", 15), meta.intParam("width", 64),
                    meta.boolParam("residual", true), meta.intParam("fusion_depth", 0), meta.intParam("fusion_width", 32));
        }

        @Override
        public Shape[] inputShapes(ModelMeta meta) {
            return new Shape[] {new Shape(1, meta.inputChannels(), 32, 32), new Shape(1, 1, 1, 1)};
        }
    };

    /** {@link UNetDenoiser}: model.json {@code width} (first level), {@code levels}, {@code blocks} (per level). */
    public static final ModelFactory UNET_FACTORY = new ModelFactory() {
        @Override
        public Block build(ModelMeta meta) {
            return new UNetDenoiser(meta.inputChannels(), meta.intParam("width", 64), meta.intParam("levels", 3), meta.intParam("blocks", 2));
        }

        @Override
        public Shape[] inputShapes(ModelMeta meta) {
            int m = UNetDenoiser.sizeMultiple(meta.intParam("levels", 3));
            return new Shape[] {new Shape(1, meta.inputChannels(), 2L * m, 2L * m), new Shape(1, 1, 1, 1)};
        }
    };

    /** {@link EdsrNet}: model.json {@code scale}, {@code width}, {@code blocks}. */
    public static final ModelFactory EDSR_FACTORY = new ModelFactory() {
        @Override
        public Block build(ModelMeta meta) {
            return new EdsrNet(meta.inputChannels(), meta.intParam("scale", 2), meta.intParam("width", 64), meta.intParam("blocks", 8));
        }

        @Override
        public Shape[] inputShapes(ModelMeta meta) {
            return new Shape[] {new Shape(1, meta.inputChannels(), 16, 16)};
        }
    };

    /** Whether the network takes the noise level as a second input. */
    public static boolean takesLevel(String architecture) {
        return FFDNET.equals(architecture) || UNET.equals(architecture);
    }

    /** What input heights and widths must be multiples of (architectures with a fixed multiple). */
    public static int sizeMultiple(String architecture) {
        return FFDNET.equals(architecture) ? 2 : 1;
    }

    /** What input heights and widths of this model must be multiples of. */
    public static int sizeMultiple(ModelMeta meta) {
        return UNET.equals(meta.architecture()) ? UNetDenoiser.sizeMultiple(meta.intParam("levels", 3)) : sizeMultiple(meta.architecture());
    }
}
