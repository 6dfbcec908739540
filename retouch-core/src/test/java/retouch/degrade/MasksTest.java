package retouch.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import retouch.image.Image;

class MasksTest {
    @Test
    void centreBox() {
        Image m = Masks.centerBox(100, 80, 0.5);
        assertEquals(0.25, Masks.coverage(m), 1e-9);
        assertEquals(1f, m.get(0, 50, 40));
        assertEquals(0f, m.get(0, 10, 10));
        assertEquals(1f, m.get(0, 25, 20));
        assertEquals(0f, m.get(0, 24, 20));
        Image p = Masks.centerBox(64, 64, 10, 20);
        assertEquals(200.0 / 4096, Masks.coverage(p), 1e-9);
    }

    @Test
    void freeFormRespectsCoverage() {
        SplittableRandom r = new SplittableRandom(1);
        double lo = 1, hi = 0;
        for (int i = 0; i < 20; i++) {
            double c = Masks.coverage(Masks.freeForm(256, 256, 0.1, 0.3, r));
            assertTrue(c >= 0.1 && c <= 0.3, "coverage " + c);
            lo = Math.min(lo, c);
            hi = Math.max(hi, c);
        }
        assertTrue(hi - lo > 0.05, "coverage varies across the range: " + lo + ".." + hi);
        for (double[] range : new double[][] {{0.05, 0.5}, {0.4, 0.42}, {0.01, 0.02}}) {
            for (int i = 0; i < 5; i++) {
                Image m = Masks.freeForm(128, 160, range[0], range[1], r);
                double c = Masks.coverage(m);
                assertTrue(c >= range[0] && c <= range[1], "coverage " + c + " in " + range[0] + "-" + range[1]);
            }
        }
    }

    @Test
    void thinStrokesAreThinAtAnySizeAndRespectCoverage() {
        SplittableRandom r = new SplittableRandom(4);
        for (int side : new int[] {128, 512}) {
            double thinSurvives = 0, wideSurvives = 0;
            for (int i = 0; i < 5; i++) {
                Image thin = Masks.freeForm(side, side, 0.1, 0.3, Masks.THIN_MIN_WIDTH, Masks.THIN_MAX_WIDTH, r);
                double c = Masks.coverage(thin);
                assertTrue(c >= 0.1 && c <= 0.3, "coverage " + c);
                thinSurvives += survivesErosion(thin, 7);
                wideSurvives += survivesErosion(Masks.freeForm(side, side, 0.1, 0.3, r), 7);
            }
            // a 15x15 square fits in a 3-10 px stroke only where strokes cross or run side by side
            assertTrue(thinSurvives / 5 < 0.05, side + " px: " + thinSurvives / 5 + " of the thin holes hold a 15 px square");
            assertTrue(wideSurvives / 5 > 0.2, side + " px: wide strokes for contrast, " + wideSurvives / 5);
        }
        assertThrows(IllegalArgumentException.class, () -> Masks.freeForm(64, 64, 0.1, 0.3, 0.5, 3, new SplittableRandom(1)));
    }

