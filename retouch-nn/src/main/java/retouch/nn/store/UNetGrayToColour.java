package retouch.nn.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import retouch.RetouchException;

/**
 * Weights of an RGB inpainting U-Net made from a gray one, as the start of colour training (the
 * {@link GrayToColour} idea for {@code unet}). The first convolution reads image + mask: each colour
 * gets a third of the gray image weights, the mask weights are copied; the head writes the gray
 * filter to R, G and B; every other layer is copied.
 *
 * <p>As with the FFDNet expansion, that start alone is a saddle point for colour (hidden units see
 * only the mean of R, G and B), so both convolutions also get a chroma part: fresh random weights
 * with their mean over the three colours removed, at the gray weights' scale in the first layer and
 * a tenth of it in the head. Their mean over the colours is zero: on a gray photo (R = G = B) the
 * mean of the three filled channels is exactly the gray network's fill.
 */
public final class UNetGrayToColour {
    private UNetGrayToColour() {}

    /** Whether {@link #weights} applies: inpainting U-Nets, gray to RGB, same levels and width. */
    public static boolean applies(ModelMeta from, ModelMeta to) {
        return "unet".equals(from.architecture()) && "unet".equals(to.architecture())
                && from.inputChannels() == 1 && from.outputChannels() == 1 && to.inputChannels() == 3 && to.outputChannels() == 3
                && from.boolParam("mask", true) && to.boolParam("mask", true)
                && from.intParam("levels", 3) == to.intParam("levels", 3)
                && from.intParam("width", 32) == to.intParam("width", 32);
    }

    /** The parameters of the colour U-Net {@code to} made from {@code gray}, in DJL's saveParameters format. */
    public static byte[] weights(Block gray, ModelMeta to, NDManager manager) {
        return ColourExpansion.expand(gray, to, manager, (i, first, last, src, b) -> {
            NDArray a = src.get(i).getValue().getArray();
            float[] g = a.toFloatArray();
            if (i == first) {
                return GrayToColour.add(expandInput(g, a.getShape(), b.getShape()),
                        chromaOfInput(b.toFloatArray(), b.getShape()), GrayToColour.rms(g) / 3);
            }
            if (i == last) {
                return GrayToColour.add(expandOutput(g, a.getShape(), b.getShape()),
                        chromaOfOutput(b.toFloatArray(), b.getShape()), 0.1f * GrayToColour.rms(g));
            }
            if (i == last + 1 && a.getShape().dimension() == 1) {
                return expandOutput(g, a.getShape(), b.getShape()); // the head's bias
            }
            if (a.getShape().equals(b.getShape())) return g;
            throw new RetouchException("parameter " + src.get(i).getKey() + ": gray " + a.getShape() + ", colour " + b.getShape()
                    + "; only the first and last convolutions may differ");
        });
    }

    /** First conv: gray (F, 1+1, k, k) → colour (F, 3+1, k, k); the last input channel is the mask. */
    static float[] expandInput(float[] g, Shape gs, Shape cs) {
        int f = (int) gs.get(0), kk = (int) (gs.get(2) * gs.get(3));
        if (gs.get(1) != 2 || cs.get(1) != 4 || cs.get(0) != f) throw new RetouchException("first convolution " + gs + " cannot become " + cs);
        float[] c = new float[f * 4 * kk];
        for (int o = 0; o < f; o++) {
            for (int t = 0; t < kk; t++) {
                float w = g[(o * 2) * kk + t] / 3;
                for (int ch = 0; ch < 3; ch++) c[(o * 4 + ch) * kk + t] = w;
                c[(o * 4 + 3) * kk + t] = g[(o * 2 + 1) * kk + t];
            }
        }
        return c;
    }

    /** Head (weights or bias, filters first): colour filters 0, 1, 2 get gray filter 0; the rest stay as the gray layer had them. */
    static float[] expandOutput(float[] g, Shape gs, Shape cs) {
        if (!gs.equals(cs) || gs.get(0) < 3) throw new RetouchException("last convolution " + gs + " cannot become " + cs);
        int per = (int) (gs.size() / gs.get(0));
        float[] c = g.clone();
        for (int ch = 1; ch < 3; ch++) System.arraycopy(g, 0, c, ch * per, per);
        return c;
    }

    /** Random first-layer weights with their mean over R, G and B removed; mask weights 0. */
    static float[] chromaOfInput(float[] random, Shape cs) {
        int f = (int) cs.get(0), kk = (int) (cs.get(2) * cs.get(3));
        float[] c = new float[random.length];
        for (int o = 0; o < f; o++) {
            for (int t = 0; t < kk; t++) GrayToColour.centre(random, c, (o * 4) * kk + t, (o * 4 + 1) * kk + t, (o * 4 + 2) * kk + t);
        }
        return c;
    }

    /** Random head weights of filters 0, 1, 2 with their mean over the colours removed; other filters 0. */
    static float[] chromaOfOutput(float[] random, Shape cs) {
        int per = (int) (cs.size() / cs.get(0));
        float[] c = new float[random.length];
        for (int j = 0; j < per; j++) GrayToColour.centre(random, c, j, per + j, 2 * per + j);
        return c;
    }
}
