package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import retouch.RetouchException;
import retouch.baseline.Bm3d;
import retouch.degrade.NoiseEstimator;
import retouch.image.Dihedral;
import retouch.image.Image;
import retouch.image.OpponentColour;
import retouch.nn.ImageTensors;
import retouch.nn.blocks.FoldedConvStack;
import retouch.nn.store.ModelMeta;
import retouch.tile.Tiler;

/**
 * Runs a trained denoiser (DnCNN or FFDNet-style) on an image of any size: overlapping tiles with
 * blended seams, a child NDManager per tile so native memory stays bounded. A gray model on an RGB
 * image denoises luminance and two chroma planes of an orthonormal opponent colour space (see
 * {@link #opponentColour}), and other tasks (deblurring, super-resolution) R, G and B apart; an
 * RGB model on a gray image gets the gray replicated into three channels.
 */
public final class Denoiser implements AutoCloseable {
    private final Block block;
    private final ModelMeta meta;
    private final NDManager manager;
    private final Tiler tiler;
    private final FoldedConvStack folded;
    private final FusionHead fusion;
    private volatile Runnable onTile = () -> {};
    private int ensemble = 1;
    private boolean refine;
    private boolean fuse = true;
    private boolean opponent = true;
    /** Whether {@link #close} frees {@link #folded}: views made by {@link #configured} share their origin's. */
    private final boolean ownsFolded;

    /**
     * @param fold run an inference copy with BatchNorm folded into the convolutions (same results,
     *     fewer ops); off while the block is still training, since the copy would not follow it
     */
    public Denoiser(Block block, ModelMeta meta, NDManager manager, int tile, boolean fold) {
        this.block = block;
        this.meta = meta;
        this.manager = manager;
        this.tiler = new Tiler(tile, Math.min(32, tile / 4), RestoreNets.sizeMultiple(meta));
        Block body = block instanceof FfdNet f ? f.body() : block instanceof DnCnn d ? d.body() : null;
        this.folded = fold && body != null ? FoldedConvStack.fold(body, manager) : null;
        this.fusion = block instanceof FfdNet f ? f.fusion() : null;
        this.ownsFolded = true;
    }

    private Denoiser(Denoiser origin, int tile) {
        this.block = origin.block;
        this.meta = origin.meta;
        this.manager = origin.manager;
        this.tiler = new Tiler(tile, Math.min(32, tile / 4), RestoreNets.sizeMultiple(meta));
        this.folded = origin.folded;
        this.fusion = origin.fusion;
        this.onTile = origin.onTile;
        this.ownsFolded = false;
    }

    /**
     * A denoiser over the same weights (and folded copy) run as {@code settings} say: tile side,
     * self-ensemble, refinement and colour route, resolved against this model's model.json. Cheap;
     * one per call keeps calls with different settings apart (the result is not shared).
     */
    public Denoiser configured(RestoreSettings settings, int defaultTile) {
        String refineMode = settings.refineFor(meta);
        return new Denoiser(this, settings.tileOr(defaultTile))
                .ensemble(settings.ensembleFor(meta))
                .refine(!refineMode.equals("none"))
                .fusion(refineMode.equals("fusion"))
                .opponentColour(settings.opponentColour());
    }

    /**
     * Denoises {@code noisy}.
     *
     * @param sigma noise level on the 0–255 scale; NaN estimates it ({@link NoiseEstimator}), per
     *     channel when a gray model runs on an RGB image
     */
    public Image denoise(Image noisy, double sigma) {
        Image out = run(noisy, sigma, true);
        if (!refine) return out;
        double level = Double.isNaN(sigma) ? NoiseEstimator.estimate(noisy) : sigma;
        int units = stripeUnits(noisy.channels(), noisy.height(), noisy.width());
        Image pilot = out.clip();
        Image wiener = Bm3d.refine(noisy, pilot, level, () -> {
            for (int i = 0; i < units; i++) onTile.run();
        });
        return fusion == null || !fuse ? wiener : fuse(noisy, pilot, wiener, level);
    }

    /**
     * The model's {@link FusionHead} on the noisy image, the network's output and the Wiener
     * stage's, plane by plane (the opponent colour planes for RGB, where the Wiener stage works,
     * each at its own noise level), in tiles.
     */
    Image fuse(Image noisy, Image pilot, Image wiener, double level) {
        if (noisy.isGray()) return fusePlane(noisy, pilot, wiener, level).clip();
        double[] levels = {level / Math.sqrt(3), level, level};
        Image[] out = new Image[3];
        // one plane's inputs at a time, so a 12-megapixel photo stays within a 2 GiB heap
        for (int k = 0; k < 3; k++) {
            out[k] = fusePlane(OpponentColour.split(noisy)[k], OpponentColour.split(pilot)[k], OpponentColour.split(wiener)[k], levels[k]);
        }
        return OpponentColour.merge(out).clip();
    }

