package retouch.nn.inpaint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import retouch.nn.blocks.Layers;
import retouch.nn.store.ModelFactory;
import retouch.nn.store.ModelMeta;

/**
 * U-Net generator for image-to-image restoration with a discriminator (Ronneberger et al. 2015;
 * the encoder–decoder with skips of pix2pix and of most inpainting networks).
 *
 * <p>Levels: at full resolution two 3×3 convolutions; then per level a stride-2 3×3 convolution
 * and a 3×3 convolution, widths doubling from {@code width} (at most 256). At the bottom two
 * dilated 3×3 convolutions (dilation 2 and 4) widen the receptive field, which inpainting needs to
 * see across a hole. Decoder: nearest ×2 upsampling, concatenation with the encoder's features of
 * that level, two 3×3 convolutions (resize-convolution: this engine has no transposed
 * convolution). Optional residual blocks after the dilated ones ({@link BottomBlock}: Fourier
 * convolutions for a view across the whole tile, model.json {@code bottom_blocks}, {@code bottom_kind}).
 * LeakyReLU 0.2 throughout, no normalisation (so the result does not depend on the
 * batch or on the size of the image at inference).
 *
 * <p>Two modes, chosen by {@code mask}: <b>inpainting</b> takes {@code (image, mask)} with
 * mask 1 = hole; the block zeroes the hole after centring (so holes read as mid-gray, and their
 * content cannot leak in), appends the mask as a channel and predicts the whole image. The
 * caller keeps the known pixels (see {@link Inpainter}). <b>Restoration</b> (e.g. GAN
 * deblurring) takes {@code (image)} and predicts a residual added to it.
 * Images are in [0,1]; the input size must be a multiple of 2^levels (inference pads).
 */
public final class UNet extends AbstractBlock {

    /** The architecture name in {@code model.json}. */
    public static final String ARCHITECTURE = "unet";

    /** Rebuilds the block from a model file's meta. */
    public static final ModelFactory FACTORY = ModelFactory.of(UNet::of, meta -> withMask(meta, 2 << meta.intParam("levels", 3)));

    /** A {@code side × side} image, and its mask when the model inpaints ({@code mask}, default true). */
    static Shape[] withMask(ModelMeta meta, long side) {
        Shape x = ModelFactory.image(meta, side);
        return meta.boolParam("mask", true) ? new Shape[] {x, new Shape(1, 1, side, side)} : new Shape[] {x};
    }

    private final int channels;
    private final int levels;
    private final boolean mask;
    private final List<Block> down = new ArrayList<>();
    private final Block bottom;
    private final List<Block> up = new ArrayList<>();
    private final Block head;
    /** Residual blocks after {@link #bottom} (none in models made before they existed). */
    private final List<BottomBlock> bottomBlocks = new ArrayList<>();

    /**
     * @param channels image channels (1 gray, 3 RGB)
     * @param levels   number of ×2 downsamplings
     * @param width    channels at full resolution
     * @param mask     inpainting mode (a mask input) instead of residual restoration
     */
    public UNet(int channels, int levels, int width, boolean mask) {
        this(channels, levels, width, mask, 0, BottomBlock.Kind.FFC);
    }

    /**
     * @param bottomBlocks residual blocks at the bottom after the dilated convolutions
     * @param bottomKind   their kind ({@link BottomBlock}: Fourier or dilated convolutions)
     */
    public UNet(int channels, int levels, int width, boolean mask, int bottomBlocks, BottomBlock.Kind bottomKind) {
        super((byte) 1);
        if (bottomBlocks < 0 || bottomBlocks > 16) throw new IllegalArgumentException("bottom blocks must be 0 to 16, got " + bottomBlocks);
        if (levels < 1 || levels > 6) throw new IllegalArgumentException("U-Net levels must be 1 to 6, got " + levels);
        this.channels = channels;
        this.levels = levels;
        this.mask = mask;
        for (int l = 0; l <= levels; l++) {
            int w = widthAt(width, l);
            SequentialBlock b = new SequentialBlock();
            b.add(l == 0 ? Layers.conv(w, 3, true) : Layers.conv(w, 3, 2, true)).add(Layers.leakyRelu(0.2f));
            b.add(Layers.conv(w, 3, true)).add(Layers.leakyRelu(0.2f));
            down.add(addChildBlock("down" + l, b));
        }
        int wb = widthAt(width, levels);
        this.bottom = addChildBlock("bottom", new SequentialBlock()
                .add(Layers.dilatedConv(wb, 2)).add(Layers.leakyRelu(0.2f))
                .add(Layers.dilatedConv(wb, 4)).add(Layers.leakyRelu(0.2f)));
        for (int l = levels - 1; l >= 0; l--) {
            int w = widthAt(width, l);
            up.add(addChildBlock("up" + l, new SequentialBlock()
                    .add(Layers.conv(w, 3, true)).add(Layers.leakyRelu(0.2f))
                    .add(Layers.conv(w, 3, true)).add(Layers.leakyRelu(0.2f))));
        }
        this.head = addChildBlock("head", Layers.conv(channels, 3, true));
        // Registered last, so that the parameter names of the blocks above stay those of models without them.
        for (int i = 0; i < bottomBlocks; i++) {
            addBottomBlock(i, bottomKind, wb);
        }
    }