    /** Blobs are compact (most hole pixels lie deep inside), respect the coverage range, and scale with the image. */
    @Test
    void blobsAreCompactAndRespectCoverage() {
        SplittableRandom r = new SplittableRandom(6);
        for (int side : new int[] {128, 512}) {
            double deep = 0;
            for (int i = 0; i < 5; i++) {
                Image b = Masks.blobs(side, side, 0.1, 0.3, r);
                double c = Masks.coverage(b);
                assertTrue(c >= 0.1 && c <= 0.3, side + " px: coverage " + c);
                deep += survivesErosion(b, side / 128); // a 3 px (128) or 9 px (512) square fits in most of a blob
            }
            assertTrue(deep / 5 > 0.5, side + " px: only " + deep / 5 + " of the blob pixels are interior");
        }
        assertEquals(Masks.blobs(96, 80, 0.2, 0.4, new SplittableRandom(3)).data().length, 96 * 80);
        assertArrayEqualsMask(Masks.blobs(96, 80, 0.2, 0.4, new SplittableRandom(3)), Masks.blobs(96, 80, 0.2, 0.4, new SplittableRandom(3)));
        assertThrows(IllegalArgumentException.class, () -> Masks.blobs(64, 64, 0.1, 0.3, 0.5, 3, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> Masks.blobs(64, 64, 0.4, 0.3, new SplittableRandom(1)));
    }

    /** A user's mask may be a resized copy of the photo's shape, never another shape. */
    @Test
    void forPhotoResizesSameShapeMasksAndRefusesOthers() {
        Image small = Masks.centerBox(24, 32, 0.5);
        Image fitted = Masks.forPhoto(small, 300, 400, "m.png");
        assertEquals(300, fitted.height());
        assertEquals(400, fitted.width());
        assertEquals(1f, fitted.get(0, 150, 200));
        assertEquals(0f, fitted.get(0, 5, 5));
        assertEquals(301, Masks.forPhoto(Masks.centerBox(301, 400, 0.5), 301, 400, "m.png").height()); // same size
        Masks.forPhoto(Masks.centerBox(25, 32, 0.5), 300, 400, "m.png"); // one pixel of rounding is allowed
        retouch.RetouchException turned = assertThrows(retouch.RetouchException.class, () -> Masks.forPhoto(Masks.centerBox(32, 24, 0.5), 300, 400, "m.png"));
        assertTrue(turned.getMessage().contains("m.png") && turned.getMessage().contains("24x32") && turned.getMessage().contains("EXIF"), turned.getMessage());
        retouch.RetouchException other = assertThrows(retouch.RetouchException.class, () -> Masks.forPhoto(Masks.centerBox(20, 40, 0.5), 300, 400, "m.png"));
        assertTrue(!other.getMessage().contains("EXIF") && other.getMessage().contains("400x300"), other.getMessage());
    }

    private static void assertArrayEqualsMask(Image a, Image b) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.data(), b.data(), "same seed, same mask");
    }

    /** The share of hole pixels that are the centre of a (2r+1)-square lying wholly in the hole. */
    private static double survivesErosion(Image m, int r) {
        int h = m.height(), w = m.width(), holes = 0, kept = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (m.get(0, y, x) < 0.5f) continue;
                holes++;
                boolean all = y >= r && x >= r && y + r < h && x + r < w;
                for (int dy = -r; all && dy <= r; dy++) for (int dx = -r; all && dx <= r; dx++) all = m.get(0, y + dy, x + dx) >= 0.5f;
                if (all) kept++;
            }
        }
        return holes == 0 ? 0 : kept / (double) holes;
    }

    @Test
    void randomBoxesRespectCoverage() {
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 10; i++) {
            double c = Masks.coverage(Masks.randomBoxes(128, 128, 3, 0.2, 0.3, r));
            assertTrue(c >= 0.2 && c <= 0.3, "coverage " + c);
        }
        assertTrue(Masks.coverage(Masks.randomBoxes(64, 64, 2, r)) > 0);
    }

    @Test
    void maskDegradationFillsHolesAndReturnsMask() {
        Image clean = Image.filled(3, 32, 32, 0.6f);
        Degraded d = MaskDegradation.freeForm(0.1, 0.3).withFill(1f).applyWithMask(clean, new SplittableRandom(3));
        int holes = 0;
        for (int i = 0; i < 32 * 32; i++) {
            boolean hole = d.mask().data()[i] == 1f;
            if (hole) holes++;
            for (int c = 0; c < 3; c++) assertEquals(hole ? 1f : 0.6f, d.image().get(c, i / 32, i % 32));
        }
        assertTrue(holes > 0);
    }

    @Test
    void fromFileResizedNearestAndThresholded(@TempDir Path dir) throws Exception {
        BufferedImage bi = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 10; y++) for (int x = 10; x < 20; x++) bi.getRaster().setSample(x, y, 0, 200);
        bi.getRaster().setSample(0, 0, 0, 100); // below threshold
        Path f = dir.resolve("m.png");
        ImageIO.write(bi, "png", f.toFile());
        Image m = MaskDegradation.fromFile(f).mask(40, 80, new SplittableRandom(0));
        assertEquals(40, m.height());
        assertEquals(0.5, Masks.coverage(m), 1e-9);
        assertEquals(0f, m.get(0, 0, 0));
        assertEquals(1f, m.get(0, 39, 79));
        // the NVIDIA irregular masks, when present (white = hole, 512², bin 10–20 %)
        Path nv = Path.of("/work/shared/data/masks/02000.png");
        if (Files.isRegularFile(nv)) {
            double c = Masks.coverage(Masks.fromImage(Masks.read(nv), 512, 512));
            assertTrue(c >= 0.09 && c <= 0.21, "NVIDIA mask coverage " + c);
        }
    }
}
