package retouch.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import retouch.image.Image;
import retouch.metrics.Png8;

class JpegQualityEstimatorTest {

    private static final Image PHOTO = Png8.resource("set12-01.png");

    /** A colour photo with real texture: the gray photo, a shifted copy and its negative as R, G, B. */
    private static Image colourPhoto() {
        int h = PHOTO.height(), w = PHOTO.width(), n = h * w;
        Image rgb = new Image(3, h, w);
        float[] g = PHOTO.data(), d = rgb.data();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                d[i] = g[i];
                d[n + i] = g[y * w + Math.min(w - 1, x + 7)] * 0.8f + 0.1f;
                d[2 * n + i] = 1 - g[i];
            }
        }
        return rgb;
    }

    @Test
    void readsTheQualityOfGrayJpegsAcrossTheScale() {
        for (int q : new int[] {10, 20, 30, 50, 75, 90, 95}) {
            JpegQualityEstimator.Estimate e = JpegQualityEstimator.estimate(JpegCompression.roundTrip(PHOTO, q));
            assertTrue(e.measured(), "quality " + q);
            assertEquals(q, e.quality(), 2, "quality " + q);
        }
    }

    @Test
    void readsTheQualityOfColourJpegsFromTheirLuma() {
        Image rgb = colourPhoto();
        for (int q : new int[] {10, 25, 50, 80, 90}) {
            assertEquals(q, JpegQualityEstimator.estimate(JpegCompression.roundTrip(rgb, q)).quality(), 2, "quality " + q);
        }
    }

    @Test
    void anImageThatWasNeverAJpegReadsAsLossless() {
        JpegQualityEstimator.Estimate e = JpegQualityEstimator.estimate(PHOTO);
        assertFalse(e.measured());
        assertEquals(100, e.quality());
        assertEquals(100, JpegQualityEstimator.estimate(colourPhoto()).quality());
        // smaller than one 8×8 block: nothing to measure
        assertEquals(100, JpegQualityEstimator.estimate(new Image(1, 5, 5)).quality());
    }

    @Test
    void findsTheGridOfACropAndItsQuality() {
        int[][] cuts = {{3, 5}, {0, 6}, {7, 0}, {1, 1}};
        // at 90 and 92 block edges are too faint to rank, so the screen of all 64 offsets finds the grid
        for (int q : new int[] {15, 40, 80, 90, 92}) {
            Image jpeg = JpegCompression.roundTrip(PHOTO, q);
            for (int[] cut : cuts) {
                Image crop = jpeg.crop(cut[0], cut[1], jpeg.height() - cut[0] - 2, jpeg.width() - cut[1] - 3);
                JpegQualityEstimator.Estimate e = JpegQualityEstimator.estimate(crop);
                String at = "quality " + q + ", cut " + cut[0] + "," + cut[1];
                assertTrue(e.measured() && e.standardTable(), at + ": " + e);
                assertEquals(q, e.quality(), 2, at);
                // whole blocks of the crop start where the file's next block boundary falls
                assertEquals((8 - cut[0]) % 8, e.gridY(), at);
                assertEquals((8 - cut[1]) % 8, e.gridX(), at);
            }
        }
        JpegQualityEstimator.Estimate file = JpegQualityEstimator.estimate(JpegCompression.roundTrip(PHOTO, 30));
        assertFalse(file.offGrid());
        // a crop of a photo that never was a JPEG still shows no lattice at any offset
        assertFalse(JpegQualityEstimator.estimate(PHOTO.crop(3, 5, PHOTO.height() - 3, PHOTO.width() - 5)).measured());
        assertFalse(JpegQualityEstimator.estimate(colourPhoto().crop(2, 7, 100, 120)).measured());
    }

    @Test
    void tableStepsFollowLibjpegScaling() {
        assertEquals(16, JpegQualityEstimator.tableStep(0, 50)); // quality 50 is the standard table itself
        assertEquals(8, JpegQualityEstimator.tableStep(0, 75));
        assertEquals(80, JpegQualityEstimator.tableStep(0, 10));
        assertEquals(1, JpegQualityEstimator.tableStep(0, 100));
        assertEquals(255, JpegQualityEstimator.tableStep(63, 1)); // clamped to baseline's 8 bits
    }
}
