package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.degrade.GaussianBlur;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;
import retouch.restore.RestoreParams;

/** The shipped σ estimator reads a Gaussian blur from the photo alone, and blind deblurring uses it. */
class ShippedBlurSigmaTest {
    static final Image CAT = ImageFiles.read(Path.of("..", "samples", "chelsea.png"));

    private static Image blurred(Image clean, double sigma, long seed) {
        return BlurSigmaTraining.degrade(clean, sigma, 2, new SplittableRandom(seed));
    }

    @Test
    void itReadsTheBlurOfAPhotoItNeverSaw() {
        Image camera = PnpDeblurrerTest.camera();
        try (BlurSigmaEstimator net = BlurSigmaEstimator.open(BlurSigmaEstimator.MODEL)) {
            for (double sigma : new double[] {1.0, 1.6, 2.5, 3.5}) {
                double found = net.estimate(blurred(camera, sigma, 3));
                // validation photos: 0.08-0.09 px off on average at σ 1 to 3 (docs/MODELS.md, blur-sigma)
                assertEquals(sigma, found, 0.25, "σ " + sigma + " read as " + found);
            }
            // it reads the photo's whole blur: the cat photo is soft to begin with (about σ 1 of its own), so
            // an added σ 1 reads as about √(1² + 1²)
            double soft = net.estimate(blurred(CAT, 1.0, 3));
            assertEquals(Math.sqrt(2), soft, 0.25, "the cat photo + σ 1 read as " + soft);
            assertTrue(Double.isNaN(net.estimate(CAT.crop(0, 0, 16, 200))), "too small to say");
        }
    }

    @Test
    void blindDeblurringTakesTheEstimatedSigmaForWideBlursAndNamesIt() {
        Image clean = CAT.crop(0, 100, 256, 256);
        try (Restorer model = Restorers.open("deblur-gray", 256)) {
            // σ 3: the network's output keeps part of the blur and the fit falls short; the estimator's σ is taken
            Image wide = blurred(clean, 3.0, 5);
            Restoration r = model.restore(wide, RestoreParams.ofSigma(Double.NaN), model.settings().withDeblur("kernel-fit"));
            GaussianBlur used = assertInstanceOf(GaussianBlur.class, r.blur().blur(), r.blur().toString());
            assertEquals(3.0, used.sigma(), 0.4, r.blur().toString());
            assertTrue(r.blur().source().startsWith("blur-sigma; the kernel fit said blur:gauss:"), r.blur().toString());
            assertTrue(r.how().contains("for the estimated blur:gauss:"), r.how());
            assertEquals(3, r.image().channels());
            assertTrue(Psnr.of(r.image(), clean) > Psnr.of(wide, clean) + 1.5, "blurred " + Psnr.of(wide, clean) + " -> " + Psnr.of(r.image(), clean));
            // σ 1: a narrow blur keeps the kernel fit (as close there, and its errors are on the small side)
            Restoration narrow = model.restore(blurred(clean, 1.0, 6), RestoreParams.ofSigma(Double.NaN), model.settings().withDeblur("kernel-fit"));
            assertEquals(null, narrow.blur().source(), narrow.blur().toString());
            assertTrue(narrow.how().contains("for the fitted blur:gauss:"), narrow.how());
        }
    }
}
