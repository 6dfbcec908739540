package retouch.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import retouch.RetouchException;

/**
 * Differentiable augmentation for GAN training (Zhao et al. 2020, "Differentiable Augmentation for
 * Data-Efficient GAN Training"): the same kind of random transform is applied to real and fake
 * images before the discriminator, in both the D and the G step, and gradients flow through it to
 * G. With few images D otherwise memorises the training set and G's gradients become useless.
 *
 * <p>Policies, as in the paper: {@code color} (brightness ±0.5, saturation ×[0,2], contrast
 * ×[0.5,1.5]), {@code translation} (shift by up to 1/8 of the side, zero = mid-gray fill) and
 * {@code cutout} (a zeroed square of half the side at a random place). Images are N×C×H×W in
 * [-1, 1]. Randomness comes from the caller's {@link Random}, so a seeded run resumes exactly.
 *
 * <p>Each transform is applied to each image with probability {@link #probability()} (1 by default:
 * always). With {@link AdaptiveAugment} the probability follows how much the discriminator
 * overfits (Karras et al. 2020, ADA), so a run that does not need augmentation gets little.
 */
public final class DiffAugment {

    /** One kind of transform. */
    public enum Policy { COLOR, TRANSLATION, CUTOUT }

    private final Set<Policy> policies;
    private volatile float probability = 1f;

    private DiffAugment(Set<Policy> policies) {
        this.policies = policies;
    }

    /** The chance that each transform is applied to an image, in [0, 1]. */
    public float probability() {
        return probability;
    }

    /** Sets the chance that each transform is applied to an image (1: always, as the paper). */
    public DiffAugment setProbability(float p) {
        if (!(p >= 0 && p <= 1)) throw new RetouchException("augmentation probability must be in [0, 1], got " + p);
        this.probability = p;
        return this;
    }

    /** No augmentation. */
    public static DiffAugment none() {
        return new DiffAugment(EnumSet.noneOf(Policy.class));
    }

    /**
     * Parses a comma-separated list such as {@code color,translation,cutout}; {@code none} or an
     * empty string gives no augmentation.
     */
    public static DiffAugment parse(String spec) {
        EnumSet<Policy> set = EnumSet.noneOf(Policy.class);
        if (spec == null || spec.isBlank() || spec.equalsIgnoreCase("none")) return new DiffAugment(set);
        for (String part : spec.split(",")) {
            String p = part.trim().toUpperCase(Locale.ROOT);
            if (p.equals("COLOUR")) p = "COLOR";
            try {
                set.add(Policy.valueOf(p));
            } catch (IllegalArgumentException e) {
                throw new RetouchException("unknown augmentation '" + part.trim() + "': use color, translation, cutout or none");
            }
        }
        return new DiffAugment(set);
    }

    public boolean enabled() {
        return !policies.isEmpty();
    }

    /** The spec as written in model.json, e.g. {@code color,translation,cutout} or {@code none}. */
    public String id() {
        if (policies.isEmpty()) return "none";
        StringBuilder b = new StringBuilder();
        for (Policy p : policies) b.append(b.length() == 0 ? "" : ",").append(p.name().toLowerCase(Locale.ROOT));
        return b.toString();
    }

    /** {@code x} transformed (a new array in {@code m}; {@code x} itself when disabled). */
    public NDArray apply(NDManager m, NDArray x, Random r) {
        float p = probability;
        if (policies.isEmpty() || p == 0) return x;
        Shape s = x.getShape();
        int n = (int) s.get(0), c = (int) s.get(1), h = (int) s.get(2), w = (int) s.get(3);
        NDArray out = x;
        if (policies.contains(Policy.COLOR)) out = colour(m, out, r, n, c, p);
        boolean move = policies.contains(Policy.TRANSLATION), cut = policies.contains(Policy.CUTOUT);
        if (move || cut) out = translateAndCut(m, out, r, n, c, h, w, move, cut, p);
        return out;
    }

