package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import retouch.RetouchException;
import retouch.image.Dihedral;
import retouch.image.Image;
import retouch.image.Resize;
import retouch.nn.ImageTensors;
import retouch.nn.store.ModelMeta;
import retouch.tile.Tiler;

/**
 * Runs a low-resolution super-resolution network ({@link EdsrNet}) on an image of any size: the
 * MATLAB-style bicubic upscale of the whole image plus the network's correction, which is computed
 * on overlapping low-resolution tiles ({@link Tiler} with the scale), each in its own NDManager so
 * native memory stays bounded whatever the photo's size. An RGB model on a gray image sees the gray
 * replicated; a gray model on an RGB image runs R, G and B apart.
 *
 * <p>The optional self-ensemble runs the flips and quarter turns of the small image and averages
 * the corrections turned back (the bicubic upscale commutes with them, so it is made once).
 */
public final class SuperResolver {
    private final Block block;
    private final ModelMeta meta;
    private final NDManager manager;
    private final int scale;
    private final Tiler tiler;
    private final int ensemble;
    private volatile Runnable onTile = () -> {};

    /**
     * @param tile output tile side (the low-resolution tile is this over the scale, at least 48)
     * @param ensemble self-ensemble passes: 1, 2, 4 or 8
     */
    public SuperResolver(Block block, ModelMeta meta, NDManager manager, int tile, int ensemble) {
        if (ensemble != 1 && ensemble != 2 && ensemble != 4 && ensemble != 8) {
            throw new RetouchException("self-ensemble must be 1, 2, 4 or 8 passes, got " + ensemble);
        }
        this.block = block;
        this.meta = meta;
        this.manager = manager;
        this.scale = meta.intParam("scale", 2);
        int lowTile = Math.max(48, tile / scale);
        this.tiler = new Tiler(lowTile, Math.min(24, lowTile / 4), 1);
        this.ensemble = ensemble;
    }

    /** The same weights run with another tile side and ensemble (shares the listener). */
    public SuperResolver configured(int tile, int passes) {
        SuperResolver s = new SuperResolver(block, meta, manager, tile, passes);
        s.onTile = onTile;
        return s;
    }

    public int scale() {
        return scale;
    }

    /** {@code small} upscaled by the model's factor (values not clipped). */
    public Image apply(Image small) {
        int mc = meta.inputChannels();
        if (mc == 1 && small.channels() == 3) {
            return Image.stack(apply(small.channel(0)), apply(small.channel(1)), apply(small.channel(2)));
        }
        if (mc == 3 && small.channels() == 1) return apply(small.toRgb()).toGray();
        Image up = Resize.resize(small, small.height() * scale, small.width() * scale, scale, scale, Resize.Method.BICUBIC);
        float[] u = up.data();
        for (int i = 0; i < ensemble; i++) {
            int t = Dihedral.ORDER[i];
            float[] c = Dihedral.invert(tiler.apply(Dihedral.apply(small, t), this::forward, scale), t).data();
            float w = 1f / ensemble;
            for (int k = 0; k < u.length; k++) u[k] += w * c[k];
        }
        return up;
    }

    /** Network passes (tiles) for an image of this shape, for a progress bar. */
    public long passes(int channels, int height, int width) {
        long perPlane = (long) tiler.tileCount(height, width) * ensemble;
        return meta.inputChannels() == 1 && channels == 3 ? 3 * perPlane : perPlane;
    }

    /** Called after every tile; replaces the previous listener. */
    public void onTile(Runnable listener) {
        this.onTile = listener == null ? () -> {} : listener;
    }

    private Image forward(Image tile) {
        Image out;
        try (NDManager m = manager.newSubManager()) {
            NDArray x = ImageTensors.toBatch(m, tile);
            NDArray y = block instanceof EdsrNet net ? net.infer(x) : block.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            out = ImageTensors.toImage(y.get(0));
        }
        onTile.run();
        return out;
    }
}
