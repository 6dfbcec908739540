package retouch.nn.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import retouch.RetouchException;
import retouch.image.OpponentColour;

/**
 * An RGB FFDNet-style network three times as wide as a gray one that starts as exactly what
 * Retouch does with the gray network on a colour photo: the gray network on each plane of the
 * opponent colour space ({@link OpponentColour}; luminance at a level of σ/√3, the two chroma
 * planes at σ). The hidden units form three blocks, one per plane, each a copy of the gray
 * network's; the colour transform is folded into the first convolution (its +½ chroma offsets into
 * the bias) and its inverse into the last. Cross-block weights start at zero but get gradients, so
 * fine-tuning on colour photos can only start from the opponent pipeline's quality and learn what
 * the three planes tell each other — which an RGB network trained from scratch needs many more
 * steps to reach (docs/MODELS.md, denoise-color).
 *
 * <p>Exact up to the image border: the gray network pads a chroma plane with 0, this one in effect
 * with ½ (the offset lives in the bias), so the outermost pixels differ slightly.
 */
public final class OpponentColourInit {
    private OpponentColourInit() {}

    private static final float S2 = (float) Math.sqrt(2), S3 = (float) Math.sqrt(3), S6 = (float) Math.sqrt(6);
    /** RGB → opponent planes (linear part of {@link OpponentColour#split}). */
    static final float[][] FORWARD = {{1 / 3f, 1 / 3f, 1 / 3f}, {1 / S2, 0, -1 / S2}, {1 / S6, -2 / S6, 1 / S6}};
    /** Opponent planes → RGB (linear part of {@link OpponentColour#merge}). */
    static final float[][] INVERSE = {{1, 1 / S2, 1 / S6}, {1, 0, -2 / S6}, {1, -1 / S2, 1 / S6}};
    /** Constant added to each plane by {@link OpponentColour#split}. */
    static final float[] OFFSET = {0, 0.5f, 0.5f};
    /** Noise level of each plane relative to the per-channel σ (the luminance averages three channels). */
    static final float[] LEVEL = {1 / S3, 1, 1};

    /** Whether {@link #weights} applies: FFDNet-style, gray to RGB, same depth, three times the width, same residual form. */
    public static boolean applies(ModelMeta from, ModelMeta to) {
        if (!"ffdnet".equals(from.architecture()) || !"ffdnet".equals(to.architecture())) return false;
        if (from.inputChannels() != 1 || from.outputChannels() != 1 || to.inputChannels() != 3 || to.outputChannels() != 3) return false;
        Object fd = from.hyperParameters().get("depth"), td = to.hyperParameters().get("depth");
        Object fr = from.hyperParameters().getOrDefault("residual", true), tr = to.hyperParameters().getOrDefault("residual", true);
        return String.valueOf(fd).equals(String.valueOf(td)) && String.valueOf(fr).equals(String.valueOf(tr))
                && intOf(to, "width") == 3 * intOf(from, "width");
    }

    private static int intOf(ModelMeta m, String key) {
        Object v = m.hyperParameters().get(key);
        return v == null ? -1 : (int) Double.parseDouble(String.valueOf(v));
    }

    /** The parameters of the colour network for {@code to} made from {@code gray}, in DJL's {@link Block#saveParameters} format. */
    public static byte[] weights(Block gray, ModelMeta to, NDManager manager) {
        return ColourExpansion.expand(gray, to, manager, (i, first, last, src, b) -> {
            NDArray a = src.get(i).getValue().getArray();
            float[] g = a.toFloatArray();
            Shape gs = a.getShape(), cs = b.getShape();
            if (i == first) return firstConv(g, gs, cs);
            if (i == first + 1 && gs.dimension() == 1 && src.get(i).getKey().endsWith("bias")) {
                NDArray w = src.get(first).getValue().getArray();
                return firstBias(g, w.toFloatArray(), w.getShape());
            }
            if (i == last) return lastConv(g, gs, cs);
            if (gs.dimension() == 4) return blockDiagonal(g, gs, cs);
            if (gs.dimension() == 1 && cs.get(0) == 3 * gs.get(0)) {
                float[] values = new float[3 * g.length];
                for (int p = 0; p < 3; p++) System.arraycopy(g, 0, values, p * g.length, g.length);
                return values;
            }
            throw new RetouchException("parameter " + src.get(i).getKey() + ": gray " + gs + ", colour " + cs + " is not a three-block copy");
        });
    }

