package retouch.nn.inpaint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import retouch.RetouchException;
import retouch.degrade.Masks;
import retouch.image.Image;
import retouch.image.Resize;
import retouch.nn.ImageTensors;
import retouch.nn.store.ModelMeta;
import retouch.tile.Tiler;

/**
 * Runs a {@link UNet} on images of any size: in tiles (bounded memory), skipping tiles without a
 * hole, then keeps every known pixel exactly as it was — only hole pixels (mask ≥ 0.5) change.
 * A gray model restores RGB images channel by channel (the hole is the same in each); an RGB model
 * given a gray image works on it as RGB and returns gray. Residual (non-mask) U-Nets, such as the
 * GAN deblurrer, run tile by tile on the whole image.
 *
 * <p>Wide holes are also filled at ½ and ¼ scale ({@link #multiScale}): there the network sees
 * across a hole that is wider than its receptive field, and the upscaled coarse fills take over
 * from the full-scale fill with the distance from the hole's edge (fully from {@value
 * #BLEND_DEPTH} px in). Near the edge, where the full-scale fill matches its surroundings best,
 * it stays as it was. The gain grows with the width of the holes (docs/MODELS.md, inpainting).
 *
 * <p>Masks: a mask of another size is resized (nearest) to the image; a mask without holes returns
 * the image unchanged; a mask that is all hole is refused (nothing to inpaint from).
 * Not thread-safe (one instance per thread, or synchronise).
 */
public final class Inpainter {
    /** Distance from the hole's edge (px) from which the coarse fills replace the full-scale one. */
    static final int BLEND_DEPTH = 32;
    /** Coarse scales stop when the image's shorter side would fall below this. */
    static final int MIN_COARSE_SIDE = 32;

    private final UNet net;
    private final ModelMeta meta;
    private final NDManager manager;
    private final Tiler tiler;
    private Runnable onTile = () -> {};
    /** The most self-ensemble passes a U-Net takes: the eight flips and quarter turns of the square. */
    public static final int MAX_ENSEMBLE = 8;
    private int ensemble = 1;
    private int scales = 3;

    /** @param manager holds the weights; each tile works in a child of it */
    public Inpainter(UNet net, ModelMeta meta, NDManager manager, int tile) {
        this.net = net;
        this.meta = meta;
        this.manager = manager;
        this.tiler = new Tiler(Math.max(tile, 2 * net.multiple()), Math.min(32, tile / 4), net.multiple());
    }

    public ModelMeta meta() { return meta; }

    /**
     * Self-ensemble (as in EDSR, Lim et al. 2017): each tile also runs mirrored left-right
     * ({@code 2}), and upside down and both ways ({@code 4}), and those four transposed ({@code 8}:
     * every flip and quarter turn); the hole is the mean of the results turned back, which averages
     * away fill details the network is unsure of; {@code 1} (default) runs once. The cost is about
     * ×n. With the L2-tuned inpaint-gray, 4 passes gained +0.02 to +0.08 dB hole PSNR on held-out
     * crops of every mask family and 8 up to 0.03 dB more (docs/BENCHMARKS.md), so its model.json
     * asks for 4 and {@code quality=max} runs 8; {@code quality=fast} runs once.
     */
    public Inpainter ensemble(int n) {
        if (n != 1 && n != 2 && n != 4 && n != 8) throw new RetouchException("flip ensemble must be 1, 2, 4 or 8 passes, got " + n);
        this.ensemble = n;
        return this;
    }

    /**
     * Whether wide holes are also filled at ½ and ¼ scale and blended in (default on;
     * {@link retouch.nn.restore.RestoreSettings#inpaintScales()} 1 turns it off, 2 stops at ½). Costs at most a
     * third more network time, and only for holes deeper than {@value #BLEND_DEPTH}/2 px. Kodak24
     * (gray, free-form 10–30 %): 18.40 dB hole PSNR at one scale, 18.87 with ½ and ¼, 18.80 with
     * ⅛ as well; blend depth 16 px 18.80, 32 px 18.87, 48 px 18.87.
     */
    public Inpainter multiScale(boolean on) {
        return scales(on ? 3 : 1);
    }

