package retouch.nn.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import retouch.RetouchException;

/**
 * Weights of an RGB FFDNet-style network made from a gray one, as the start of colour training.
 * The middle layers are copied; the first convolution reads each colour's four sub-pixel planes
 * with a third of the gray weights (the level plane as before); the last convolution writes the
 * gray filters to each colour's four sub-pixel planes. Sub-pixel planes follow
 * {@link retouch.nn.blocks.Layers#pixelUnshuffle}: channel c·4 + (dy·2 + dx).
 *
 * <p>That alone is a saddle point for training: every hidden unit sees only the mean of R, G and
 * B, and the error it is sent back is only the mean of the three channels' errors, so the chroma
 * noise gives no expected gradient (a colour run started so stayed at luminance-only denoising for
 * 500 steps, though runs from scratch also start slowly: docs/MODELS.md). Both convolutions therefore also get a chroma
 * part: the fresh random initialisation with its mean over the three colours removed, at the
 * scale of the gray layer's weights (first convolution) or a tenth of it (last, so that the start
 * stays close to the gray network). On a gray photo (R = G = B) the first part adds nothing and
 * the mean of the three channels' corrections is exactly the gray network's.
 */
public final class GrayToColour {
    private GrayToColour() {}

    /** Whether {@link #weights} applies: FFDNet-style, gray to RGB, same depth and width. */
    public static boolean applies(ModelMeta from, ModelMeta to) {
        return "ffdnet".equals(from.architecture()) && "ffdnet".equals(to.architecture())
                && from.inputChannels() == 1 && from.outputChannels() == 1 && to.inputChannels() == 3 && to.outputChannels() == 3
                && String.valueOf(from.hyperParameters().get("depth")).equals(String.valueOf(to.hyperParameters().get("depth")))
                && String.valueOf(from.hyperParameters().get("width")).equals(String.valueOf(to.hyperParameters().get("width")));
    }

    /**
     * The parameters of a colour network for {@code to} made from the gray {@code gray}, in DJL's
     * {@link Block#saveParameters} format (for {@link ModelFile#replaceParameters}).
     */
    public static byte[] weights(Block gray, ModelMeta to, NDManager manager) {
        return ColourExpansion.expand(gray, to, manager, (i, first, last, src, b) -> {
            NDArray a = src.get(i).getValue().getArray();
            if (i == first) {
                float[] g = a.toFloatArray();
                return add(expandInput(g, a.getShape(), b.getShape()),
                        chromaOfInput(b.toFloatArray(), b.getShape()), rms(g) / 3 * FIRST_CHROMA_SCALE);
            }
            if (i == last) {
                float[] g = a.toFloatArray();
                return add(expandOutput(g, a.getShape(), b.getShape()),
                        chromaOfOutput(b.toFloatArray(), b.getShape()), rms(g, 4 * (int) (a.getShape().size() / a.getShape().get(0))) * LAST_CHROMA_SCALE);
            }
            if (a.getShape().equals(b.getShape())) return a.toFloatArray();
            throw new RetouchException("parameter " + src.get(i).getKey() + ": gray " + a.getShape() + ", colour " + b.getShape()
                    + "; only the first and last convolutions may differ");
        });
    }

    /** First conv: gray (F, 4+1, k, k) → colour (F, 12+1, k, k); colour c reads a third of the gray weights. */
    static float[] expandInput(float[] g, Shape gs, Shape cs) {
        int f = (int) gs.get(0), gin = (int) gs.get(1), cin = (int) cs.get(1), kk = (int) (gs.get(2) * gs.get(3));
        int sub = gin - 1;
        if (cs.get(0) != f || cin != 3 * sub + 1) throw new RetouchException("first convolution " + gs + " cannot become " + cs);
        float[] c = new float[f * cin * kk];
        for (int o = 0; o < f; o++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int s = 0; s < sub; s++) {
                    System.arraycopy(scaled(g, (o * gin + s) * kk, kk, 1f / 3), 0, c, (o * cin + ch * sub + s) * kk, kk);
                }
            }
            System.arraycopy(g, (o * gin + sub) * kk, c, (o * cin + 3 * sub) * kk, kk); // the level plane
        }
        return c;
    }

    /**
     * Last conv: filters 0..3 of the gray layer write its four sub-pixel planes; colour filter
     * c·4 + s gets gray filter s. Thin layers are computed with more filters than kept
     * ({@link retouch.nn.blocks.Layers#conv}); the extra ones stay as the gray layer had them.
     */
    static float[] expandOutput(float[] g, Shape gs, Shape cs) {
        if (!gs.equals(cs)) throw new RetouchException("last convolution " + gs + " cannot become " + cs);
        int per = (int) (gs.size() / gs.get(0));
        if (gs.get(0) < 12) throw new RetouchException("last convolution " + gs + " has fewer than 12 filters");
        float[] c = g.clone();
        for (int ch = 0; ch < 3; ch++) {
            for (int s = 0; s < 4; s++) System.arraycopy(g, s * per, c, (ch * 4 + s) * per, per);
        }
        return c;
    }

    /** Scale of the chroma parts, relative to the gray layer's weights (see the class comment). */
    static final float FIRST_CHROMA_SCALE = 1f, LAST_CHROMA_SCALE = 0.1f;

    /** The first convolution's random weights (F, 12+1, k, k) with their mean over the colours removed, level plane 0. */
    static float[] chromaOfInput(float[] random, Shape cs) {
        int f = (int) cs.get(0), cin = (int) cs.get(1), kk = (int) (cs.get(2) * cs.get(3)), sub = (cin - 1) / 3;
        float[] c = new float[random.length];
        for (int o = 0; o < f; o++) {
            for (int s = 0; s < sub; s++) {
                for (int t = 0; t < kk; t++) {
                    centre(random, c, (o * cin + s) * kk + t, (o * cin + sub + s) * kk + t, (o * cin + 2 * sub + s) * kk + t);
                }
            }
        }
        return c;
    }

    /** The last convolution's random weights with their mean over the colours removed (filters c·4 + s); other filters 0. */
    static float[] chromaOfOutput(float[] random, Shape cs) {
        int per = (int) (cs.size() / cs.get(0));
        float[] c = new float[random.length];
        for (int s = 0; s < 4; s++) {
            for (int j = 0; j < per; j++) {
                centre(random, c, s * per + j, (4 + s) * per + j, (8 + s) * per + j);
            }
        }
        return c;
    }

    /** Writes the R, G and B weights at {@code r}, {@code g}, {@code b} of {@code from} minus their mean into {@code to}. */
    static void centre(float[] from, float[] to, int r, int g, int b) {
        float mean = (from[r] + from[g] + from[b]) / 3;
        to[r] = from[r] - mean;
        to[g] = from[g] - mean;
        to[b] = from[b] - mean;
    }

    /** {@code base + part · target / rms(part)}: the part rescaled to the root mean square {@code target}. */
    static float[] add(float[] base, float[] part, float target) {
        float r = rms(part);
        float k = r > 0 ? target / r : 0;
        float[] out = base.clone();
        for (int i = 0; i < out.length; i++) out[i] += k * part[i];
        return out;
    }

    static float rms(float[] a) {
        return rms(a, a.length);
    }

    /** Root mean square of the first {@code n} values (a layer's kept filters). */
    private static float rms(float[] a, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += (double) a[i] * a[i];
        return n == 0 ? 0 : (float) Math.sqrt(sum / n);
    }

    private static float[] scaled(float[] a, int from, int n, float k) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = a[from + i] * k;
        return out;
    }
}
