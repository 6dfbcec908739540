package retouch.degrade;

import java.nio.file.Path;
import java.util.SplittableRandom;

import retouch.image.Image;

/**
 * Inpainting damage: a hole mask (see {@link Masks}) is generated for the image size and the
 * hole pixels are overwritten with a constant {@code fill} (default 0, i.e. black, as in
 * DeepFill/LaMa pipelines that also feed the mask as an extra channel) in every channel.
 * Use {@link #applyWithMask} to get the mask together with the damaged image.
 */
public final class MaskDegradation implements Degradation {
    /** Makes a hole mask (1 = hole) for an image of the given size. */
    @FunctionalInterface
    public interface Generator {
        Image generate(int height, int width, SplittableRandom rng);
    }

    private final Generator generator;
    private final String baseSpec;
    private final float fill;

    /** A custom generator; {@code spec} should be a parseable mask spec such as {@code "mask:box:0.5"}. */
    public MaskDegradation(Generator generator, String spec, float fill) {
        this.generator = generator;
        this.baseSpec = spec;
        this.fill = fill;
    }

    /** Centre box with sides {@code fraction} of the image sides. */
    public static MaskDegradation centerBox(double fraction) {
        Masks.centerBox(8, 8, fraction); // validates
        return new MaskDegradation((h, w, r) -> Masks.centerBox(h, w, fraction), "mask:box:" + Filters.num(fraction), 0f);
    }

    /** Centre box of a fixed pixel size. */
    public static MaskDegradation centerBox(int boxH, int boxW) {
        if (boxH <= 0 || boxW <= 0) throw new IllegalArgumentException("box size must be positive");
        return new MaskDegradation((h, w, r) -> Masks.centerBox(h, w, boxH, boxW), "mask:box:" + boxW + "x" + boxH, 0f);
    }

    /** {@code count} random boxes (any coverage). */
    public static MaskDegradation boxes(int count) {
        return boxes(count, 0, 1);
    }

    /** {@code count} random boxes with coverage in [lo, hi]. */
    public static MaskDegradation boxes(int count, double lo, double hi) {
        Masks.checkRange(lo, hi);
        if (count < 1) throw new IllegalArgumentException("box count must be at least 1, got " + count);
        String s = "mask:boxes:" + count + (lo == 0 && hi == 1 ? "" : ":" + Filters.num(lo) + "-" + Filters.num(hi));
        return new MaskDegradation((h, w, r) -> Masks.randomBoxes(h, w, count, lo, hi, r), s, 0f);
    }

    /** Free-form brush strokes with coverage in [lo, hi]. */
    public static MaskDegradation freeForm(double lo, double hi) {
        Masks.checkRange(lo, hi);
        return new MaskDegradation((h, w, r) -> Masks.freeForm(h, w, lo, hi, r),
                "mask:free:" + Filters.num(lo) + "-" + Filters.num(hi), 0f);
    }

    /** Thin free-form strokes, brush widths 3–10 px at any image size, coverage in [lo, hi]. */
    public static MaskDegradation thinStrokes(double lo, double hi) {
        Masks.checkRange(lo, hi);
        return new MaskDegradation((h, w, r) -> Masks.freeForm(h, w, lo, hi, Masks.THIN_MIN_WIDTH, Masks.THIN_MAX_WIDTH, r),
                "mask:thin:" + Filters.num(lo) + "-" + Filters.num(hi), 0f);
    }

    /** Irregular blobs (radii 5–35 px at 256 px, scaled with the image), coverage in [lo, hi]; see {@link Masks#blobs}. */
    public static MaskDegradation blobs(double lo, double hi) {
        Masks.checkRange(lo, hi);
        return new MaskDegradation((h, w, r) -> Masks.blobs(h, w, lo, hi, r), "mask:blobs:" + Filters.num(lo) + "-" + Filters.num(hi), 0f);
    }

    /** A mask read once from {@code file} (white = hole), resized nearest to each image. */
    public static MaskDegradation fromFile(Path file) {
        Image picture = Masks.read(file);
        return new MaskDegradation((h, w, r) -> Masks.fromImage(picture, h, w), "mask:file:" + file, 0f);
    }

    /**
     * For each image one mask picture drawn at random (seeded) from the PNGs in {@code dir}, resized
     * (nearest) to the image: e.g. a folder of NVIDIA irregular masks of one coverage bin.
     */
    public static MaskDegradation fromDir(Path dir) {
        java.util.List<Path> files = MaskSet.pngFiles(dir);
        if (files.isEmpty()) throw new retouch.RetouchException("no mask pictures (PNG, white = hole) in " + dir);
        return new MaskDegradation((h, w, r) -> Masks.fromImage(Masks.read(files.get(r.nextInt(files.size()))), h, w),
                "mask:dir:" + dir, 0f);
    }

    /** The same masks, holes filled with {@code value} instead. */
    public MaskDegradation withFill(float value) {
        return new MaskDegradation(generator, baseSpec, value);
    }

    public float fill() { return fill; }

    /** A mask for an image of the given size (consumes the same draws as {@link #apply}). */
    public Image mask(int height, int width, SplittableRandom rng) {
        return generator.generate(height, width, rng);
    }

    @Override
    public Degraded applyWithMask(Image clean, SplittableRandom rng) {
        Image mask = generator.generate(clean.height(), clean.width(), rng);
        return new Degraded(applyMask(clean, mask, fill), mask);
    }

    /** {@code clean} with the holes of {@code mask} (≥ 0.5) set to {@code fill}. */
    public static Image applyMask(Image clean, Image mask, float fill) {
        if (mask.height() != clean.height() || mask.width() != clean.width()) {
            throw new IllegalArgumentException("mask " + mask.shapeString() + " does not match image " + clean.shapeString());
        }
        Image out = clean.copy();
        float[] o = out.data(), m = mask.data();
        int n = clean.pixels();
        for (int c = 0; c < clean.channels(); c++) {
            int off = c * n;
            for (int i = 0; i < n; i++) if (m[i] >= 0.5f) o[off + i] = fill;
        }
        return out;
    }

    @Override
    public Image apply(Image clean, SplittableRandom rng) {
        return applyWithMask(clean, rng).image();
    }

    @Override
    public String spec() {
        if (fill == 0f) return baseSpec;
        // the file form takes the rest of the string as the path, so fill goes before it
        if (baseSpec.startsWith("mask:file:")) return "mask:file:fill=" + Filters.num(fill) + ":" + baseSpec.substring(10);
        if (baseSpec.startsWith("mask:dir:")) return "mask:dir:fill=" + Filters.num(fill) + ":" + baseSpec.substring(9);
        return baseSpec + ":fill=" + Filters.num(fill);
    }

    @Override
    public String toString() { return spec(); }
}
