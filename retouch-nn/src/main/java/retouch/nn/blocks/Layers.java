package retouch.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The small shared vocabulary every Retouch network is written in (in the spirit of KAIR's
 * {@code basicblock}): each network then reads as a short list of these layers.
 *
 * <p>Engine notes that live here so no model has to remember them: DJL's BatchNorm momentum is
 * the weight of the <em>old</em> running statistics (the engine passes {@code 1 - momentum} to
 * PyTorch), so PyTorch's default 0.1 is {@code optMomentum(0.9f)}; the PyTorch engine has no
 * transposed convolution and no pixel
 * (un)shuffle op, so upsampling is pixel shuffle written as reshape + transpose (exact).
 */
public final class Layers {
    private Layers() {}

    /**
     * Filters that thin output layers are computed with (the first {@code filters} channels are
     * kept). libtorch 2.7.1's NCHW convolution gets input gradients wrong for output channel counts
     * that are not multiples of 16 (see {@link #nchwConvSafe}); thin layers were made 16 filters wide
     * before that was understood, and saved models keep that shape. Weight gradients are right either way.
     */
    public static final int MIN_BACKWARD_SAFE_FILTERS = 16;

    /** BatchNorm epsilon of every Retouch network (PyTorch's default). */
    public static final float BN_EPSILON = 1e-5f;
    /** Name prefix of the channel-keeping step of thin layers ({@code keep_N}). */
    static final String KEEP_PREFIX = "keep_";
    /** Name DJL gives its ReLU block. */
    static final String RELU_NAME = "ReLU";

    /**
     * k×k convolution, stride 1, "same" padding. A thin output layer (fewer than
     * {@link #MIN_BACKWARD_SAFE_FILTERS} filters) is computed with that many filters and the first
     * {@code filters} channels are kept, which makes its input gradient correct; the unused
     * filters receive zero gradient and never change.
     */
    public static Block conv(int filters, int kernel, boolean bias) {
        if (filters >= MIN_BACKWARD_SAFE_FILTERS) {
            return plainConv(filters, kernel, bias);
        }
        return new SequentialBlock()
                .add(plainConv(MIN_BACKWARD_SAFE_FILTERS, kernel, bias))
                .add(keepChannels(filters));
    }

    private static Conv2d plainConv(int filters, int kernel, boolean bias) {
        Conv2d.Builder b = new Conv2d.Builder();
        b.setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .setFilters(filters)
                .optBias(bias);
        return withTorchInit(b.buildGuarded());
    }

    /**
     * A DJL {@code Conv2d} that hands libtorch its input in a layout the engine computes right: NCHW
     * inputs with channel counts {@link #nchwConvSafe} rejects are laid out channels-last first (see
     * {@link #convSafeLayout(NDArray, long)}). It is called {@code Conv2d} on purpose: DJL names a
     * block's parameters after its class's simple name, and every saved model names them "Conv2d"
     * (a differently named class made the shipped models unloadable).
     */
    static final class Conv2d extends ai.djl.nn.convolutional.Conv2d {
        private final long outChannels;

        private Conv2d(Builder builder) {
            super(builder);
            this.outChannels = builder.getFilters();
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return super.forwardInternal(ps, new NDList(convSafeLayout(inputs.singletonOrThrow(), outChannels)), training, params);
        }

        static final class Builder extends ai.djl.nn.convolutional.Conv2d.Builder {
            long getFilters() {
                return filters;
            }

            Conv2d buildGuarded() {
                validate();
                return new Conv2d(this);
            }
        }
    }

