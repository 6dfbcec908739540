package retouch.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import retouch.nn.blocks.ImageGrid;
import retouch.nn.blocks.Layers;
import retouch.nn.store.ModelFactory;
import retouch.nn.store.ModelMeta;

/**
 * DCGAN-style generator (Radford et al. 2016) with resize-convolutions instead of transposed
 * convolutions (not available in DJL's PyTorch engine; they also cause checkerboard artefacts,
 * Odena et al. 2016): linear → reshape to a small grid → BatchNorm → ReLU → per stage nearest ×2
 * upsampling, 3×3 convolution, BatchNorm, ReLU → 3×3 convolution → tanh.
 *
 * <p>Hyper-parameters: {@code size} (28: 7×7 grid and two stages; 32/64: 4×4 grid and three/four
 * stages), {@code latent} (z dimensions), {@code width} (channels of the last stage; each coarser
 * stage has twice as many, capped at 512), {@code classes} (0 = unconditional; otherwise the
 * one-hot label is concatenated to z, as in conditional GANs, Mirza &amp; Osindero 2014).
 *
 * <p>Inputs {@code (z)} or {@code (z, onehot)}; output N×C×size×size in [-1, 1].
 */
public final class DcganGenerator extends AbstractBlock {

    /** The architecture name in {@code model.json}. */
    public static final String ARCHITECTURE = "dcgan-generator";

    /** Rebuilds the block from a model file's meta. */
    public static final ModelFactory FACTORY = ModelFactory.of(DcganGenerator::of,
            meta -> ModelFactory.withLabel(meta, new Shape(1, meta.intParam("latent", 64))));

    private final int channels;
    private final ImageGrid grid;
    private final int latent;
    private final int classes;
    private final int topWidth;
    private final Block head;
    private final SequentialBlock body;

    public DcganGenerator(int channels, int size, int latent, int width, int classes) {
        super((byte) 1);
        this.grid = ImageGrid.of(size, "GAN");
        this.channels = channels;
        this.latent = latent;
        this.classes = classes;
        int stages = grid.stages();
        this.topWidth = Math.min(512, width << stages);
        // PyTorch's Linear init, U(±1/√fan_in) for weight and bias, not DJL's N(0, 2/fan_in): the head
        // holds most of G's weights and BatchNorm follows it, so with Adam a 2.5× larger init made it
        // learn 2.5× slower per step than the PyTorch DCGAN (bench/peers/dcgan.py) it is measured against.
        Linear linear = Layers.withTorchInit(Linear.builder().setUnits(grid.units(topWidth)).build());
        linear.setInitializer(new UniformInitializer((float) (1 / Math.sqrt(latent + classes))), Parameter.Type.BIAS);
        this.head = addChildBlock("head", new SequentialBlock().add(linear));
        SequentialBlock b = new SequentialBlock().add(Layers.batchNorm()).add(Layers.relu());
        for (int s = stages - 1; s >= 0; s--) {
            int w = Math.min(512, width << s);
            b.add(Layers.upsampleConv(w, 2)).add(Layers.batchNorm()).add(Layers.relu());
        }
        b.add(Layers.conv(channels, 3, true)).add(Activation.tanhBlock());
        this.body = addChildBlock("body", b);
    }

    /** The generator described by {@code meta}. */
    public static DcganGenerator of(ModelMeta meta) {
        return new DcganGenerator(meta.outputChannels(), meta.intParam("size", 28), meta.intParam("latent", 64),
                meta.intParam("width", 32), meta.intParam("classes", 0));
    }

    public int latent() { return latent; }

    public int classes() { return classes; }

    public int channels() { return channels; }

    public int size() { return grid.size(); }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.get(0);
        if (classes > 0) z = z.concat(inputs.get(1), 1);
        NDArray h = head.forward(ps, new NDList(z), training).singletonOrThrow();
        h = h.reshape(grid.shape(h.getShape().get(0), topWidth));
        return body.forward(ps, new NDList(h), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), channels, grid.size(), grid.size())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        head.initialize(manager, dataType, new Shape(n, (long) latent + classes));
        body.initialize(manager, dataType, grid.shape(n, topWidth));
    }
}
