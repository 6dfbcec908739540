package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.degrade.GaussianBlur;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;
import retouch.restore.RestoreParams;

/** deblur-color, the RGB network, restores colour photos better than deblur-gray run per channel (network alone). */
class ShippedDeblurColourTest {

    @Test
    void theRgbNetworkBeatsTheGrayNetworkPerChannel() {
        Image cat = ImageFiles.read(Path.of("..", "samples", "chelsea.png")).crop(0, 100, 256, 256);
        SplittableRandom rng = new SplittableRandom(7);
        Image blurred = GaussianNoise.addNoise(new GaussianBlur(1.6).apply(cat, rng), 2, rng).clip();
        try (Restorer rgbModel = Restorers.open("deblur-color", 256);
             Restorer gray = Restorers.open("deblur-gray", 256)) {
            Image colour = rgbModel.restore(blurred, RestoreParams.ofSigma(Double.NaN), rgbModel.settings().withDeblur("network")).image();
            Image perChannel = gray.restore(blurred, RestoreParams.ofSigma(Double.NaN), gray.settings().withDeblur("network")).image();
            assertEquals(3, colour.channels());
            assertEquals(256, colour.width());
            double before = Psnr.of(blurred, cat), rgb = Psnr.of(colour, cat), split = Psnr.of(perChannel, cat);
            // Kodak24 (first 8), sigma 1.6 + noise 2, network alone: +2.03 dB against +1.57 per channel
            assertTrue(rgb > before + 1, "blurred " + before + " -> deblur-color " + rgb);
            assertTrue(rgb > split + 0.2, "deblur-color " + rgb + " dB against deblur-gray per channel " + split);
        }
    }
}