    private void addBottomBlock(int i, BottomBlock.Kind kind, int filters) {
        bottomBlocks.add(addChildBlock("bottom" + kind.id() + i, new BottomBlock(kind, filters)));
    }

    private static int widthAt(int width, int level) {
        return Math.min(width << level, 256);
    }


    /** The network described by {@code meta}. */
    public static UNet of(ModelMeta meta) {
        return new UNet(meta.inputChannels(), meta.intParam("levels", 3), meta.intParam("width", 32), meta.boolParam("mask", true),
                meta.intParam("bottom_blocks", 0), BottomBlock.Kind.of(meta.stringParam("bottom_kind", "ffc")));
    }

    public int levels() { return levels; }

    /** The residual blocks at the bottom. */
    public int bottomBlocks() { return bottomBlocks.size(); }

    public boolean takesMask() { return mask; }

    public int channels() { return channels; }

    /** Sizes must be multiples of this. */
    public int multiple() { return 1 << levels; }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray image = inputs.get(0);
        NDArray h = image.sub(0.5f);
        if (mask) {
            NDArray m = inputs.get(1);
            h = h.mul(m.neg().add(1f)).concat(m, 1);
        }
        List<NDArray> skips = new ArrayList<>();
        for (Block b : down) {
            h = b.forward(ps, new NDList(h), training).singletonOrThrow();
            skips.add(h);
        }
        h = bottom.forward(ps, new NDList(h), training).singletonOrThrow();
        for (BottomBlock b : bottomBlocks) h = b.forward(ps, new NDList(h), training).singletonOrThrow();
        for (int i = 0; i < up.size(); i++) {
            NDArray skip = skips.get(levels - 1 - i);
            h = Layers.convSafeLayout(Layers.upsampleNearest(h, 2).concat(skip, 1));
            h = up.get(i).forward(ps, new NDList(h), training).singletonOrThrow();
        }
        NDArray out = head.forward(ps, new NDList(h), training).singletonOrThrow();
        // A linear output: a sigmoid here saturated in GAN training (holes stuck at white, no gradient
        // left for L1 to pull them back). The discriminator sees the output clipped to [0,1] instead.
        return new NDList(mask ? out.add(0.5f) : image.add(out));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), channels, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        long n = s.get(0), hgt = s.get(2), wid = s.get(3);
        Shape cur = new Shape(n, channels + (mask ? 1 : 0), hgt, wid);
        List<Shape> skipShapes = new ArrayList<>();
        for (Block b : down) {
            b.initialize(manager, dataType, cur);
            cur = b.getOutputShapes(new Shape[] {cur})[0];
            skipShapes.add(cur);
        }
        bottom.initialize(manager, dataType, cur);
        cur = bottom.getOutputShapes(new Shape[] {cur})[0];
        for (BottomBlock b : bottomBlocks) b.initialize(manager, dataType, cur);
        for (int i = 0; i < up.size(); i++) {
            Shape skip = skipShapes.get(levels - 1 - i);
            Shape in = new Shape(n, cur.get(1) + skip.get(1), skip.get(2), skip.get(3));
            up.get(i).initialize(manager, dataType, in);
            cur = up.get(i).getOutputShapes(new Shape[] {in})[0];
        }
        head.initialize(manager, dataType, cur);
    }
}