    /** Scales the holes are filled at: 1 (full only), 2 (and ½) or 3 (and ¼, the default). */
    public Inpainter scales(int n) {
        if (n < 1 || n > 3) throw new RetouchException("inpaint scales must be 1, 2 or 3, not " + n);
        this.scales = n;
        return this;
    }

    /** An inpainter over the same network run with another tile side, ensemble and scales (one per call with its own settings). */
    public Inpainter configured(int tile, int ensemble, int scales) {
        Inpainter v = new Inpainter(net, meta, manager, tile).ensemble(ensemble).scales(scales);
        v.onTile = onTile;
        return v;
    }

    /** Called after each tile that ran the network. */
    public void onTile(Runnable listener) {
        this.onTile = listener == null ? () -> {} : listener;
    }

    /** Network passes (at most) for an image, for progress bars. */
    public long passes(Image image) {
        int perPlane = tiler.tileCount(image.height(), image.width());
        if (net.takesMask()) {
            for (int f = 2; f < 1 << scales && Math.min(image.height(), image.width()) / f >= MIN_COARSE_SIDE; f *= 2) {
                perPlane += tiler.tileCount((image.height() + f - 1) / f, (image.width() + f - 1) / f);
            }
        }
        return meta.inputChannels() == 1 && image.channels() == 3 ? 3L * perPlane : perPlane;
    }

    /** Fills the holes of {@code image}; see the class comment for masks of other sizes, empty and full masks. */
    public Image inpaint(Image image, Image mask) {
        if (!net.takesMask()) throw new RetouchException("model " + meta.name() + " does not inpaint (its task is " + meta.tasks() + ")");
        if (mask == null) throw new RetouchException("inpainting needs a hole mask: --mask MASK.png (white = missing)");
        Image m = mask.height() == image.height() && mask.width() == image.width() && mask.channels() == 1
                ? binary(mask) : Masks.forPhoto(mask, image.height(), image.width(), "(the hole mask)");
        double coverage = Masks.coverage(m);
        if (coverage == 0) return image.copy();
        if (coverage == 1) {
            throw new RetouchException("the mask marks every pixel as missing, so there is nothing to inpaint from; "
                    + "white must mark only the holes (use 'retouch generate' to make an image from nothing)");
        }
        Image filled = fill(image, m);
        if (scales > 1) filled = blendCoarse(image, m, filled);
        // Known pixels are copied back bit for bit: the network only decides the holes.
        float[] out = filled.data(), in = image.data(), md = m.data();
        int n = image.pixels();
        for (int c = 0; c < image.channels(); c++) {
            for (int i = 0; i < n; i++) {
                out[c * n + i] = md[i] >= 0.5f ? Math.min(1f, Math.max(0f, out[c * n + i])) : in[c * n + i];
            }
        }
        return filled;
    }

    /** The network's fill at the image's own scale (known pixels not yet restored). */
    private Image fill(Image image, Image mask) {
        return perChannel(image, x -> tiler.apply(markHoles(x, mask), this::fillTile));
    }