    /** Whether each of {@code n} images gets a transform; all when {@code p} is 1 (no draws, so p = 1 runs are unchanged). */
    private static boolean[] chosen(Random r, int n, float p) {
        boolean[] on = new boolean[n];
        for (int i = 0; i < n; i++) on[i] = p >= 1 || r.nextFloat() < p;
        return on;
    }

    /** A per-image factor drawn from [lo, hi], or {@code identity} for images not chosen. */
    private static NDArray perSample(NDManager m, Random r, boolean[] on, float lo, float hi, float identity) {
        float[] v = new float[on.length];
        for (int i = 0; i < on.length; i++) {
            float draw = lo + (hi - lo) * r.nextFloat(); // drawn for every image: the same stream whatever is chosen
            v[i] = on[i] ? draw : identity;
        }
        return m.create(v, new Shape(on.length, 1, 1, 1));
    }

    private static NDArray colour(NDManager m, NDArray x, Random r, int n, int c, float p) {
        boolean[] on = chosen(r, n, p);
        x = x.add(perSample(m, r, on, -0.5f, 0.5f, 0f));
        if (c > 1) {
            NDArray mean = x.mean(new int[] {1}, true);
            x = x.sub(mean).mul(perSample(m, r, on, 0f, 2f, 1f)).add(mean);
        }
        // Mean over C, H and W in two reductions (the engine has no multi-axis mean here).
        NDArray mean = x.reshape(n, -1).mean(new int[] {1}, true).reshape(n, 1, 1, 1);
        return x.sub(mean).mul(perSample(m, r, on, 0.5f, 1.5f, 1f)).add(mean);
    }

    /**
     * Shift and cutout as one gather: out[n,c,i,j] = x[n,c,i-dy,j-dx] inside the image and outside
     * the cutout square, 0 elsewhere. The gather's gradient scatters back to the source pixels.
     */
    private static NDArray translateAndCut(NDManager m, NDArray x, Random r, int n, int c, int h, int w,
                                           boolean move, boolean cut, float prob) {
        int plane = h * w;
        long[] index = new long[n * c * plane];
        float[] keep = new float[n * plane];
        int maxDy = Math.max(1, (int) (h * 0.125f + 0.5f)), maxDx = Math.max(1, (int) (w * 0.125f + 0.5f));
        int cutH = (int) (h * 0.5f + 0.5f), cutW = (int) (w * 0.5f + 0.5f);
        boolean[] moved = move ? chosen(r, n, prob) : new boolean[n], cutOut = cut ? chosen(r, n, prob) : new boolean[n];
        for (int k = 0; k < n; k++) {
            int dy = move ? r.nextInt(2 * maxDy + 1) - maxDy : 0;
            int dx = move ? r.nextInt(2 * maxDx + 1) - maxDx : 0;
            int cy = cut ? r.nextInt(h + (1 - cutH % 2)) - cutH / 2 : -h;
            int cx = cut ? r.nextInt(w + (1 - cutW % 2)) - cutW / 2 : -w;
            if (!moved[k]) dy = dx = 0;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int si = i - dy, sj = j - dx;
                    boolean inside = si >= 0 && si < h && sj >= 0 && sj < w;
                    boolean inCut = cutOut[k] && i >= cy && i < cy + cutH && j >= cx && j < cx + cutW;
                    int p = i * w + j;
                    keep[k * plane + p] = inside && !inCut ? 1f : 0f;
                    long src = inside ? (long) si * w + sj : p;
                    for (int ch = 0; ch < c; ch++) index[(k * c + ch) * plane + p] = src;
                }
            }
        }
        NDArray idx = m.create(index, new Shape(n, c, plane));
        NDArray mask = m.create(keep, new Shape(n, 1, h, w));
        return x.reshape(n, c, plane).gather(idx, 2).reshape(n, c, h, w).mul(mask);
    }
}
