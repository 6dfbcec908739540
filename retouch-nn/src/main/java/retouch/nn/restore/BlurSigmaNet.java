package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import retouch.nn.blocks.Layers;
import retouch.nn.store.ModelFactory;
import retouch.nn.store.ModelMeta;

/**
 * Estimates the σ of a Gaussian blur from the blurred photo alone. Blind deblurring fits the blur
 * to a network's sharpened output ({@link retouch.degrade.BlurEstimator}); that fit is off by about
 * 0.13 px with an error that depends on the photo's content, and plug-and-play deconvolution loses
 * 0.6–1.1 dB when told σ 1.45 or 1.75 instead of 1.6. This network is trained for the σ itself.
 *
 * <p>Layers: conv 3×3 (16) at full resolution, then {@code stages} (default 2) stages of a stride-2
 * conv and a conv ({@code width} filters, then 2·{@code width} from the second stage on), ReLU
 * after each, and a 1×1 conv to two maps at 1/2^stages of the resolution: a σ estimate per
 * location and its log-weight. The photo's σ is the
 * softmax-weighted mean of the estimates over every location ({@link #pool}); flat regions,
 * which say nothing about the blur, learn to weigh little. Because the pooling is over locations,
 * one photo may be cut into tiles whose maps are pooled together. The input is a luma plane in
 * [0, 1]; its mean is removed first, so brightness does not enter.
 */
public final class BlurSigmaNet extends AbstractBlock {

    /** The architecture name in {@code model.json}. */
    public static final String ARCHITECTURE = "blur-sigma-net";

    /** Rebuilds the network from its meta (hyper-parameter {@code width}). */
    public static final ModelFactory FACTORY = ModelFactory.of(meta -> new BlurSigmaNet(meta.intParam("width", 32), stages(meta)),
            meta -> new Shape[] {ModelFactory.image(meta, 64)});

    private final SequentialBlock body;
    private final int stages;

    public BlurSigmaNet(int width, int stages) {
        if (width < 1 || stages < 1 || stages > 4) throw new IllegalArgumentException("width must be at least 1 and stages 1-4, got " + width + "/" + stages);
        this.stages = stages;
        SequentialBlock b = new SequentialBlock().add(Layers.conv(16, 3, true)).add(Layers.relu());
        for (int k = 0; k < stages; k++) {
            int filters = k == 0 ? width : 2 * width;
            b.add(Layers.conv(filters, 3, 2, true)).add(Layers.relu()).add(Layers.conv(filters, 3, true)).add(Layers.relu());
        }
        b.add(Layers.conv(2, 1, true));
        this.body = addChildBlock("body", b);
    }

    /** A meta builder for a network of this shape (architecture, one channel in, the task). */
    public static ModelMeta.Builder meta(int width, int stages) {
        return ModelMeta.builder(ARCHITECTURE).channels(1, 1).hyper("width", width).hyper("stages", stages).valueRange(0, 1).tasks("blur-estimate");
    }

    static int stages(ModelMeta meta) {
        return meta.intParam("stages", 2);
    }

    /** Input sides of a network of {@code meta} are multiples of this (one halving per stage). */
    public static int sizeMultiple(ModelMeta meta) {
        return 1 << stages(meta);
    }

    /** Input N×1×H×W luma; output N×2×H/2^s×W/2^s (s stages): σ per location (pixels), then its log-weight. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray centred = x.sub(x.mean(new int[] {3}, true).mean(new int[] {2}, true)); // the engine averages one axis at a time
        return body.forward(ps, new NDList(centred), training, params);
    }

    /**
     * The σ of each sample: maps N×2×h×w (from one batch, or several tiles of one photo concatenated
     * along the last axis) to N σ values, the softmax(log-weight)-weighted mean of the σ map.
     */
    public static NDArray pool(NDArray maps) {
        long n = maps.getShape().get(0);
        NDArray sigma = maps.get(":, 0").reshape(n, -1);
        NDArray weight = maps.get(":, 1").reshape(n, -1).softmax(1);
        return sigma.mul(weight).sum(new int[] {1});
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        long m = 1L << stages;
        return new Shape[] {new Shape(x.get(0), 2, (x.get(2) + m - 1) / m, (x.get(3) + m - 1) / m)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
    }
}