    /**
     * Fills at ½ and ¼ scale (while the image stays at least {@value #MIN_COARSE_SIDE} px), upscales
     * those fills bicubically and blends their mean into {@code fine} by the distance from the
     * hole's edge. A coarse pixel is a hole if any pixel it covers is, so known coarse pixels
     * average known pixels only.
     */
    private Image blendCoarse(Image image, Image mask, Image fine) {
        int h = image.height(), w = image.width();
        float[] dist = distanceToKnown(mask);
        float deepest = 0;
        for (float d : dist) deepest = Math.max(deepest, d);
        if (deepest < BLEND_DEPTH / 2f) return fine; // thin holes: the full-scale network sees across them
        List<Image> coarse = new ArrayList<>();
        Image img = image, m = mask;
        for (int f = 2; f < 1 << scales; f *= 2) {
            if (Math.min(img.height(), img.width()) / 2 < MIN_COARSE_SIDE) break;
            img = Resize.scale(img, 0.5, Resize.Method.AREA);
            m = anyHoleHalf(m);
            if (Masks.coverage(m) == 1) break;
            coarse.add(Resize.resize(fill(img, m), h, w, f, f, Resize.Method.BICUBIC));
        }
        if (coarse.isEmpty()) return fine;
        Image out = fine.copy();
        float[] o = out.data(), md = mask.data();
        int n = image.pixels();
        for (int c = 0; c < image.channels(); c++) {
            for (int i = 0; i < n; i++) {
                if (md[i] < 0.5f) continue;
                float wt = Math.min(1f, dist[i] / BLEND_DEPTH);
                if (wt == 0f) continue;
                float mean = 0;
                for (Image k : coarse) mean += k.data()[c * n + i];
                mean /= coarse.size();
                o[c * n + i] = (1 - wt) * o[c * n + i] + wt * mean;
            }
        }
        return out;
    }

