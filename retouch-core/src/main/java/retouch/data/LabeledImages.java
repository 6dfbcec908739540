package retouch.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import retouch.RetouchException;
import retouch.image.Image;

/**
 * A small labeled image set held as bytes (MNIST-like: 60,000 × 28 × 28 is 47 MB as bytes, four
 * times that as floats), converted to floats in [0,1] only for the batch being used.
 *
 * @param pixels     n*h*w gray samples, row-major per image, unsigned bytes 0..255
 * @param n          number of images
 * @param h          image height
 * @param w          image width
 * @param labels     n class indices into {@code classNames}
 * @param classNames human-readable class names, index = label
 */
public record LabeledImages(byte[] pixels, int n, int h, int w, int[] labels, List<String> classNames) {

    /** Extra spellings accepted by {@link #classIndex(String)}, normalized (lower case, letters and digits). */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("tee", "t-shirt/top"), Map.entry("tshirt", "t-shirt/top"), Map.entry("top", "t-shirt/top"),
            Map.entry("boot", "ankle boot"), Map.entry("ankleboot", "ankle boot"), Map.entry("sweater", "pullover"),
            Map.entry("trousers", "trouser"), Map.entry("pants", "trouser"), Map.entry("sneakers", "sneaker"),
            Map.entry("zero", "0"), Map.entry("one", "1"), Map.entry("two", "2"), Map.entry("three", "3"),
            Map.entry("four", "4"), Map.entry("five", "5"), Map.entry("six", "6"), Map.entry("seven", "7"),
            Map.entry("eight", "8"), Map.entry("nine", "9"));

    public LabeledImages {
        Objects.requireNonNull(pixels);
        Objects.requireNonNull(labels);
        classNames = List.copyOf(classNames);
        if (n < 0 || h <= 0 || w <= 0 || (long) n * h * w != pixels.length) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, expected " + n + "x" + h + "x" + w);
        }
        if (labels.length != n) throw new IllegalArgumentException(labels.length + " labels for " + n + " images");
    }

    public int size() { return n; }

    public int label(int i) { return labels[i]; }

    /** Image {@code i} as a gray {@link Image} with values k/255. */
    public Image image(int i) {
        float[] out = new float[h * w];
        copyFloats(i, 1, out, 0);
        return new Image(1, h, w, out);
    }

    /** Images {@code from .. from+count-1} as floats in [0,1] into {@code dst} at {@code offset}. */
    public void copyFloats(int from, int count, float[] dst, int offset) {
        int len = count * h * w, src = from * h * w;
        for (int k = 0; k < len; k++) dst[offset + k] = (pixels[src + k] & 0xff) / 255f;
    }

    /** The images at {@code indices}, in that order, as one N*H*W float array (a training batch). */
    public float[] batch(int[] indices) {
        int hw = h * w;
        float[] out = new float[indices.length * hw];
        for (int i = 0; i < indices.length; i++) copyFloats(indices[i], 1, out, i * hw);
        return out;
    }

    /** All images as floats in [0,1] (n*h*w). */
    public float[] floats() {
        float[] out = new float[pixels.length];
        copyFloats(0, n, out, 0);
        return out;
    }

    /** Images at {@code indices}, in that order. */
    public LabeledImages select(int[] indices) {
        int hw = h * w;
        byte[] px = new byte[indices.length * hw];
        int[] lab = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * hw, px, i * hw, hw);
            lab[i] = labels[indices[i]];
        }
        return new LabeledImages(px, indices.length, h, w, lab, classNames);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive). */
    public LabeledImages subset(int from, int to) {
        if (from < 0 || to > n || from > to) throw new IndexOutOfBoundsException("subset " + from + ".." + to + " of " + n);
        int hw = h * w;
        return new LabeledImages(Arrays.copyOfRange(pixels, from * hw, to * hw), to - from, h, w,
                Arrays.copyOfRange(labels, from, to), classNames);
    }

    /** Only the images of one class, in their original order. */
    public LabeledImages withLabel(int classIndex) {
        int[] idx = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) if (labels[i] == classIndex) idx[k++] = i;
        return select(Arrays.copyOf(idx, k));
    }

    /** A seeded permutation of the set (Fisher–Yates on {@link SplittableRandom}). */
    public LabeledImages shuffled(long seed) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = idx[i]; idx[i] = idx[j]; idx[j] = t;
        }
        return select(idx);
    }

    /** How many images each class has. */
    public int[] classCounts() {
        int[] c = new int[classNames.size()];
        for (int l : labels) if (l >= 0 && l < c.length) c[l]++;
        return c;
    }

    /**
     * The class a user named: the class name or one of its parts ("t-shirt/top" answers to
     * "t-shirt", "tshirt", "top"; "ankle boot" to "boot"), a known alias, or a class number —
     * all case-insensitive, so {@code --label Sneaker} and {@code --label 7} both work.
     */
    public int classIndex(String label) {
        String want = norm(label);
        if (want.isEmpty()) throw unknownLabel(label);
        for (int i = 0; i < classNames.size(); i++) if (norm(classNames.get(i)).equals(want)) return i;
        String alias = ALIASES.get(want);
        if (alias != null) {
            for (int i = 0; i < classNames.size(); i++) if (classNames.get(i).equals(alias)) return i;
        }
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < classNames.size(); i++) {
            for (String part : classNames.get(i).split("[/\\s,]+")) {
                if (norm(part).equals(want) || norm(part + "s").equals(want)) { hits.add(i); break; }
            }
        }
        if (hits.size() == 1) return hits.get(0);
        if (want.chars().allMatch(Character::isDigit) && want.length() < 6) {
            int k = Integer.parseInt(want);
            if (k < classNames.size()) return k;
        }
        throw unknownLabel(label);
    }

    private RetouchException unknownLabel(String label) {
        return new RetouchException("unknown label '" + label + "'; choose one of: " + String.join(", ", classNames)
                + " (or its number 0-" + (classNames.size() - 1) + ")");
    }

    private static String norm(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    @Override
    public String toString() {
        return "LabeledImages[" + n + " x " + h + "x" + w + ", " + classNames.size() + " classes]";
    }
}