    private Image fusePlane(Image noisy, Image pilot, Image wiener, double level255) {
        float level = (float) (level255 / 255.0);
        Image planes = Image.stack(noisy, pilot, wiener);
        return tiler.apply(planes, t -> {
            Image out;
            try (NDManager m = manager.newSubManager()) {
                NDList in = new NDList(ImageTensors.toBatch(m, t), m.create(new float[] {level}, new ai.djl.ndarray.types.Shape(1, 1, 1, 1)));
                out = ImageTensors.toImage(fusion.forward(new ParameterStore(m, false), in, false).singletonOrThrow().get(0));
            }
            onTile.run();
            return out;
        });
    }

    /** Whether the model merges its output with the Wiener stage's by a {@link FusionHead}. */
    public boolean hasFusion() {
        return fusion != null;
    }

    /**
     * Whether a refined {@link #denoise} ends with the model's {@link FusionHead} (default: when
     * it has one); off gives the Wiener stage's output itself.
     */
    public Denoiser fusion(boolean on) {
        this.fuse = on;
        return this;
    }

    /** Wiener-stage cost per pixel and plane against the network's (1.97 s vs 0.19 s, 512² gray; bench/denoise-refine-bench.sh). */
    private static final double WIENER_COST_RATIO = 10;

    /**
     * Progress steps one Wiener stripe counts for, in network tiles: its pixels (all planes)
     * against a tile's, times the stage's relative cost, so that the bar's rate and ETA hold
     * through both phases (a stripe of a 4000-pixel-wide photo takes as long as ~90 tiles).
     */
    int stripeUnits(int channels, int height, int width) {
        double stripePixels = (double) Bm3d.refineStripeHeight(25) * width * channels;
        return (int) Math.max(1, Math.round(WIENER_COST_RATIO / passCost() * stripePixels / tiler.tileArea(height, width)));
    }

    /**
     * One network pass's cost against the gray reference network's (depth 15, width 64) that
     * {@link #WIENER_COST_RATIO} was measured with: convolution work grows with depth × width²
     * (and 4× for DnCNN, which works on every pixel rather than a half-resolution stack).
     * denoise-color (width 192) counts 9 (measured 7.4: 6.43 s against three gray passes' 2.60 s).
     */
    double passCost() {
        if (RestoreNets.UNET.equals(meta.architecture())) return 1.4; // measured against FFDNet's 15 × 64² stack, width 64, 3 levels, 2 blocks
        int w = meta.intParam("width", 64), d = meta.intParam("depth", 15);
        double perPixel = RestoreNets.FFDNET.equals(meta.architecture()) ? 1 : 4; // DnCNN runs at full resolution
        return Math.max(1e-3, perPixel * d * w * w / (15.0 * 64 * 64));
    }

    /** {@link #denoise} without the refinement, whatever {@link #refine(boolean)} says. */
    public Image denoiseWithNetwork(Image noisy, double sigma) {
        return run(noisy, sigma, true);
    }

    /**
     * Whether {@link #denoise} refines the network's output by BM3D's Wiener stage with that
     * output as the pilot ({@link Bm3d#refine}): groups of similar blocks are matched on the
     * network's output and the noisy image's 3-D spectrum is shrunk by it. Held-out BSD400
     * images (the 8 validation images) σ 15 / 25 / 50: +0.19 / +0.15 / +0.18 dB over the network
     * alone; Set12 +0.38 / +0.31 / +0.35. Off by default; models switch it on through model.json
     * (see {@link Restorer#denoiseAsPrior}).
     */
    public Denoiser refine(boolean on) {
        this.refine = on;
        return this;
    }

    /**
     * Runs the network on {@code input} with a fixed condition level (0–255 scale), e.g. the noise
     * level of a blurred photo for deblurring, or 0 for super-resolution of an upscaled image.
     */
    public Image apply(Image input, double level255) {
        return run(input, level255, false);
    }

    /**
     * Geometric self-ensemble (as in EDSR+, Lim et al. 2017): the image also runs mirrored and/or
     * turned ({@link Dihedral}, 2, 4 or 8 passes), each result is turned back and they are
     * averaged. Set12 σ 15 / 25 / 50 with denoise-gray: +0.22 / +0.17 / +0.14 dB for 8× the time. 1 (off) by default.
     */
    public Denoiser ensemble(int n) {
        if (n != 1 && n != 2 && n != 4 && n != 8) throw new RetouchException("self-ensemble must be 1, 2, 4 or 8 passes, got " + n);
        this.ensemble = n;
        return this;
    }

