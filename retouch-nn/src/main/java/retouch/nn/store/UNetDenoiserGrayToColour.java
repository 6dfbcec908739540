package retouch.nn.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;

/**
 * An RGB denoising U-Net ({@code unet-denoiser}: deblurring, JPEG repair and denoising networks)
 * started from a gray one of the same width, levels and blocks (the {@link GrayToColour} idea for
 * this architecture). The first layer reads the pixel-unshuffled input (channel c·4 + sub-pixel s,
 * then the level map): the gray filter of sub-pixel s goes to each colour at a third of its weight,
 * the level map's filter is kept; the last layer's filter for sub-pixel s is copied to each colour;
 * every other parameter is copied as it is.
 *
 * <p>That start alone is a saddle point for colour: the hidden units see only the mean of R, G and
 * B, and the gradients of the colour filters are equal in expectation, so chroma is never learnt
 * (measured: an RGB denoiser started that way stayed at the luminance-only result, 22.0 dB at σ 25,
 * for 1,000 steps). So both layers also get a chroma part: the colour network's own random weights
 * with their mean over the three colours removed, at the gray weights' scale in the first layer and a
 * tenth of it in the last. Their mean over the colours is zero, so on a gray photo (R = G = B) the
 * mean of the three outputs is exactly the gray network's output.
 */
public final class UNetDenoiserGrayToColour {
    private UNetDenoiserGrayToColour() {}

    /** Whether {@link #copyInto} applies: denoising U-Nets, gray to RGB, same width, levels and blocks. */
    public static boolean applies(ModelMeta from, ModelMeta to) {
        String unet = "unet-denoiser";
        return unet.equals(from.architecture()) && unet.equals(to.architecture())
                && from.inputChannels() == 1 && to.inputChannels() == 3
                && from.intParam("width", -1) == to.intParam("width", -1)
                && from.intParam("levels", -1) == to.intParam("levels", -1)
                && from.intParam("blocks", -1) == to.intParam("blocks", -1);
    }

    /** Sets the freshly initialised RGB U-Net {@code colour} from {@code gray} as the class comment says (its random weights give the chroma parts). */
    public static void copyInto(Block gray, Block colour) {
        Map<String, Parameter> source = new HashMap<>();
        for (Pair<String, Parameter> p : gray.getParameters()) source.put(p.getKey(), p.getValue());
        for (Pair<String, Parameter> p : colour.getParameters()) {
            NDArray target = p.getValue().getArray();
            float[] g = source.get(p.getKey()).getArray().toType(DataType.FLOAT32, false).toFloatArray();
            float[] random = target.toFloatArray();
            long[] shape = target.getShape().getShape();
            if (p.getKey().contains("head")) {
                int out = (int) shape[0], in = (int) shape[1], k = (int) (shape[2] * shape[3]);
                target.set(GrayToColour.add(expandHead(g, out, in, k), chromaOfHead(random, out, in, k), GrayToColour.rms(g) / 3));
            } else if (p.getKey().contains("tail")) {
                int rest = (int) (shape[1] * shape[2] * shape[3]);
                target.set(GrayToColour.add(expandTail(g, (int) shape[0], rest), chromaOfTail(random, rest), 0.1f * GrayToColour.rms(g)));
            } else {
                target.set(g);
            }
        }
    }

    /** First-layer filters [out][4·3 + 1][k]: colour c, sub-pixel s takes gray input s / 3; the level map's filter is kept. */
    static float[] expandHead(float[] gray, int out, int in, int k) {
        float[] w = new float[out * in * k];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < 3; c++) {
                for (int s = 0; s < 4; s++) {
                    for (int j = 0; j < k; j++) w[(o * in + c * 4 + s) * k + j] = gray[(o * 5 + s) * k + j] / 3;
                }
            }
            for (int j = 0; j < k; j++) w[(o * in + 12) * k + j] = gray[(o * 5 + 4) * k + j];
        }
        return w;
    }

    /** Last-layer filters [4·3][rest]: colour c, sub-pixel s is the gray filter s. */
    static float[] expandTail(float[] gray, int out, int rest) {
        float[] w = new float[out * rest];
        for (int o = 0; o < out; o++) System.arraycopy(gray, (o % 4) * rest, w, o * rest, rest);
        return w;
    }

    /** Random first-layer weights with their mean over R, G and B (per sub-pixel) removed; the level map's filter 0. */
    static float[] chromaOfHead(float[] random, int out, int in, int k) {
        float[] c = new float[random.length];
        for (int o = 0; o < out; o++) {
            for (int s = 0; s < 4; s++) {
                for (int j = 0; j < k; j++) {
                    GrayToColour.centre(random, c, (o * in + s) * k + j, (o * in + 4 + s) * k + j, (o * in + 8 + s) * k + j);
                }
            }
        }
        return c;
    }

    /** Random last-layer weights with their mean over the colours (per sub-pixel) removed. */
    static float[] chromaOfTail(float[] random, int rest) {
        float[] c = new float[random.length];
        for (int s = 0; s < 4; s++) {
            for (int j = 0; j < rest; j++) GrayToColour.centre(random, c, s * rest + j, (4 + s) * rest + j, (8 + s) * rest + j);
        }
        return c;
    }
}
