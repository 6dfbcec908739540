package retouch.nn.inpaint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import retouch.nn.blocks.Layers;
import retouch.nn.gan.SpectralNormLayer;
import retouch.nn.store.ModelFactory;

/**
 * PatchGAN discriminator (Isola et al. 2017, pix2pix) with spectral normalisation on every layer
 * (as in SN-PatchGAN, Yu et al. 2019): {@code strides} 4×4 stride-2 convolutions (widths doubling
 * from {@code width}), a 3×3 convolution, then a 3×3 convolution to one score per patch. Its input
 * is the image in [0,1] and, in inpainting mode, the hole mask as a second channel, so it can
 * judge the filled region in context. Returns N×1×h×w raw scores.
 *
 * <p>The last convolution computes {@link Layers#MIN_BACKWARD_SAFE_FILTERS} filters and keeps the
 * first: with fewer output channels libtorch's CPU convolution gets the input gradient wrong, and
 * that gradient is exactly what trains the generator.
 */
public final class PatchDiscriminator extends AbstractBlock {

    public static final String ARCHITECTURE = "patch-discriminator";

    public static final ModelFactory FACTORY = ModelFactory.of(
            meta -> new PatchDiscriminator(meta.inputChannels(), meta.intParam("width", 32), meta.intParam("strides", 3),
                    meta.boolParam("mask", true)),
            meta -> UNet.withMask(meta, 1 << (meta.intParam("strides", 3) + 2)));

    private final boolean mask;
    private final SequentialBlock body;

    public PatchDiscriminator(int channels, int width, int strides, boolean mask) {
        super((byte) 1);
        this.mask = mask;
        SequentialBlock b = new SequentialBlock();
        int w = width;
        for (int s = 0; s < strides; s++) {
            b.add(SpectralNormLayer.conv(w, 4, 2, 1)).add(Layers.leakyRelu(0.2f));
            if (s < strides - 1) w = Math.min(w * 2, 256);
        }
        b.add(SpectralNormLayer.conv(w, 3, 1, 1)).add(Layers.leakyRelu(0.2f));
        b.add(SpectralNormLayer.conv(Layers.MIN_BACKWARD_SAFE_FILTERS, 3, 1, 1));
        this.body = addChildBlock("body", b);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = retouch.nn.Scalars.mul(inputs.get(0), 2f).sub(1f); // differentiated: see Scalars
        if (mask) x = x.concat(inputs.get(1), 1);
        NDArray s = body.forward(ps, new NDList(x), training).singletonOrThrow();
        return new NDList(s.get(new NDIndex(":, 0:1")));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape x = new Shape(in.get(0), in.get(1) + (mask ? 1 : 0), in.get(2), in.get(3));
        Shape s = body.getOutputShapes(new Shape[] {x})[0];
        return new Shape[] {new Shape(s.get(0), 1, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        body.initialize(manager, dataType, new Shape(in.get(0), in.get(1) + (mask ? 1 : 0), in.get(2), in.get(3)));
    }
}
