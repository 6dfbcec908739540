package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.degrade.JpegQualityEstimator;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.nn.task.JpegTask;

class TaskDegradationTest {

    @Test
    void jpegPatchesCarryTheirQualityAsTheLevel() {
        Image clean = ImageFiles.read(Path.of("..", "samples", "camera.png")).crop(96, 64, 128, 128);
        TaskDegradation jpeg = new TaskDegradation("jpeg", 0);
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 6; i++) {
            TaskDegradation.Sample s = jpeg.apply(clean, rng);
            int quality = Math.round(100 - 100 * s.level());
            assertTrue(quality >= JpegTask.QUALITY_MIN && quality <= JpegTask.QUALITY_MAX, "quality " + quality);
            // the level says the quality the patch was actually saved at
            assertEquals(quality, JpegQualityEstimator.estimate(s.input()).quality(), 3, "level " + s.level());
        }
        assertEquals(0.9f, JpegTask.level(10), 1e-6);
        assertEquals(0f, JpegTask.level(100), 1e-6);
    }
}
