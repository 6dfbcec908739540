package retouch.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.image.Image;
import retouch.metrics.Png8;
import retouch.metrics.Psnr;

class JpegQuantisationConstraintTest {

    private static final Image PHOTO = Png8.resource("set12-01.png").crop(0, 0, 200, 203); // partial edge blocks too

    @Test
    void theOriginalAndTheJpegItselfLieInTheBox() {
        for (int q : new int[] {20, 60, 95}) {
            Image jpeg = JpegCompression.roundTrip(PHOTO, q);
            // the JPEG is the box's centre; the original is inside up to the encoder's integer DCT
            assertTrue(Psnr.of(jpeg, JpegQuantisationConstraint.project(jpeg, jpeg, q)) > 60, "quality " + q);
            assertTrue(Psnr.of(PHOTO, JpegQuantisationConstraint.project(PHOTO, jpeg, q)) > 50, "quality " + q);
        }
    }

    @Test
    void aCropIsConstrainedOnItsOwnGrid() {
        Image jpeg = JpegCompression.roundTrip(PHOTO, 40);
        int h = PHOTO.height() - 5, w = PHOTO.width() - 3;
        Image crop = jpeg.crop(5, 3, h, w), original = PHOTO.crop(5, 3, h, w);
        Image smoothed = new GaussianBlur(1.5).apply(crop, new SplittableRandom(4));
        // on the crop's own grid (blocks from row 3, column 5) the original stays in the box and a smoothed repair moves toward it
        assertTrue(Psnr.of(original, JpegQuantisationConstraint.project(original, crop, 40, 3, 5)) > 50);
        double before = Psnr.of(original, smoothed), after = Psnr.of(original, JpegQuantisationConstraint.project(smoothed, crop, 40, 3, 5));
        assertTrue(after > before + 0.3, before + " -> " + after);
        // on the file's grid the box is the wrong one: the original is pulled out of it
        assertTrue(Psnr.of(original, JpegQuantisationConstraint.project(original, crop, 40, 0, 0)) < 45);
    }

    @Test
    void aSmoothedRepairMovesTowardsTheOriginal() {
        for (int q : new int[] {30, 95}) {
            Image jpeg = JpegCompression.roundTrip(PHOTO, q);
            Image smoothed = new GaussianBlur(1.5).apply(jpeg, new SplittableRandom(1));
            Image projected = JpegQuantisationConstraint.project(smoothed, jpeg, q);
            double before = Psnr.of(PHOTO, smoothed), after = Psnr.of(PHOTO, projected);
            assertTrue(after >= before - 0.01, "quality " + q + ": " + before + " -> " + after);
            if (q == 95) {
                // a narrow box: most of the over-smoothing is undone
                assertTrue(after > before + 5, "quality 95: " + before + " -> " + after);
            }
        }
    }

    @Test
    void colourPhotosMoveInLumaOnly() {
        Image negative = PHOTO.copy();
        float[] nd = negative.data();
        for (int i = 0; i < nd.length; i++) nd[i] = 1 - nd[i];
        Image rgb = Image.stack(PHOTO, new GaussianBlur(2).apply(PHOTO, new SplittableRandom(2)), negative);
        Image jpeg = JpegCompression.roundTrip(rgb, 90);
        Image smoothed = new GaussianBlur(1.2).apply(jpeg, new SplittableRandom(3));
        Image projected = JpegQuantisationConstraint.project(smoothed, jpeg, 90);
        int n = rgb.height() * rgb.width();
        float[] s = smoothed.data(), p = projected.data();
        int checked = 0;
        for (int i = 0; i < n; i += 7) {
            float dr = p[i] - s[i], dg = p[n + i] - s[n + i], db = p[2 * n + i] - s[2 * n + i];
            boolean clipped = false;
            for (int c = 0; c < 3; c++) clipped |= p[c * n + i] <= 0f || p[c * n + i] >= 1f;
            if (clipped) continue;
            assertEquals(dr, dg, 1e-5);
            assertEquals(dr, db, 1e-5);
            checked++;
        }
        assertTrue(checked > 100, "unclipped pixels checked: " + checked);
        assertTrue(Psnr.ofY(rgb, projected, 0) > Psnr.ofY(rgb, smoothed, 0) + 0.5, "luma PSNR " + Psnr.ofY(rgb, smoothed, 0) + " -> " + Psnr.ofY(rgb, projected, 0));
    }
}
