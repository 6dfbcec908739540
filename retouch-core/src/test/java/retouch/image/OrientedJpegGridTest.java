package retouch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.degrade.JpegQualityEstimator;
import retouch.metrics.Png8;

/**
 * A phone photo as users have it: a JPEG whose stored pixels are turned upright by its EXIF
 * orientation. When a side is not a multiple of 8, the turned photo's 8x8 grid no longer starts
 * at the top-left pixel; JPEG repair still has to find the quality and the grid.
 */
class OrientedJpegGridTest {

    @TempDir Path tmp;

    @Test
    void theQualityAndGridOfATurnedJpegAreFound() throws Exception {
        // 150 x 181 stored: neither side a multiple of 8
        Image photo = Png8.resource("set12-01.png").crop(20, 30, 150, 181);
        BufferedImage stored = ImageFiles.toBufferedImage(photo, 8);
        byte[] jpeg = Corpus.written("jpeg", (w, p) -> {
            p.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.3f);
            w.write(null, new javax.imageio.IIOImage(stored, null, null), p);
        });
        for (int o : new int[] {1, 3, 6, 8}) {
            Path file = tmp.resolve("turned-" + o + ".jpg");
            Files.write(file, o == 1 ? jpeg : Corpus.spliceJpeg(jpeg, 0xe1, Corpus.exifApp1(o, o % 2 == 0)));
            Image upright = ImageFiles.read(file);
            assertEquals(o >= 5 ? 181 : 150, upright.height(), "orientation " + o);
            JpegQualityEstimator.Estimate e = JpegQualityEstimator.estimate(upright);
            assertTrue(e.measured() && e.standardTable(), "orientation " + o + ": " + e);
            assertEquals(30, e.quality(), 2, "orientation " + o);
            // turned by 180 degrees or a quarter, the blocks start where the stored photo's last ones ended
            if (o != 1) assertTrue(e.offGrid(), "orientation " + o + ": " + e);
            // a quarter turn transposes the frequencies, and with them the table
            assertEquals(o >= 5, e.transposed(), "orientation " + o + ": " + e);
            // the turned JPEG is the centre of the quantisation box of its own grid and table
            assertTrue(retouch.metrics.Psnr.of(upright, retouch.degrade.JpegQuantisationConstraint.project(upright, upright, e.quality(),
                    e.gridY(), e.gridX(), e.transposed())) > 55, "orientation " + o);
        }
    }
}
