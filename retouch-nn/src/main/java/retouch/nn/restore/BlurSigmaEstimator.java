package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;
import retouch.degrade.BlurEstimator;
import retouch.image.Image;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;

/**
 * Runs a {@link BlurSigmaNet} over a photo: the estimated σ of its Gaussian blur, in pixels. The
 * most textured window of at most {@value #MAX_SIDE} px is cut into tiles of at most {@value #TILE}
 * px, and the σ and weight maps of all tiles are pooled together, so the cost is bounded for any
 * photo size (about 0.3 s for the full window on one thread).
 */
public final class BlurSigmaEstimator implements AutoCloseable {
    /** The shipped model's name. */
    public static final String MODEL = "blur-sigma";
    /** Side of the window the σ is estimated on. */
    static final int MAX_SIDE = 1024;
    /** Side of the tiles the window is run in. */
    static final int TILE = 256;
    /** Tiles smaller than this on a side are left out (border remnants). */
    static final int MIN_TILE = 32;

    private final LoadedModel model;

    private BlurSigmaEstimator(LoadedModel model) {
        this.model = model;
    }

    /** Opens the estimator stored under {@code nameOrPath} (a name, folder or zip). */
    public static BlurSigmaEstimator open(String nameOrPath) {
        return new BlurSigmaEstimator(ModelFile.load(nameOrPath, BlurSigmaNet.ARCHITECTURE));
    }

    /** The model's name and where it was read from, for notes. */
    public String name() {
        return model.meta().name() != null ? model.meta().name() : model.location().toString();
    }

    /** The blur σ of {@code photo} (gray or RGB, values in [0,1]); NaN when it is under {@value #MIN_TILE} px on a side. */
    public double estimate(Image photo) {
        try (NDManager m = model.manager().newSubManager()) {
            return estimate(photo, m, BlurSigmaNet.sizeMultiple(model.meta()), x -> model.forward(x));
        }
    }

    /**
     * The same with any network that maps N×1×H×W luma to N×2×H/4×W/4 maps (training validation runs
     * the block being trained); tile sides are multiples of {@code multiple}. Arrays are created in {@code manager}.
     */
    static double estimate(Image photo, NDManager manager, int multiple, UnaryOperator<NDArray> network) {
        Image luma = photo.isGray() ? photo : photo.toGray();
        int[] at = BlurEstimator.texturedWindow(luma, MAX_SIDE);
        int wh = Math.min(MAX_SIDE, luma.height()), ww = Math.min(MAX_SIDE, luma.width());
        Image window = luma.crop(at[0], at[1], wh, ww);
        NDArray all = null;
        for (int y = 0; y < wh; y += TILE) {
            for (int x = 0; x < ww; x += TILE) {
                int th = floorTo(Math.min(TILE, wh - y), multiple), tw = floorTo(Math.min(TILE, ww - x), multiple);
                if (th < MIN_TILE || tw < MIN_TILE) continue;
                Image tile = window.crop(y, x, th, tw);
                NDArray maps = network.apply(manager.create(tile.data(), new Shape(1, 1, th, tw)));
                NDArray flat = maps.reshape(1, 2, -1);
                all = all == null ? flat : all.concat(flat, 2);
            }
        }
        return all == null ? Double.NaN : BlurSigmaNet.pool(all).getFloat();
    }

    private static int floorTo(int side, int multiple) {
        return side - side % multiple;
    }

    @Override
    public void close() {
        model.close();
    }
}
