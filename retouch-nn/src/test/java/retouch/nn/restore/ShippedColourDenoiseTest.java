package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;
import retouch.restore.RestoreParams;

/** denoise-color, the RGB U-Net, in one pass: well above the noisy photo and above the gray network on the opponent planes. */
class ShippedColourDenoiseTest {

    @Test
    void onePassBeatsTheGrayNetworkOnOpponentPlanes() {
        Image cat = ImageFiles.read(Path.of("..", "samples", "chelsea.png")).crop(0, 100, 256, 256);
        Image noisy = GaussianNoise.addNoise(cat, 25, new SplittableRandom(3)).quantize8();
        try (Restorer colour = ShippedDenoiser.openWith("denoise-color", RestoreSettings.defaults());
             Restorer gray = ShippedDenoiser.openWith("denoise-gray", RestoreSettings.defaults().withQuality("fast"))) {
            assertEquals("none", colour.settings().refineFor(colour.meta()), "the shipped colour denoiser runs one pass by default");
            Image one = colour.apply(noisy, RestoreParams.ofSigma(Double.NaN));
            Image opponent = gray.apply(noisy, RestoreParams.ofSigma(Double.NaN));
            assertEquals(3, one.channels());
            double before = Psnr.of(noisy, cat), rgb = Psnr.of(one, cat), planes = Psnr.of(opponent, cat);
            // Kodak24, sigma 25, 8-bit, sigma given: 31.48 dB in one pass; the retired width-192 network alone 31.14
            assertTrue(rgb > before + 8, "noisy " + before + " -> denoise-color " + rgb);
            assertTrue(rgb > planes + 0.2, "denoise-color " + rgb + " dB against denoise-gray's network on the opponent planes " + planes);
        }
    }
}
