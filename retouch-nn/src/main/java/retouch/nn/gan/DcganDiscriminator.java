package retouch.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import retouch.nn.blocks.Layers;
import retouch.nn.store.ModelFactory;
import retouch.nn.store.ModelMeta;

/**
 * DCGAN-style discriminator with spectral normalisation on every layer: per stage a 3×3
 * convolution (stride 1) and a 4×4 convolution with stride 2, LeakyReLU 0.2, widths doubling from
 * {@code width}; then a linear layer to one score. Conditional ({@code classes > 0}): a projection
 * discriminator (Miyato &amp; Koyama 2018), score = ψ(h) + ⟨embed(y), h⟩ on the flattened
 * features h, which ties the label to the image far better than concatenating it.
 *
 * <p>Inputs {@code (x)} or {@code (x, onehot)}, x in [-1, 1]; output N×1 raw scores.
 */
public final class DcganDiscriminator extends AbstractBlock {

    /** The architecture name in {@code model.json}. */
    public static final String ARCHITECTURE = "dcgan-discriminator";

    /** Rebuilds the block from a model file's meta. */
    public static final ModelFactory FACTORY = ModelFactory.of(DcganDiscriminator::of, ModelFactory::imageAndLabel);

    private final int classes;
    private final SequentialBlock features;
    private final Block score;
    private final Block embed;
    private final Block aux;

    public DcganDiscriminator(int channels, int size, int width, int classes) {
        this(channels, size, width, classes, false);
    }

    /**
     * As above; {@code auxClassifier} adds a class-logits head on the same features (AC-GAN, Odena
     * et al. 2017), returned as a second output, which the training uses to make G's samples
     * unmistakably of their class.
     */
    public DcganDiscriminator(int channels, int size, int width, int classes, boolean auxClassifier) {
        super((byte) 1);
        this.classes = classes;
        int stages = size == 28 ? 2 : Integer.numberOfTrailingZeros(size / 4);
        SequentialBlock f = new SequentialBlock();
        int w = width;
        for (int s = 0; s < stages; s++) {
            f.add(SpectralNormLayer.conv(w, 3, 1, 1)).add(Layers.leakyRelu(0.2f));
            w = Math.min(512, width << (s + 1));
            f.add(SpectralNormLayer.conv(w, 4, 2, 1)).add(Layers.leakyRelu(0.2f));
        }
        f.add(Blocks.batchFlattenBlock());
        this.features = addChildBlock("features", f);
        this.score = addChildBlock("score", SpectralNormLayer.linear(1, true));
        this.embed = classes > 0 ? addChildBlock("embed", SpectralNormLayer.linear(classes, false)) : null;
        this.aux = classes > 0 && auxClassifier ? addChildBlock("aux", SpectralNormLayer.linear(classes, true)) : null;
        if (channels < 1) throw new IllegalArgumentException("channels must be positive");
    }

    /** The discriminator described by {@code meta}. */
    public static DcganDiscriminator of(ModelMeta meta) {
        return new DcganDiscriminator(meta.inputChannels(), meta.intParam("size", 28), meta.intParam("width", 32),
                meta.intParam("classes", 0), meta.boolParam("aux_classifier", false));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = features.forward(ps, new NDList(inputs.get(0)), training).singletonOrThrow();
        NDArray out = score.forward(ps, new NDList(h), training).singletonOrThrow();
        if (classes > 0) {
            out = out.add(projection(ps, h, inputs.get(1), training));
        }
        if (aux != null) {
            return new NDList(out, aux.forward(ps, new NDList(h), training).singletonOrThrow());
        }
        return new NDList(out);
    }

    /** ⟨embed(y), h⟩ per row, N×1; the embedding matrix is the (features × classes) weight of {@code embed}. */
    private NDArray projection(ParameterStore ps, NDArray h, NDArray onehot, boolean training) {
        NDArray e = embedMatrix(ps, h, training);  // classes × F
        return onehot.matMul(e).mul(h).sum(new int[] {1}, true);
    }

    private NDArray embedMatrix(ParameterStore ps, NDArray h, boolean training) {
        return ((SpectralNormLayer) embed).normalizedWeight(ps, h.getDevice(), training, h.getManager());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        features.initialize(manager, dataType, x);
        Shape flat = features.getOutputShapes(new Shape[] {x})[0];
        score.initialize(manager, dataType, flat);
        if (embed != null) {
            // A classes × F matrix: initialise as a "linear" layer with `classes` outputs on F inputs.
            embed.initialize(manager, dataType, flat);
        }
        if (aux != null) {
            aux.initialize(manager, dataType, flat);
        }
    }
}
