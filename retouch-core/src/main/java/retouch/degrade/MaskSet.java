package retouch.degrade;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;
import retouch.RetouchException;
import retouch.data.PatchSampler;
import retouch.image.Image;
import retouch.image.Resize;

/**
 * A folder of hole-mask pictures (white = missing), such as the NVIDIA irregular mask set, to draw
 * training or test masks from. Pictures are read once and kept small ({@code maxSide}, nearest
 * resizing) so thousands fit in memory; each draw picks one at random, turns it by a random
 * dihedral transform, resizes it to the image and keeps it if its coverage is in range.
 */
public final class MaskSet {
    private final Path dir;
    private final List<Image> masks;

    private MaskSet(Path dir, List<Image> masks) {
        this.dir = dir;
        this.masks = masks;
    }

    /**
     * Reads the PNG masks in {@code dir} whose file name passes {@code keep}.
     *
     * @throws RetouchException if the folder is missing or holds no usable mask
     */
    public static MaskSet load(Path dir, Predicate<String> keep, int maxSide) {
        List<Path> files = pngFiles(dir).stream().filter(p -> keep.test(p.getFileName().toString())).toList();
        List<Image> out = new ArrayList<>(files.size());
        for (Path f : files) {
            Image m = Masks.read(f);
            int side = Math.max(m.height(), m.width());
            if (side > maxSide) {
                double k = maxSide / (double) side;
                m = Resize.resize(m, Math.max(1, (int) Math.round(m.height() * k)), Math.max(1, (int) Math.round(m.width() * k)),
                        Resize.Method.NEAREST);
            }
            out.add(m);
        }
        if (out.isEmpty()) throw new RetouchException("no mask pictures (PNG, white = hole) in " + dir);
        return new MaskSet(dir, out);
    }

    /** The PNG files of a mask folder, sorted by name. */
    static List<Path> pngFiles(Path dir) {
        if (!Files.isDirectory(dir)) throw new RetouchException("mask folder not found: " + dir);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")).sorted().toList();
        } catch (IOException e) {
            throw new RetouchException("cannot list mask folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The NVIDIA irregular-mask convention used by Retouch: files whose number is 4 mod 5
     * (00004.png, 00009.png, …) are held out of training for evaluation.
     */
    public static boolean heldOut(String fileName) {
        String digits = fileName.replaceAll("[^0-9]", "");
        return !digits.isEmpty() && Long.parseLong(digits) % 5 == 4;
    }

    public int size() { return masks.size(); }

    public Path dir() { return dir; }

    /**
     * A random mask for an h×w image with coverage in [lo, hi], or null after 20 misses: a random
     * square window of the picture (side between the image's and the whole picture's), so strokes
     * come at many scales rather than always shrunk by the same factor.
     */
    public Image draw(int h, int w, double lo, double hi, SplittableRandom rng) {
        for (int attempt = 0; attempt < 20; attempt++) {
            Image picture = PatchSampler.dihedral(masks.get(rng.nextInt(masks.size())), rng.nextInt(8));
            int full = Math.min(picture.height(), picture.width());
            int side = Math.min(full, Math.max(h, w) + rng.nextInt(Math.max(1, full - Math.max(h, w) + 1)));
            picture = picture.crop(rng.nextInt(picture.height() - side + 1), rng.nextInt(picture.width() - side + 1), side, side);
            Image m = Masks.fromImage(picture, h, w);
            double c = Masks.coverage(m);
            if (c >= lo && c <= hi) return m;
        }
        return null;
    }
}
