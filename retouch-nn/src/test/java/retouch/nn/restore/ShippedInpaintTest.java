package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.baseline.ClassicalMethods;
import retouch.degrade.MaskDegradation;
import retouch.degrade.Masks;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;
import retouch.restore.RestoreParams;

/**
 * The shipped inpainter against Telea on the bundled photos (never trained on), thin and thick
 * strokes, gray and colour: hole PSNR above Telea's, every pixel outside the hole untouched.
 */
class ShippedInpaintTest {

    private static double[] fill(Restorer model, Image photo, Image mask) {
        Image damaged = MaskDegradation.applyMask(photo, mask, 0f);
        RestoreParams p = RestoreParams.defaults().withMask(mask);
        Image ours = model.restore(damaged, p, model.settings()).image();
        Image telea = ClassicalMethods.byName("telea").apply(damaged, p);
        assertEquals(photo.channels(), ours.channels());
        float[] o = ours.data(), d = damaged.data(), m = mask.data();
        int plane = photo.height() * photo.width();
        for (int i = 0; i < o.length; i++) {
            if (m[i % plane] < 0.5f) assertEquals(d[i], o[i], 0f, "pixel " + i + " outside the hole changed");
        }
        return new double[] {Psnr.inMask(photo, ours, mask), Psnr.inMask(photo, telea, mask)};
    }

    @Test
    void beatsTeleaOnThinAndThickStrokesInGrayAndColour() {
        Image camera = ImageFiles.read(Path.of("..", "samples", "camera.png")).toGray();
        Image cat = ImageFiles.read(Path.of("..", "samples", "chelsea.png")).crop(0, 100, 256, 256);
        try (Restorer model = Restorers.open("inpaint-gray", 256)) {
            StringBuilder report = new StringBuilder();
            for (Image photo : new Image[] {camera, cat}) {
                SplittableRandom r = new SplittableRandom(11);
                Image thin = Masks.freeForm(photo.height(), photo.width(), 0.1, 0.3, Masks.THIN_MIN_WIDTH, Masks.THIN_MAX_WIDTH, r);
                Image thick = Masks.freeForm(photo.height(), photo.width(), 0.1, 0.3, r);
                double[] a = fill(model, photo, thin), b = fill(model, photo, thick);
                report.append(String.format("%d ch: thin %.2f vs Telea %.2f, thick %.2f vs %.2f; ", photo.channels(), a[0], a[1], b[0], b[1]));
                assertTrue(a[0] > a[1] + MARGIN_DB && b[0] > b[1] + MARGIN_DB, report.toString());
            }
            System.out.println("inpaint-gray hole PSNR: " + report);
        }
    }

    /** {@code fast} is one pass, {@code max} all eight flips and turns, {@code auto} what model.json says; blob holes too. */
    @Test
    void qualitySettingsPickTheFlipEnsemble() {
        Image camera = ImageFiles.read(Path.of("..", "samples", "camera.png")).toGray().crop(128, 128, 128, 128);
        Image mask = Masks.blobs(128, 128, 0.1, 0.3, new SplittableRandom(5));
        Image damaged = MaskDegradation.applyMask(camera, mask, 0f);
        RestoreParams p = RestoreParams.defaults().withMask(mask);
        try (Restorer model = Restorers.open("inpaint-gray", 256)) {
            RestoreSettings auto = RestoreSettings.defaults();
            Image one = model.restore(damaged, p, auto.withEnsemble(1)).image();
            Image four = model.restore(damaged, p, auto.withEnsemble(4)).image();
            assertTrue(maxAbsDiff(one, four) > 1e-3, "four flips must differ from one pass");
            assertEquals(0, maxAbsDiff(one, model.restore(damaged, p, auto.withQuality("fast")).image()));
            Image eight = model.restore(damaged, p, auto.withEnsemble(8)).image();
            assertTrue(maxAbsDiff(four, eight) > 1e-4, "eight passes must differ from four");
            assertEquals(0, maxAbsDiff(eight, model.restore(damaged, p, auto.withQuality("max")).image()));
            int shipped = model.meta().intParam("ensemble", 1);
            assertEquals(0, maxAbsDiff(shipped == 4 ? four : one, model.restore(damaged, p, auto).image()));
            assertTrue(Psnr.inMask(camera, four, mask) > Psnr.inMask(camera, ClassicalMethods.byName("telea").apply(damaged, p), mask));
        }
    }

    private static double maxAbsDiff(Image a, Image b) {
        double m = 0;
        for (int i = 0; i < a.data().length; i++) m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        return m;
    }

    /**
     * Single photos vary more than the held-out crops' averages (thin +0.95, thick +1.2 dB): measured
     * here thin +0.74 / +0.58 and thick +0.45 / +0.27 dB (camera gray / cat RGB).
     */
    private static final double MARGIN_DB = 0.15;
}