    /**
     * PyTorch's default convolution init, U(±1/√fan_in), instead of DJL's Xavier (≈1.7× larger for
     * 3×3×64). With BatchNorm after a convolution and Adam, steps have a fixed size, so larger
     * weights turn slower: the effective learning rate is about lr/‖w‖. Matching PyTorch also keeps
     * the published recipes (learning rates, schedules) valid here.
     */
    public static <B extends Block> B withTorchInit(B conv) {
        conv.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1f),
                Parameter.Type.WEIGHT);
        return conv;
    }

    /**
     * 3×3 convolution dilated by {@code d} (padding d, so the size is kept), with bias: a wider view
     * at the same cost; inputs are laid out as the engine computes them right, as in {@link #conv}.
     */
    public static Block dilatedConv(int filters, int d) {
        Conv2d.Builder b = new Conv2d.Builder();
        b.setKernelShape(new Shape(3, 3)).optPadding(new Shape(d, d)).optDilation(new Shape(d, d)).setFilters(filters);
        return withTorchInit(b.buildGuarded());
    }

    /** k×k convolution with a stride (downsampling), padding (k-1)/2; thin layers as in {@link #conv(int, int, boolean)}. */
    public static Block conv(int filters, int kernel, int stride, boolean bias) {
        Conv2d.Builder b = new Conv2d.Builder();
        b.setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape((kernel - 1) / 2, (kernel - 1) / 2))
                .setFilters(Math.max(filters, MIN_BACKWARD_SAFE_FILTERS))
                .optBias(bias);
        Conv2d c = withTorchInit(b.buildGuarded());
        return filters >= MIN_BACKWARD_SAFE_FILTERS ? c : new SequentialBlock().add(c).add(keepChannels(filters));
    }

    private static LambdaBlock keepChannels(int filters) {
        return LambdaBlock.singleton(x -> x.get(new NDIndex(":, 0:{}", filters)), KEEP_PREFIX + filters);
    }

    /**
     * Batch normalisation with PyTorch's defaults: running statistics move 10% towards each batch
     * (DJL momentum 0.9, which the engine hands to PyTorch as 0.1), eps 1e-5.
     */
    public static BatchNorm batchNorm() {
        return BatchNorm.builder().optMomentum(0.9f).optEpsilon(BN_EPSILON).build();
    }

    public static Block relu() {
        return Activation.reluBlock();
    }

    public static Block leakyRelu(float slope) {
        return Activation.leakyReluBlock(slope);
    }

    /** conv3×3 (no bias) → BatchNorm → ReLU: the body layer of DnCNN and FFDNet. */
    public static SequentialBlock convBnRelu(int filters) {
        return new SequentialBlock().add(conv(filters, 3, false)).add(batchNorm()).add(relu());
    }

    /** conv3×3 (bias) → ReLU. */
    public static SequentialBlock convRelu(int filters) {
        return new SequentialBlock().add(conv(filters, 3, true)).add(relu());
    }

    /** Space-to-depth by {@code r}: N×C×H×W → N×(C·r²)×(H/r)×(W/r), PyTorch's channel order. */
    public static NDArray pixelUnshuffle(NDArray x, int r) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
        return x.reshape(n, c, h / r, r, w / r, r)
                .transpose(0, 1, 3, 5, 2, 4)
                .reshape(n, c * r * r, h / r, w / r);
    }

    /** Depth-to-space by {@code r}: the exact inverse of {@link #pixelUnshuffle}. */
    public static NDArray pixelShuffle(NDArray x, int r) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1) / (r * r), h = s.get(2), w = s.get(3);
        return x.reshape(n, c, r, r, h, w)
                .transpose(0, 1, 4, 2, 5, 3)
                .reshape(n, c, h * r, w * r);
    }

    public static LambdaBlock pixelShuffleBlock(int r) {
        return LambdaBlock.singleton(x -> pixelShuffle(x, r), "pixel_shuffle");
    }

    public static LambdaBlock pixelUnshuffleBlock(int r) {
        return LambdaBlock.singleton(x -> pixelUnshuffle(x, r), "pixel_unshuffle");
    }

    /** Upsampling by {@code r} as conv (C·r² filters) then pixel shuffle (ESPCN, Shi et al. 2016). */
    public static SequentialBlock upsampleShuffle(int channels, int r) {
        return new SequentialBlock().add(conv(channels * r * r, 3, true)).add(pixelShuffleBlock(r));
    }

    /**
     * Nearest-neighbour upsampling by {@code r} (each pixel becomes an r×r block), through the
     * engine's interpolate op: the same values as reshape→broadcast→reshape, but its backward is a
     * native kernel (measured 1.4× faster forward+backward at 64×32×14²; the broadcast version's
     * backward dominated GAN/VAE decoder steps).
     */
    public static NDArray upsampleNearest(NDArray x, int r) {
        Shape s = x.getShape();
        long oh = s.get(2) * r, ow = s.get(3) * r;
        if (oh + ow <= SMALL_UPSAMPLE_OUTPUT && channelsLastPreferred()) x = channelsLast(x);
        return x.getNDArrayInternal().interpolation(new long[] {oh, ow}, 0, false);
    }

    /**
     * libtorch 2.7 computes nearest upsampling of outputs with height + width ≤ 128 by its
     * channels-last kernel whatever the input's layout: an NCHW input costs a copy in, a copy of
     * the output to channels-last and a copy back (three copies; measured 8 of the 116 ms of a
     * 28×28 VAE step). Given a channels-last input it copies nothing and returns channels-last,
     * which the following convolutions keep, so the decoder stays in that layout.
     */
    static final long SMALL_UPSAMPLE_OUTPUT = 128;

    /**
     * Whether libtorch 2.7.1's CPU convolution is right on an NCHW (default-layout) input with
     * {@code in} input and {@code out} output channels. On NCHW inputs its oneDNN 3.7.1 kernels pad
     * the channel dimension to their vector block (16 floats with AVX-512, 8 with AVX2) and then get
     * it wrong: forward results are off by 15–45 % of their scale when the input channels are not a
     * multiple of the block (24, 35, 40…; up to 16 or 8 they need no padding), input gradients when
     * the output channels are not (1, 4, 12, 19, 24…). The padding lanes also hold whatever that
     * memory held before, so the results change from run to run and now and then come out NaN or
     * infinite. Channels-last inputs go to kernels that pad nothing and are right for every count
     * (forward and both gradients, checked against float64, which libtorch computes without oneDNN;
     * see {@code LayersTest}). A 1-channel input is NCHW and channels-last at once, so its input
     * gradient stays wrong for such output counts; nothing here needs that gradient.
     */
    public static boolean nchwConvSafe(long in, long out) {
        return (in <= 8 || in % 16 == 0) && out % 16 == 0;
    }

    /**
     * Whether arrays are laid out channels-last where that is faster (small upsamplings, folded
     * stacks); {@code -Dretouch.nchw-only=true} keeps them NCHW wherever NCHW is right, for comparisons.
     */
    public static boolean channelsLastPreferred() {
        return !Boolean.getBoolean("retouch.nchw-only"); // read per call: comparisons switch it within one JVM
    }

    /**
     * {@code x} as the input of a convolution to {@code filters} outputs, in a layout libtorch
     * computes right: as it is when NCHW is right for these counts ({@link #nchwConvSafe}),
     * else channels-last (free when it already is).
     */
    public static NDArray convSafeLayout(NDArray x, long filters) {
        long c = x.getShape().get(1);
        return c <= 1 || nchwConvSafe(c, filters) ? x : channelsLast(x);
    }

    /** {@link #convSafeLayout(NDArray, long)} for a convolution with a multiple of 16 filters. */
    public static NDArray convSafeLayout(NDArray x) {
        return convSafeLayout(x, MIN_BACKWARD_SAFE_FILTERS);
    }

    /** The same NCHW array in the default (row-major NCHW) memory layout; free when it already is. */
    public static NDArray contiguousNchw(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1) * s.get(2) * s.get(3)).reshape(s);
    }

    /**
     * The same NCHW array laid out channels-last in memory (strides N·H·W·C, 1, W·C, C). Free when
     * it already is: the NHWC view is then contiguous and the reshape copies nothing.
     */
    public static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
        // Flattening H·W·C is a view only when the NHWC order is already contiguous; otherwise it copies.
        return x.transpose(0, 2, 3, 1).reshape(n, h * w * c).reshape(n, h, w, c).transpose(0, 3, 1, 2);
    }

    /** {@link #upsampleNearest} as a block. */
    public static LambdaBlock upsampleNearestBlock(int r) {
        return LambdaBlock.singleton(x -> upsampleNearest(x, r), "upsample_nearest");
    }

    /** Nearest ×{@code r} upsampling then a 3×3 convolution: the "resize-convolution" that replaces transposed convs. */
    public static SequentialBlock upsampleConv(int filters, int r) {
        return new SequentialBlock().add(upsampleNearestBlock(r)).add(conv(filters, 3, true));
    }
}