    /**
     * First conv: gray (F, 4+1, k, k) → colour (3F, 12+1, k, k). Unit p·F + f reads colour c's
     * sub-pixel plane s with the gray weight times the transform's (p, c) entry, and the level
     * plane scaled to plane p's noise level.
     */
    static float[] firstConv(float[] g, Shape gs, Shape cs) {
        int f = (int) gs.get(0), gin = (int) gs.get(1), kk = (int) (gs.get(2) * gs.get(3)), sub = gin - 1;
        int cin = (int) cs.get(1);
        if (cs.get(0) != 3L * f || cin != 3 * sub + 1) throw new RetouchException("first convolution " + gs + " cannot become " + cs);
        float[] c = new float[3 * f * cin * kk];
        for (int p = 0; p < 3; p++) {
            for (int o = 0; o < f; o++) {
                int row = (p * f + o) * cin;
                for (int ch = 0; ch < 3; ch++) {
                    for (int s = 0; s < sub; s++) {
                        for (int t = 0; t < kk; t++) c[(row + ch * sub + s) * kk + t] = FORWARD[p][ch] * g[(o * gin + s) * kk + t];
                    }
                }
                for (int t = 0; t < kk; t++) c[(row + 3 * sub) * kk + t] = LEVEL[p] * g[(o * gin + sub) * kk + t];
            }
        }
        return c;
    }

    /** First bias: the gray bias per block plus the plane's offset seen through the image weights. */
    static float[] firstBias(float[] bias, float[] w, Shape ws) {
        int f = (int) ws.get(0), gin = (int) ws.get(1), kk = (int) (ws.get(2) * ws.get(3));
        float[] c = new float[3 * f];
        for (int p = 0; p < 3; p++) {
            for (int o = 0; o < f; o++) {
                double sum = 0;
                for (int j = 0; j < (gin - 1) * kk; j++) sum += w[o * gin * kk + j];
                c[p * f + o] = bias[o] + (float) (OFFSET[p] * sum);
            }
        }
        return c;
    }

    /** A middle conv (F, F, k, k) → (3F, 3F, k, k) with the gray weights on the diagonal blocks, zero elsewhere. */
    static float[] blockDiagonal(float[] g, Shape gs, Shape cs) {
        int f = (int) gs.get(0), fin = (int) gs.get(1), kk = (int) (gs.get(2) * gs.get(3));
        if (cs.get(0) != 3L * f || cs.get(1) != 3L * fin) throw new RetouchException("convolution " + gs + " cannot become " + cs);
        float[] c = new float[9 * f * fin * kk];
        for (int p = 0; p < 3; p++) {
            for (int o = 0; o < f; o++) {
                for (int i = 0; i < fin; i++) {
                    System.arraycopy(g, (o * fin + i) * kk, c, ((p * f + o) * 3 * fin + p * fin + i) * kk, kk);
                }
            }
        }
        return c;
    }

    /**
     * Last conv: gray (K, F, k, k) writing sub-pixel planes 0..3 → colour (K', 3F, k, k) writing
     * colour c's plane s (filter c·4 + s) as the inverse transform of the three blocks' outputs.
     * Filters beyond the kept ones (thin layers, {@link retouch.nn.blocks.Layers#conv}) stay zero.
     */
    static float[] lastConv(float[] g, Shape gs, Shape cs) {
        int fin = (int) gs.get(1), kk = (int) (gs.get(2) * gs.get(3));
        if (cs.get(1) != 3L * fin || cs.get(0) < 12 || gs.get(0) < 4) throw new RetouchException("last convolution " + gs + " cannot become " + cs);
        float[] c = new float[(int) cs.size()];
        for (int ch = 0; ch < 3; ch++) {
            for (int s = 0; s < 4; s++) {
                for (int p = 0; p < 3; p++) {
                    for (int i = 0; i < fin; i++) {
                        for (int t = 0; t < kk; t++) {
                            c[((ch * 4 + s) * 3 * fin + p * fin + i) * kk + t] = INVERSE[ch][p] * g[(s * fin + i) * kk + t];
                        }
                    }
                }
            }
        }
        return c;
    }
}
