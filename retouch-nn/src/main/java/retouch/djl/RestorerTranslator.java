package retouch.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.List;
import retouch.image.Image;

/**
 * A DJL {@link ai.djl.translate.Translator} for Retouch's exported TorchScript restorers
 * ({@code retouch models export-torchscript MODEL -o x.pt}): a {@link Image} in, the restored
 * {@link Image} out, run in overlapping tiles so any image size fits in bounded memory. Load it
 * through {@link RestorerTranslatorFactory} and DJL's {@code Criteria}.
 *
 * <p>What it keeps of Retouch: the network itself (with the noise level baked in at export),
 * tiling with overlap and a feathered blend, padding to the network's size multiple, gray models on
 * RGB photos (each channel as a batch element), the scale of super-resolution networks. What only
 * {@link retouch.api.Retouch} does: noise estimation per image (a TorchScript file holds one fixed
 * σ), the refinement stages (BM3D's Wiener stage, the fusion head), the opponent-colour route of
 * gray models on RGB, self-ensembles, blind deblurring's kernel fit and plug-and-play.
 *
 * <p>The tiles of one image go through the network as one batch (a tiny image is one tile), so
 * memory grows with the image, unlike {@code Retouch}; use a smaller {@code tile} for large photos.
 */
public final class RestorerTranslator implements NoBatchifyTranslator<Image, Image> {
    private final int tile;
    private final int overlap;
    private final int multiple;
    private final int channels;

    /**
     * @param tile tile side in input pixels
     * @param overlap pixels shared by neighbouring tiles (less than half the tile)
     * @param multiple the network's size multiple (tiles are padded to it)
     * @param channels channels the network reads (1 or 3); 0: those of each image
     */
    public RestorerTranslator(int tile, int overlap, int multiple, int channels) {
        if (tile < 16 || overlap < 0 || 2 * overlap >= tile || multiple < 1 || (channels != 0 && channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("tile " + tile + ", overlap " + overlap + ", multiple " + multiple + ", channels " + channels + " are not usable");
        }
        this.tile = tile - tile % multiple;
        this.overlap = overlap;
        this.multiple = multiple;
        this.channels = channels;
    }

    /** Tile positions of one image, kept between processInput and processOutput. */
    private record Plan(int c, int h, int w, int th, int tw, int batchPerTile, List<int[]> at) {}

    private static final String PLAN = "retouch.plan";

    @Override
    public NDList processInput(TranslatorContext ctx, Image in) {
        int c = in.channels(), h = in.height(), w = in.width();
        int netC = channels == 0 ? c : channels;
        int per;
        if (netC == c) {
            per = 1;
        } else if (netC == 1) {
            per = c; // a gray network on each channel of a colour photo
        } else {
            throw new IllegalArgumentException("the network reads " + netC + " channels; this image has " + c);
        }
        int th = Math.min(tile, h), tw = Math.min(tile, w);
        List<int[]> at = new ArrayList<>();
        for (int y : positions(h, th)) for (int x : positions(w, tw)) at.add(new int[] {y, x});
        int ph = roundUp(th), pw = roundUp(tw);
        int cin = per == 1 ? c : 1;
        float[] batch = new float[at.size() * per * cin * ph * pw];
        int k = 0;
        for (int[] p : at) {
            Image t = in.crop(p[0], p[1], th, tw);
            if (ph != th || pw != tw) t = t.padReflect(0, ph - th, 0, pw - tw);
            float[] d = t.data();
            System.arraycopy(d, 0, batch, k, d.length);
            k += d.length;
        }
        ctx.setAttachment(PLAN, new Plan(c, h, w, th, tw, per, at));
        NDArray x = ctx.getNDManager().create(batch, new Shape((long) at.size() * per, cin, ph, pw));
        return new NDList(x);
    }

    @Override
    public Image processOutput(TranslatorContext ctx, NDList list) {
        Plan plan = (Plan) ctx.getAttachment(PLAN);
        NDArray y = list.singletonOrThrow();
        long[] s = y.getShape().getShape();
        int oc = (int) s[1] * plan.batchPerTile(), oh = (int) s[2], ow = (int) s[3];
        int scale = Math.max(1, Math.round((float) oh / roundUp(plan.th())));
        float[] out = y.toFloatArray();
        int H = plan.h() * scale, W = plan.w() * scale, th = plan.th() * scale, tw = plan.tw() * scale, ov = overlap * scale;
        float[] acc = new float[oc * H * W];
        float[] wsum = new float[H * W];
        int tileFloats = oc * oh * ow;
        for (int i = 0; i < plan.at().size(); i++) {
            int y0 = plan.at().get(i)[0] * scale, x0 = plan.at().get(i)[1] * scale;
            for (int yy = 0; yy < th; yy++) {
                float wy = ramp(yy, th, ov, y0 == 0, y0 + th >= H);
                for (int xx = 0; xx < tw; xx++) {
                    float wt = wy * ramp(xx, tw, ov, x0 == 0, x0 + tw >= W);
                    int o = (y0 + yy) * W + x0 + xx;
                    wsum[o] += wt;
                    for (int ch = 0; ch < oc; ch++) acc[ch * H * W + o] += wt * out[i * tileFloats + (ch * oh + yy) * ow + xx];
                }
            }
        }
        for (int ch = 0; ch < oc; ch++) for (int o = 0; o < H * W; o++) acc[ch * H * W + o] /= wsum[o];
        return new Image(oc, H, W, acc);
    }

    /** Blend weight: rises over the overlap at an inner edge, 1 elsewhere (never 0). */
    private static float ramp(int i, int len, int ov, boolean firstEdge, boolean lastEdge) {
        float wgt = 1f;
        if (ov > 0 && !firstEdge && i < ov) wgt = Math.min(wgt, (i + 1f) / (ov + 1f));
        if (ov > 0 && !lastEdge && len - 1 - i < ov) wgt = Math.min(wgt, (len - i) / (ov + 1f));
        return wgt;
    }

    private List<Integer> positions(int len, int t) {
        List<Integer> p = new ArrayList<>();
        if (len <= t) {
            p.add(0);
            return p;
        }
        int step = t - overlap;
        for (int x = 0; ; x += step) {
            int at = Math.min(x, len - t);
            p.add(at);
            if (at + t >= len) break;
        }
        return p;
    }

    private int roundUp(int n) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
