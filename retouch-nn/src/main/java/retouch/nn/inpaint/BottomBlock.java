package retouch.nn.inpaint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Locale;
import retouch.RetouchException;
import retouch.nn.blocks.Layers;
import retouch.nn.blocks.RealDft;

/**
 * A residual block for the bottom of the inpainting {@link UNet}, where a hole's far side has to
 * inform its middle. Two kinds, chosen by {@code model.json}'s {@code bottom_kind}:
 *
 * <ul>
 *   <li>{@code ffc}: a fast Fourier convolution in the manner of LaMa (Suvorov et al. 2022). Half the
 *       output comes from a local 3×3 convolution; the other half passes through a 1×1 convolution
 *       in the image's 2-D spectrum, so that every position sees the whole tile at once. No
 *       BatchNorm: results must not depend on the batch or the tile size.
 *   <li>{@code dilated}: two 3×3 convolutions dilated 2 and 8, a wider but still local view.
 * </ul>
 *
 * Both end in a convolution whose output is added to the input; {@link #OUT_NAME} marks it, so a
 * network grown from one without these blocks can start them at zero ({@link UNetGrowth}).
 */
public final class BottomBlock extends AbstractBlock {

    /** The kinds {@code bottom_kind} accepts. */
    public enum Kind {
        FFC, DILATED;

        /** The kind named in model.json or on the command line. */
        public static Kind of(String name) {
            for (Kind k : values()) if (k.id().equals(name)) return k;
            throw new RetouchException("unknown bottom block kind '" + name + "'; use ffc or dilated");
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Name of the last convolution, whose output the block adds (parameter names contain it). */
    static final String OUT_NAME = "out";

    private final Kind kind;
    private final int channels;
    private final Block local;
    private final Block globalIn;
    private final Block spectral;
    private final Block out;

    public BottomBlock(Kind kind, int channels) {
        super((byte) 1);
        if (channels % 2 != 0) throw new IllegalArgumentException("bottom block channels must be even, got " + channels);
        this.kind = kind;
        this.channels = channels;
        if (kind == Kind.FFC) {
            int half = channels / 2;
            local = addChildBlock("local", Layers.conv(half, 3, true));
            globalIn = addChildBlock("global", Layers.conv(half, 1, true));
            // real and imaginary parts in, real and imaginary parts out
            spectral = addChildBlock("spectral", Layers.conv(channels, 1, true));
        } else {
            local = addChildBlock("local", Layers.dilatedConv(channels, 2));
            globalIn = null;
            spectral = null;
        }
        out = addChildBlock(OUT_NAME, kind == Kind.FFC ? Layers.conv(channels, 1, true) : Layers.dilatedConv(channels, 8));
    }


    public Kind kind() {
        return kind;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray h;
        if (kind == Kind.FFC) {
            NDArray l = leaky(local.forward(ps, new NDList(x), training).singletonOrThrow());
            NDArray g = leaky(globalIn.forward(ps, new NDList(x), training).singletonOrThrow());
            h = l.concat(g.add(fourierUnit(ps, g, training)), 1);
        } else {
            h = leaky(local.forward(ps, new NDList(x), training).singletonOrThrow());
        }
        return new NDList(x.add(out.forward(ps, new NDList(h), training).singletonOrThrow()));
    }

    /** LaMa's Fourier unit: the spectrum's real and imaginary parts as channels, a 1×1 convolution and LeakyReLU there, and back. */
    private NDArray fourierUnit(ParameterStore ps, NDArray g, boolean training) {
        int w = Math.toIntExact(g.getShape().get(3));
        long c = g.getShape().get(1);
        RealDft.Spectrum s = RealDft.forward(g);
        NDArray f = leaky(spectral.forward(ps, new NDList(s.real().concat(s.imag(), 1)), training).singletonOrThrow());
        NDArray re = f.get(new ai.djl.ndarray.index.NDIndex(":, 0:{}", c));
        NDArray im = f.get(new ai.djl.ndarray.index.NDIndex(":, {}:", c));
        return RealDft.inverse(re, im, w);
    }

    private static NDArray leaky(NDArray x) {
        return ai.djl.nn.Activation.leakyRelu(x, 0.2f);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        long n = s.get(0), hgt = s.get(2), wid = s.get(3);
        local.initialize(manager, dataType, s);
        if (kind == Kind.FFC) {
            globalIn.initialize(manager, dataType, s);
            spectral.initialize(manager, dataType, new Shape(n, channels, hgt, wid / 2 + 1));
        }
        out.initialize(manager, dataType, new Shape(n, channels, hgt, wid));
    }
}