    private Image run(Image in, double level, boolean estimateIfUnknown) {
        if (ensemble == 1) return runOnce(in, level, estimateIfUnknown);
        // the noise level is estimated once, on the image as given
        double fixed = Double.isNaN(level) && estimateIfUnknown && !(meta.inputChannels() == 1 && in.channels() == 3) ? resolveLevel(in, level, true) : level;
        float[] sum = new float[in.data().length];
        for (int i = 0; i < ensemble; i++) {
            int t = Dihedral.ORDER[i];
            float[] out = Dihedral.invert(runOnce(Dihedral.apply(in, t), fixed, estimateIfUnknown), t).data();
            for (int k = 0; k < sum.length; k++) sum[k] += out[k];
        }
        for (int k = 0; k < sum.length; k++) sum[k] /= ensemble;
        return new Image(in.channels(), in.height(), in.width(), sum);
    }

    private Image runOnce(Image in, double level, boolean estimateIfUnknown) {
        int modelChannels = meta.inputChannels();
        if (modelChannels == 1 && in.channels() == 3 && estimateIfUnknown && opponent) return denoiseOpponent(in, level);
        if (modelChannels == 1 && in.channels() == 3) {
            List<Image> planes = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                Image p = in.channel(c);
                planes.add(runSameChannels(p, resolveLevel(p, level, estimateIfUnknown)));
            }
            return Image.stack(planes.toArray(new Image[0]));
        }
        Image x = in.channels() == modelChannels ? in : in.toRgb();
        Image out = runSameChannels(x, resolveLevel(x, level, estimateIfUnknown));
        return in.channels() == out.channels() ? out : out.toGray();
    }

    /**
     * A gray denoiser on an RGB image works in an orthonormal opponent colour space
     * ({@link OpponentColour}), as CBM3D does: the luminance's noise is σ/√3, the two chroma planes'
     * noise stays σ and their content is smooth. Each plane is denoised at its
     * own level (estimated per plane for "auto"), then the transform is inverted exactly. Kodak24
     * σ 25 (8 photos): 30.91 dB against 29.19 for R, G and B apart.
     */
    private Image denoiseOpponent(Image in, double sigma) {
        Image[] planes = OpponentColour.split(in);
        double[] levels = Double.isNaN(sigma) ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                : new double[] {sigma / Math.sqrt(3), sigma, sigma};
        for (int k = 0; k < 3; k++) planes[k] = runSameChannels(planes[k], resolveLevel(planes[k], levels[k], true));
        return OpponentColour.merge(planes);
    }


    /**
     * Whether a gray model denoises RGB in the opponent colour space (default) or R, G and B apart
     * ({@code false}; {@link RestoreSettings#colour()} {@code rgb}).
     */
    public Denoiser opponentColour(boolean on) {
        this.opponent = on;
        return this;
    }

    private static double resolveLevel(Image im, double level, boolean estimateIfUnknown) {
        if (!Double.isNaN(level)) return level;
        return estimateIfUnknown ? NoiseEstimator.estimate(im) : 0;
    }

    private Image runSameChannels(Image in, double level255) {
        float level = (float) (level255 / 255.0);
        return tiler.apply(in, t -> {
            Image out = forward(t, level);
            onTile.run();
            return out;
        });
    }

    /** Network passes needed for an image of this shape (tiles × channel passes), for a progress bar. */
    public long passes(int channels, int height, int width) {
        int perPlane = tiler.tileCount(height, width);
        return ensemble * (meta.inputChannels() == 1 && channels == 3 ? 3L * perPlane : perPlane);
    }

    /**
     * {@link #passes} plus the refinement's stripes weighted by their cost ({@link #stripeUnits}),
     * for {@link #denoise}. The stripe count is that of σ ≤ 40 (the noise level is not known yet
     * when blind); above, blocks are larger and stripes fewer, so a bar may end a few steps short.
     */
    public long denoisePasses(int channels, int height, int width) {
        return passes(channels, height, width)
                + (refine ? (long) Bm3d.refineStripes(height, width, 25) * stripeUnits(channels, height, width) : 0)
                + (refine && fusion != null && fuse ? (long) channels * tiler.tileCount(height, width) : 0);
    }

    /** Called after every tile (e.g. to step a progress bar); replaces the previous listener. */
    public void onTile(Runnable listener) {
        this.onTile = listener == null ? () -> {} : listener;
    }

    private Image forward(Image tile, float level) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = ImageTensors.toBatch(m, tile);
            NDList inputs = RestoreNets.takesLevel(meta.architecture())
                    ? new NDList(x, m.create(new float[] {level}, new ai.djl.ndarray.types.Shape(1, 1, 1, 1)))
                    : new NDList(x);
            NDArray y;
            if (folded != null && block instanceof FfdNet f) {
                y = f.apply(inputs, folded::forward);
            } else if (folded != null && block instanceof DnCnn d) {
                y = d.apply(inputs, folded::forward);
            } else {
                y = block.forward(new ParameterStore(m, false), inputs, false).singletonOrThrow();
            }
            return ImageTensors.toImage(y.get(0));
        }
    }

    @Override
    public void close() {
        if (folded != null && ownsFolded) folded.close();
    }
}
