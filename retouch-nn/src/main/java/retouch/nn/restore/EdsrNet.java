package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
 * Super-resolution network that works at low resolution, after EDSR's baseline: Lim, Son, Kim,
 * Nah, Lee, "Enhanced Deep Residual Networks for Single Image Super-Resolution", CVPRW 2017
 * (EDSR-baseline, 16 blocks of width 64, Set5 Y ×2 / ×4: 37.99 / 32.09 dB after 300k steps on DIV2K).
 *
 * <p>A 3×3 head, {@code blocks} residual blocks (conv–ReLU–conv plus identity, no BatchNorm), a 3×3
 * convolution closing the body with a skip from the head, and an ESPCN tail (Shi et al. 2016): one
 * 3×3 convolution to C·r² channels and a pixel shuffle to r× the size. Every convolution but the
 * tail runs on the low-resolution grid, so a pass costs about 1/r² of a network of the same depth
 * on the bicubic upscale (VDSR-style, as the retired {@code sr2-gray} and {@code sr4-gray}). The output is the correction to the
 * bicubic upscale, which the caller adds ({@link SuperResolver}): as in VDSR, a residual target
 * trains much faster in few steps, and the upscale is made once for the whole image, so tiles
 * need no overlap for it.
 *
 * <p>Input: {@code NDList(x)}, x N×C×h×w (any h, w). Output N×C×rh×rw.
 */
public final class EdsrNet extends AbstractBlock {
    public static final String ARCHITECTURE = "edsr";

    private final int channels;
    private final int scale;
    private final int width;
    private final int tailFilters;
    private final Block head;
    private final Block body;
    private final Block tail;

    /**
     * @param channels image channels (1 or 3)
     * @param scale the upscaling factor r (2, 3 or 4)
     * @param width filters of every low-resolution layer
     * @param blocks residual blocks
     */
    public EdsrNet(int channels, int scale, int width, int blocks) {
        if (scale < 2 || scale > 4) throw new IllegalArgumentException("scale must be 2, 3 or 4, got " + scale);
        if (blocks < 1 || width < 16) throw new IllegalArgumentException("EDSR needs blocks >= 1 and width >= 16");
        this.channels = channels;
        this.scale = scale;
        this.width = width;
        this.head = addChildBlock("head", Layers.conv(width, 3, true));
        SequentialBlock b = new SequentialBlock();
        for (int i = 0; i < blocks; i++) b.add(new UNetDenoiser.ResidualBlock(width));
        b.add(Layers.conv(width, 3, true));
        this.body = addChildBlock("body", b);
        // thin or odd tails (C·r² = 4, 9, 12, 27) are computed with a multiple of 16 filters, whose input
        // gradient libtorch computes right (Layers#nchwConvSafe); the extra channels are dropped
        int wanted = channels * scale * scale;
        this.tailFilters = (wanted + 15) / 16 * 16;
        this.tail = addChildBlock("tail", Layers.conv(tailFilters, 3, true));
    }

    public int scale() {
        return scale;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray h = run(head, ps, x, training, params);
        h = h.add(run(body, ps, h, training, params));
        NDArray t = run(tail, ps, h, training, params);
        int wanted = channels * scale * scale;
        if (wanted != tailFilters) t = t.get(new NDIndex(":, 0:" + wanted));
        return new NDList(Layers.pixelShuffle(t, scale));
    }

    /**
     * The network's output for {@code x} without the training machinery: the same function as
     * {@link #forward} (checked in {@code EdsrNetTest}), with every intermediate freed as soon as the
     * next layer has read it and the residual sums made in place, so a tile's activations do not pile
     * up in its memory scope. Results live in x's manager.
     */
    public NDArray infer(NDArray x) {
        NDArray head = conv(this.head, x);
        NDArray h = head;
        List<Block> layers = new ArrayList<>(body.getChildren().values());
        for (int i = 0; i < layers.size() - 1; i++) {
            List<Block> convs = residualConvs(layers.get(i));
            NDArray a = conv(convs.get(0), h);
            NDArray r = ai.djl.nn.Activation.relu(a);
            a.close();
            NDArray b = conv(convs.get(1), r);
            r.close();
            b.addi(h);
            if (h != head) h.close();
            h = b;
        }
        NDArray end = conv(layers.get(layers.size() - 1), h);
        if (h != head) h.close();
        end.addi(head);
        head.close();
        NDArray t = conv(tail, end);
        end.close();
        int wanted = channels * scale * scale;
        if (wanted != tailFilters) t = t.get(new NDIndex(":, 0:" + wanted));
        return Layers.pixelShuffle(t, scale);
    }

    /** The two convolutions of a residual block (conv, ReLU, conv). */
    private static List<Block> residualConvs(Block residual) {
        Block seq = residual.getChildren().values().get(0);
        List<Block> convs = new ArrayList<>();
        for (Block b : seq.getChildren().values()) if (b instanceof ai.djl.nn.convolutional.Conv2d) convs.add(b);
        return convs;
    }

    /** A stride-1 "same" convolution with {@code block}'s weights. */
    private static NDArray conv(Block block, NDArray x) {
        ai.djl.nn.convolutional.Conv2d c = (ai.djl.nn.convolutional.Conv2d) block;
        NDArray w = c.getDirectParameters().get("weight").getArray();
        NDArray b = c.isIncludeBias() ? c.getDirectParameters().get("bias").getArray() : null;
        int pad = (int) (w.getShape().get(2) / 2);
        // a layout libtorch computes right for these channel counts (Layers#nchwConvSafe)
        return ai.djl.nn.convolutional.Conv2d.conv2d(Layers.convSafeLayout(x, w.getShape().get(0)), w, b, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), 1).singletonOrThrow();
    }

    private static NDArray run(Block b, ParameterStore ps, NDArray x, boolean training, PairList<String, Object> params) {
        return b.forward(ps, new NDList(x), training, params).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), channels, x.get(2) * scale, x.get(3) * scale)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape features = new Shape(x.get(0), width, x.get(2), x.get(3));
        head.initialize(manager, dataType, x);
        body.initialize(manager, dataType, features);
        tail.initialize(manager, dataType, features);
    }
}