    /**
     * Euclidean distance (px) from each hole pixel to the nearest known pixel; 0 outside the hole.
     * Exact, in two 1-D passes of squared distances (Felzenszwalb & Huttenlocher 2012), on the
     * mask's own array (no OpenCV Mat round trip).
     */
    static float[] distanceToKnown(Image mask) {
        int h = mask.height(), w = mask.width(), n = Math.max(h, w);
        float[] m = mask.data();
        double[] f = new double[h * w];
        for (int i = 0; i < f.length; i++) f[i] = m[i] >= 0.5f ? FAR : 0;
        double[] line = new double[n], out = new double[n], z = new double[n + 1];
        int[] v = new int[n];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) line[y] = f[y * w + x];
            squaredDistance1d(line, h, out, v, z);
            for (int y = 0; y < h; y++) f[y * w + x] = out[y];
        }
        float[] d = new float[h * w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(f, y * w, line, 0, w);
            squaredDistance1d(line, w, out, v, z);
            for (int x = 0; x < w; x++) d[y * w + x] = (float) Math.sqrt(out[x]);
        }
        return d;
    }

    private static final double FAR = 1e20;

    /** Lower envelope of parabolas: out[q] = min over p of (q − p)² + f[p]. */
    private static void squaredDistance1d(double[] f, int n, double[] out, int[] v, double[] z) {
        int k = 0;
        v[0] = 0;
        z[0] = -FAR;
        z[1] = FAR;
        for (int q = 1; q < n; q++) {
            double s = ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
            while (s <= z[k]) {
                k--;
                s = ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = FAR;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q) k++;
            out[q] = (double) (q - v[k]) * (q - v[k]) + f[v[k]];
        }
    }

    /** The mask at half size (rounded up): a pixel is a hole if any of the 2×2 pixels it covers is. */
    static Image anyHoleHalf(Image mask) {
        int h = mask.height(), w = mask.width(), ch = (h + 1) / 2, cw = (w + 1) / 2;
        float[] d = mask.data(), o = new float[ch * cw];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (d[y * w + x] >= 0.5f) o[(y / 2) * cw + x / 2] = 1f;
            }
        }
        return new Image(1, ch, cw, o);
    }

    /** Restores a whole image with a residual (non-mask) U-Net, such as the GAN deblurrer. */
    public Image restore(Image image) {
        if (net.takesMask()) throw new RetouchException("model " + meta.name() + " inpaints: give a hole mask (--task inpaint --mask MASK.png)");
        return perChannel(image, x -> tiler.apply(x, t -> {
            Image y = forward(t, null);
            onTile.run();
            return y;
        })).clip();
    }

    /**
     * The hole travels through the tiler inside the image itself, as NaN samples (their values are
     * never used: the network blanks the hole), so tiles, padding and mask always line up.
     */
    private static Image markHoles(Image x, Image mask) {
        Image out = x.copy();
        float[] o = out.data(), m = mask.data();
        int n = x.pixels();
        for (int c = 0; c < x.channels(); c++) {
            for (int i = 0; i < n; i++) if (m[i] >= 0.5f) o[c * n + i] = Float.NaN;
        }
        return out;
    }

    private Image fillTile(Image marked) {
        int n = marked.pixels();
        float[] d = marked.data();
        float[] md = new float[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(d[i])) {
                md[i] = 1f;
                any = true;
            }
        }
        if (!any) return marked; // nothing missing here: skip the network
        Image x = marked.copy();
        float[] xd = x.data();
        for (int i = 0; i < xd.length; i++) if (Float.isNaN(xd[i])) xd[i] = 0f;
        Image y = forward(x, new Image(1, marked.height(), marked.width(), md));
        onTile.run();
        return y;
    }

    private interface PlaneOp {
        Image apply(Image x);
    }

    private Image perChannel(Image image, PlaneOp op) {
        int mc = meta.inputChannels();
        if (mc == 1 && image.channels() == 3) {
            List<Image> planes = new ArrayList<>();
            for (int c = 0; c < 3; c++) planes.add(op.apply(image.channel(c)));
            return Image.stack(planes.toArray(new Image[0]));
        }
        Image x = image.channels() == mc ? image : image.withChannels(mc);
        Image y = op.apply(x);
        return y.channels() == image.channels() ? y : y.withChannels(image.channels());
    }

    private Image forward(Image x, Image mask) {
        try (NDManager m = manager.newSubManager()) {
            NDArray in = ImageTensors.toBatch(m, x), holes = mask == null ? null : ImageTensors.toBatch(m, mask);
            NDArray y = flipMean(m, in, holes);
            if (ensemble == 8) {
                // the other four of the eight: the same flips of the transposed tile, transposed back
                NDArray t = flipMean(m, in.transpose(0, 1, 3, 2), holes == null ? null : holes.transpose(0, 1, 3, 2));
                y = y.add(t.transpose(0, 2, 1)).div(2);
            }
            return ImageTensors.toImage(y);
        }
    }

    /**
     * The network on a batch of one and its mirror images, each mirrored back, averaged: C×H×W.
     * One pass at a time, each in its own memory scope, so the ensemble needs no more native
     * memory than one pass (as one batch of four, a 4000×3000 photo's RSS went from 2.3 to 5.1 GB).
     */
    private NDArray flipMean(NDManager m, NDArray in, NDArray holes) {
        int passes = Math.min(ensemble, 4);
        NDArray sum = null;
        for (int k = 0; k < passes; k++) {
            try (NDManager pass = m.newSubManager()) {
                NDList inputs = new NDList(passInput(in, k, pass));
                if (holes != null) inputs.add(passInput(holes, k, pass));
                NDArray y = mirror(net.forward(new ParameterStore(pass, false), inputs, false).singletonOrThrow(), k).get(0);
                NDArray next = sum == null ? y : sum.add(y);
                next.attach(m); // the running sum outlives the pass's scope
                if (sum != null) sum.close();
                sum = next;
            }
        }
        return passes == 1 ? sum : sum.div(passes);
    }

    /** Mirror {@code k} of {@code b} as a new array owned by {@code pass} ({@code b} itself is left alone). */
    private static NDArray passInput(NDArray b, int k, NDManager pass) {
        NDArray x = k == 0 ? b.duplicate() : mirror(b, k);
        x.attach(pass);
        return x;
    }

    /** Mirror {@code k} of an N×C×H×W batch: 0 as it is, 1 left-right, 2 upside down, 3 both (each its own inverse). */
    private static NDArray mirror(NDArray b, int k) {
        return switch (k) {
            case 0 -> b;
            case 1 -> b.flip(3);
            case 2 -> b.flip(2);
            default -> b.flip(2, 3);
        };
    }

    private static Image binary(Image mask) {
        float[] d = mask.data(), o = new float[d.length];
        for (int i = 0; i < d.length; i++) o[i] = d[i] >= 0.5f ? 1f : 0f;
        return new Image(1, mask.height(), mask.width(), o);
    }
}
