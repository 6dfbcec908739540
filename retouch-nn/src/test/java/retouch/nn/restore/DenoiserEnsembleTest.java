package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.RetouchException;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.metrics.Psnr;

/** The geometric self-ensemble of the shipped denoiser (settings ensemble 8). */
class DenoiserEnsembleTest {

    private static Restorer open(int ensemble) {
        // the network's passes alone, without the Wiener stage the shipped model adds
        return ShippedDenoiser.openWith(RestoreSettings.defaults().withEnsemble(ensemble).withRefine("none"));
    }

    @Test
    void eightTransformsDenoiseBetterThanOne() {
        // not square, so the quarter turns really swap height and width
        Image clean = PnpDeblurrerTest.camera().crop(100, 60, 160, 200);
        Image noisy = GaussianNoise.addNoise(clean, 25, new SplittableRandom(21));
        try (Restorer one = open(1); Restorer eight = open(8)) {
            Image a = one.apply(noisy, retouch.restore.RestoreParams.ofSigma(25));
            Image b = eight.apply(noisy, retouch.restore.RestoreParams.ofSigma(25));
            assertEquals(clean.height(), b.height());
            assertEquals(clean.width(), b.width());
            double single = Psnr.of(clean, a), ensemble = Psnr.of(clean, b);
            assertTrue(ensemble > single + 0.05, "single " + single + " dB, ensemble " + ensemble + " dB");
            assertEquals(8 * one.passes(noisy), eight.passes(noisy));
            // blind: σ estimated once on the image as given
            Image blind = eight.apply(noisy, retouch.restore.RestoreParams.ofSigma(Double.NaN));
            assertTrue(Psnr.of(clean, blind) > single, "blind ensemble " + Psnr.of(clean, blind));
        }
        RetouchException bad = assertThrows(RetouchException.class, () -> open(3));
        assertTrue(bad.getMessage().contains("1, 2, 4 or 8"), bad.getMessage());
    }
}
