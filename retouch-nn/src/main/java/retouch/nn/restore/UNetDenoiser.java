package retouch.nn.restore;

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

/**
 * Multi-scale residual U-Net denoiser in the manner of DRUNet: Zhang, Li, Zuo, Zhang, Van Gool,
 * Timofte, "Plug-and-Play Image Restoration with Deep Denoiser Prior", IEEE TPAMI 2021.
 *
 * <p>As in DRUNet: the noise level enters as a constant map beside the image; every level has
 * {@code blocks} residual blocks (conv–ReLU–conv plus identity, no BatchNorm, no bias); levels are
 * joined by 2×2 stride-2 convolutions going down and by transposed 2×2 stride-2 convolutions going
 * up, written here as a 1×1 convolution to four times the channels and a pixel shuffle (the same
 * operator; the engine has no transposed convolution); skips are additions. Unlike DRUNet, which
 * runs its first level at full resolution with widths 64/128/256/512 (32.6 M parameters; Set12
 * 33.25 / 30.94 / 27.90 dB), the image is first pixel-unshuffled ×2 as in FFDNet, so the first level
 * already works at half resolution: {@code levels} levels of {@code width}·2^i filters cost about
 * what FFDNet costs per pixel, which is what a CPU can afford. The network predicts the correction
 * added to its input (residual learning: trains faster in few steps).
 *
 * <p>Inputs: {@code NDList(x, level)}, x N×C×H×W with H, W multiples of {@link #sizeMultiple(int)},
 * level N×1×1×1 (σ/255).
 */
public final class UNetDenoiser extends AbstractBlock {
    public static final String ARCHITECTURE = "unet-denoiser";

    private final int channels;
    private final int levels;
    private final int[] widths;
    private final Block head;
    private final List<Block> encoders = new ArrayList<>();
    private final List<Block> downs = new ArrayList<>();
    private final Block bottom;
    private final List<Block> ups = new ArrayList<>();
    private final List<Block> decoders = new ArrayList<>();
    private final Block tail;

    /**
     * @param width filters of the first level; level i has width·2^i
     * @param levels resolutions (≥ 2); the coarsest works at 1/2^levels of the image's size
     * @param blocks residual blocks per level (encoder, bottom and decoder each)
     */
    public UNetDenoiser(int channels, int width, int levels, int blocks) {
        if (levels < 2) throw new IllegalArgumentException("the U-Net needs levels >= 2, got " + levels);
        if (blocks < 1) throw new IllegalArgumentException("the U-Net needs blocks >= 1, got " + blocks);
        this.channels = channels;
        this.levels = levels;
        this.widths = new int[levels];
        for (int i = 0; i < levels; i++) widths[i] = width << i;
        this.head = addChildBlock("head", Layers.conv(widths[0], 3, false));
        for (int i = 0; i < levels - 1; i++) {
            encoders.add(addChildBlock("enc" + i, residualBlocks(widths[i], blocks)));
            downs.add(addChildBlock("down" + i, Layers.conv(widths[i + 1], 2, 2, false)));
        }
        this.bottom = addChildBlock("bottom", residualBlocks(widths[levels - 1], blocks));
        for (int i = levels - 2; i >= 0; i--) {
            ups.add(addChildBlock("up" + i, new SequentialBlock().add(Layers.conv(4 * widths[i], 1, false)).add(Layers.pixelShuffleBlock(2))));
            decoders.add(addChildBlock("dec" + i, residualBlocks(widths[i], blocks)));
        }
        this.tail = addChildBlock("tail", Layers.conv(4 * channels, 3, false));
    }

    private static SequentialBlock residualBlocks(int width, int n) {
        SequentialBlock s = new SequentialBlock();
        for (int i = 0; i < n; i++) s.add(new ResidualBlock(width));
        return s;
    }

    /** Height and width of an input must be multiples of this: the half-resolution input halves again {@code levels − 1} times. */
    public static int sizeMultiple(int levels) {
        return 2 << (levels - 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray level = inputs.get(1);
        NDArray down = Layers.pixelUnshuffle(x, 2);
        Shape s = down.getShape();
        NDArray map = level.reshape(s.get(0), 1, 1, 1).broadcast(s.get(0), 1, s.get(2), s.get(3));
        NDArray h = run(head, ps, down.concat(map, 1), training, params);
        List<NDArray> skips = new ArrayList<>();
        for (int i = 0; i < levels - 1; i++) {
            skips.add(h);
            h = run(downs.get(i), ps, run(encoders.get(i), ps, h, training, params), training, params);
        }
        h = run(bottom, ps, h, training, params);
        for (int k = 0; k < levels - 1; k++) {
            NDArray skip = skips.get(levels - 2 - k);
            h = run(decoders.get(k), ps, run(ups.get(k), ps, h, training, params).add(skip), training, params);
        }
        NDArray correction = Layers.pixelShuffle(run(tail, ps, h, training, params), 2);
        return new NDList(x.add(correction));
    }

    private static NDArray run(Block b, ParameterStore ps, NDArray x, boolean training, PairList<String, Object> params) {
        return b.forward(ps, new NDList(x), training, params).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        long n = x.get(0), h = x.get(2) / 2, w = x.get(3) / 2;
        head.initialize(manager, dataType, new Shape(n, 4L * channels + 1, h, w));
        for (int i = 0; i < levels - 1; i++) {
            encoders.get(i).initialize(manager, dataType, new Shape(n, widths[i], h >> i, w >> i));
            downs.get(i).initialize(manager, dataType, new Shape(n, widths[i], h >> i, w >> i));
        }
        int c = levels - 1;
        bottom.initialize(manager, dataType, new Shape(n, widths[c], h >> c, w >> c));
        for (int k = 0; k < levels - 1; k++) {
            int i = levels - 2 - k;
            ups.get(k).initialize(manager, dataType, new Shape(n, widths[i + 1], h >> (i + 1), w >> (i + 1)));
            decoders.get(k).initialize(manager, dataType, new Shape(n, widths[i], h >> i, w >> i));
        }
        tail.initialize(manager, dataType, new Shape(n, widths[0], h, w));
    }

    /** conv3×3 → ReLU → conv3×3, added to the input (DRUNet's ResBlock, no bias, no normalisation). */
    static final class ResidualBlock extends AbstractBlock {
        private final Block body;

        ResidualBlock(int width) {
            this.body = addChildBlock("body", new SequentialBlock()
                    .add(Layers.conv(width, 3, false)).add(Layers.relu()).add(Layers.conv(width, 3, false)));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            return new NDList(x.add(body.forward(ps, inputs, training, params).singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            body.initialize(manager, dataType, inputShapes);
        }
    }
}
