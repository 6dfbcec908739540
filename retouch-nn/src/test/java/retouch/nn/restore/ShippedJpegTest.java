package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import retouch.degrade.JpegCompression;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;
import retouch.restore.RestoreParams;

/** The shipped JPEG model on a photo it never trained on, its quality read from the pixels. */
class ShippedJpegTest {

    private static final Image PHOTO = ImageFiles.read(Path.of("..", "samples", "camera.png")).crop(64, 64, 192, 192);

    @Test
    void repairsBlockyPhotosAndLeavesNearLosslessOnesAlone() {
        try (Restorer r = ShippedDenoiser.openWith("jpeg-gray", RestoreSettings.defaults())) {
            Image q20 = JpegCompression.roundTrip(PHOTO, 20);
            Restoration fixed = r.restore(q20, RestoreParams.defaults(), r.settings());
            double gain = Psnr.of(PHOTO, fixed.image()) - Psnr.of(PHOTO, q20);
            assertTrue(gain > 0.7, "quality 20: gain " + gain + " dB");
            assertTrue(fixed.how().contains("quality 20 (estimated)"), fixed.how());

            // near-lossless photos: the calibrated strength keeps the JPEG nearly as it is
            for (int q : new int[] {92, 93, 94, 95}) {
                Image jpeg = JpegCompression.roundTrip(PHOTO, q);
                double change = Psnr.of(PHOTO, r.restore(jpeg, RestoreParams.defaults(), r.settings()).image()) - Psnr.of(PHOTO, jpeg);
                assertTrue(change > -0.1, "quality " + q + ": " + change + " dB");
            }
        }
    }

    @Test
    void colourPhotosGoToTheColourModelWhichUndoesChromaToo() {
        Image cat = ImageFiles.read(Path.of("..", "samples", "chelsea.png")).crop(0, 0, 296, 448);
        try (Restorer task = Restorers.forTask("jpeg", RestoreSettings.defaults().withTile(256));
             Restorer gray = ShippedDenoiser.openWith("jpeg-gray", RestoreSettings.defaults())) {
            Image q20 = JpegCompression.roundTrip(cat, 20);
            double colour = Psnr.of(cat, task.restore(q20, RestoreParams.defaults(), task.settings()).image()) - Psnr.of(cat, q20);
            double perChannel = Psnr.of(cat, gray.restore(q20, RestoreParams.defaults(), gray.settings()).image()) - Psnr.of(cat, q20);
            // a furry cat is among the hardest photos to repair (measured +0.80 against +0.66 per channel)
            assertTrue(colour > 0.7, "colour photo at quality 20: gain " + colour + " dB");
            assertTrue(colour > perChannel + 0.1, "jpeg-color " + colour + " dB against jpeg-gray per channel " + perChannel);
            for (int q : new int[] {90, 92, 95}) {
                Image jpeg = JpegCompression.roundTrip(cat, q);
                double change = Psnr.of(cat, task.restore(jpeg, RestoreParams.defaults(), task.settings()).image()) - Psnr.of(cat, jpeg);
                assertTrue(change > -0.1, "colour photo at quality " + q + ": " + change + " dB");
            }
        }
    }

    @Test
    void repairsACropOfAJpegOnItsOwnGrid() {
        try (Restorer r = ShippedDenoiser.openWith("jpeg-gray", RestoreSettings.defaults())) {
            Image jpeg = JpegCompression.roundTrip(ImageFiles.read(Path.of("..", "samples", "camera.png")), 20);
            // a crop saved as PNG: its 8x8 blocks start at row 5, column 3
            Image crop = jpeg.crop(67, 61, 181, 190), original = ImageFiles.read(Path.of("..", "samples", "camera.png")).crop(67, 61, 181, 190);
            Restoration fixed = r.restore(crop, RestoreParams.defaults(), r.settings());
            assertEquals(crop.height(), fixed.image().height());
            assertEquals(crop.width(), fixed.image().width());
            double gain = Psnr.of(original, fixed.image()) - Psnr.of(original, crop);
            assertTrue(gain > 0.7, "crop at quality 20: gain " + gain + " dB");
            assertTrue(fixed.how().contains("grid found at row 5, column 3"), fixed.how());
        }
    }

    @Test
    void calibratedStrengthIsNeverWorseThanTheJpegOrTheWholeRepair() {
        Image other = ImageFiles.read(Path.of("..", "samples", "chelsea.png")).withChannels(1).crop(40, 60, 160, 200);
        List<Image> photos = List.of(PHOTO, other);
        try (Restorer r = ShippedDenoiser.openWith("jpeg-gray", RestoreSettings.defaults())) {
            JpegStrengthCalibration.Result result = JpegStrengthCalibration.calibrate(r, photos, new int[] {20, 95}, done -> {});
            assertEquals(2, result.photos());
            double s20 = result.strength().at(20), s95 = result.strength().at(95);
            assertTrue(s20 > 0.8, "quality 20 strength " + s20);
            assertTrue(s95 < s20, "quality 95 strength " + s95 + " against " + s20 + " at 20");
            NetworkRestorer net = (NetworkRestorer) r;
            for (int q : new int[] {20, 95}) {
                double s = result.strength().at(q);
                double jpeg = 0, whole = 0, blend = 0;
                for (Image clean : photos) {
                    Image j = JpegCompression.roundTrip(clean, q);
                    Image rep = net.repairJpegAtFullStrength(j, RestoreParams.defaults()).image();
                    jpeg += sse(clean, j);
                    whole += sse(clean, rep);
                    blend += sse(clean, NetworkRestorer.blend(j, rep, s));
                }
                // the least-squares weight in [0, 1] cannot do worse than either of its ends
                assertTrue(blend <= jpeg * (1 + 1e-6) && blend <= whole * (1 + 1e-6), "quality " + q + ": " + blend + " vs " + jpeg + ", " + whole);
            }
        }
    }

    @Test
    void blendIsTheStraightLineBetweenTheTwo() {
        Image a = new Image(1, 1, 2, new float[] {0.2f, 0.4f}), b = new Image(1, 1, 2, new float[] {0.6f, 0.0f});
        assertEquals(0.3f, NetworkRestorer.blend(a, b, 0.25).data()[0], 1e-6);
        assertEquals(0.3f, NetworkRestorer.blend(a, b, 0.25).data()[1], 1e-6);
        assertEquals(0.2f, NetworkRestorer.blend(a, b, 0).data()[0], 0);
        assertEquals(0.6f, NetworkRestorer.blend(a, b, 1).data()[0], 1e-7);
    }

    private static double sse(Image a, Image b) {
        double s = 0;
        for (int i = 0; i < a.data().length; i++) s += (a.data()[i] - b.data()[i]) * (double) (a.data()[i] - b.data()[i]);
        return s;
    }
}
