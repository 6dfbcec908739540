package retouch.tile;

import java.util.concurrent.CancellationException;
import java.util.function.UnaryOperator;
import retouch.image.Image;

/**
 * Runs an image-to-image function on overlapping tiles and blends them back, so memory depends on
 * the tile size, not the image size. Tiles are padded by reflection at the image border; in the
 * overlaps, weights ramp linearly so seams do not show. The function must return a tile of the
 * same size as its input (times {@code scale} for super-resolution).
 *
 * <p>Cancellable: before each tile it checks whether its thread was interrupted (a server
 * request past its time limit, a pool shutting down) and if so stops with a
 * {@link CancellationException}, so abandoned work does not run to the end.
 */
public final class Tiler {
    private final int tile;
    private final int overlap;
    private final int multiple;

    /**
     * @param tile tile side in input pixels (e.g. 256)
     * @param overlap pixels shared by neighbouring tiles (e.g. 32); must be less than half the tile
     * @param multiple tiles and padded sizes are multiples of this (2 for pixel-unshuffle networks)
     */
    public Tiler(int tile, int overlap, int multiple) {
        if (tile < 16 || overlap < 0 || 2 * overlap >= tile) {
            throw new IllegalArgumentException("tile " + tile + " with overlap " + overlap + " is not usable");
        }
        this.tile = tile - tile % multiple;
        this.overlap = overlap;
        this.multiple = multiple;
    }

    public Image apply(Image in, UnaryOperator<Image> f) {
        return apply(in, f, 1);
    }

    /** Pixels of one tile for an image of this size (the image itself when it is smaller). */
    public long tileArea(int height, int width) {
        return (long) Math.min(tile, height) * Math.min(tile, width);
    }

    /** How many tiles {@link #apply} runs for an image of this size (for progress bars). */
    public int tileCount(int height, int width) {
        return positions(height) * positions(width);
    }

    private int positions(int len) {
        if (len <= tile) return 1;
        int step = tile - overlap;
        return (len - tile + step - 1) / step + 1;
    }

    /** Applies {@code f} tile by tile; the result is {@code scale} times the input size. */
    public Image apply(Image in, UnaryOperator<Image> f, int scale) {
        int h = in.height(), w = in.width();
        if (h <= tile && w <= tile) {
            return whole(in, f, scale);
        }
        int c = in.channels();
        int oc = -1;
        float[] acc = null;
        float[] wsum = new float[h * scale * w * scale];
        int step = tile - overlap;
        for (int y0 = 0; ; y0 += step) {
            int ty = Math.min(y0, Math.max(0, h - tile));
            for (int x0 = 0; ; x0 += step) {
                int tx = Math.min(x0, Math.max(0, w - tile));
                int th = Math.min(tile, h - ty), tw = Math.min(tile, w - tx);
                Image out = whole(in.crop(ty, tx, th, tw), f, scale);
                if (acc == null) {
                    oc = out.channels();
                    acc = new float[oc * wsum.length];
                }
                blend(out, acc, wsum, ty * scale, tx * scale, h * scale, w * scale, ty == 0, tx == 0,
                        ty + th >= h, tx + tw >= w, overlap * scale);
                if (tx + tw >= w) break;
            }
            if (ty + Math.min(tile, h - ty) >= h) break;
        }
        int n = wsum.length;
        for (int ch = 0; ch < oc; ch++) {
            for (int i = 0; i < n; i++) acc[ch * n + i] /= wsum[i];
        }
        return new Image(oc, h * scale, w * scale, acc);
    }

    /** Pads to a multiple, runs f, crops back. */
    private Image whole(Image in, UnaryOperator<Image> f, int scale) {
        checkCancelled();
        int h = in.height(), w = in.width();
        int ph = (multiple - h % multiple) % multiple, pw = (multiple - w % multiple) % multiple;
        Image padded = ph == 0 && pw == 0 ? in : in.padReflect(0, ph, 0, pw);
        Image out = f.apply(padded);
        if (out.height() != padded.height() * scale || out.width() != padded.width() * scale) {
            throw new IllegalStateException("tile function returned " + out.shapeString() + " for " + padded.shapeString());
        }
        return ph == 0 && pw == 0 ? out : out.crop(0, 0, h * scale, w * scale);
    }

    /**
     * Throws {@link CancellationException} when the current thread has been interrupted; the
     * interrupt flag stays set for the caller. Long-running loops outside tiles can call it too.
     */
    public static void checkCancelled() {
        checkCancelled(Thread.currentThread());
    }

    /** As {@link #checkCancelled()} for work done on behalf of {@code owner} in other threads (parallel streams). */
    public static void checkCancelled(Thread owner) {
        if (owner.isInterrupted()) {
            throw new CancellationException("restoration stopped before its next tile: the work was cancelled (time limit or shutdown)");
        }
    }

    private static void blend(Image t, float[] acc, float[] wsum, int oy, int ox, int H, int W,
                              boolean top, boolean left, boolean bottom, boolean right, int ramp) {
        int th = t.height(), tw = t.width(), n = H * W;
        float[] d = t.data();
        for (int y = 0; y < th; y++) {
            float wy = weight(y, th, ramp, top, bottom);
            for (int x = 0; x < tw; x++) {
                float wgt = wy * weight(x, tw, ramp, left, right);
                int idx = (oy + y) * W + ox + x;
                wsum[idx] += wgt;
                for (int c = 0; c < t.channels(); c++) acc[c * n + idx] += wgt * d[(c * th + y) * tw + x];
            }
        }
    }

    /** Linear ramp over the overlap on sides that have a neighbour; never zero. */
    private static float weight(int i, int len, int ramp, boolean firstEdge, boolean lastEdge) {
        float w = 1f;
        if (ramp > 0) {
            if (!firstEdge && i < ramp) w = Math.min(w, (i + 1f) / (ramp + 1f));
            if (!lastEdge && len - 1 - i < ramp) w = Math.min(w, (len - i) / (ramp + 1f));
        }
        return w;
    }
}
