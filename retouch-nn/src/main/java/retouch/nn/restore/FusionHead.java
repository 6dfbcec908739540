package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import retouch.nn.blocks.Layers;

/**
 * The last stage of a refined denoiser: a small full-resolution CNN that merges the network's
 * output with the output of BM3D's Wiener stage. The two disagree where each is weak (the network
 * misses repeated texture it cannot see, the Wiener stage smears what its block matching gets
 * wrong), and a fixed blend of them gains little (+0.01–0.03 dB); this head decides pixel by pixel.
 *
 * <p>Input {@code NDList(planes, level)}: planes N×3×H×W = noisy, network output, Wiener output
 * (one image plane each), level N×1×1×1 = σ/255, appended as a constant map. Output: the Wiener
 * output plus the head's correction. {@code depth} conv+ReLU layers of {@code width} filters, then
 * a conv to one plane whose weights start at zero, so an untrained head returns the Wiener output
 * exactly. No BatchNorm: the head trains on a frozen network, from few patches.
 */
public final class FusionHead extends AbstractBlock {
    /** Planes of the input stack: noisy, network, Wiener. */
    public static final int PLANES = 3;
    private final SequentialBlock body;

    public FusionHead(int depth, int width) {
        if (depth < 2 || width < 1) throw new IllegalArgumentException("fusion head needs depth >= 2 and width >= 1, got " + depth + "/" + width);
        SequentialBlock b = new SequentialBlock();
        for (int i = 0; i < depth - 1; i++) {
            // He initialisation: without BatchNorm, PyTorch's default conv init shrinks the signal
            // sixfold per ReLU layer, and a zero-started output layer then barely learns
            SequentialBlock layer = Layers.convRelu(width);
            layer.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2f), Parameter.Type.WEIGHT);
            b.add(layer);
        }
        // the output layer starts at zero (biases start at zero anyway): the head begins as the Wiener output itself
        Block out = Layers.conv(1, 3, true);
        out.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
        b.add(out);
        this.body = addChildBlock("body", b);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray planes = inputs.get(0);
        Shape s = planes.getShape();
        NDArray map = inputs.get(1).reshape(s.get(0), 1, 1, 1).broadcast(s.get(0), 1, s.get(2), s.get(3));
        NDArray correction = body.forward(ps, new NDList(planes.concat(map, 1)), training, params).singletonOrThrow();
        return new NDList(planes.get(":, 2:3").add(correction));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), 1, x.get(2), x.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        body.initialize(manager, dataType, new Shape(x.get(0), PLANES + 1, x.get(2), x.get(3)));
    }
}
