package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;

/** A gray denoiser on colour photos: the opponent colour space against R, G and B apart. */
class OpponentColourTest {

    @Test
    void transformIsOrthonormalAndInvertsExactly() {
        SplittableRandom r = new SplittableRandom(2);
        Image rgb = new Image(3, 7, 9);
        for (int i = 0; i < rgb.data().length; i++) rgb.data()[i] = (float) r.nextDouble();
        Image[] p = retouch.image.OpponentColour.split(rgb);
        assertArrayEquals(rgb.data(), retouch.image.OpponentColour.merge(p).data(), 1e-6f);
        // pure gray: chroma planes sit at ½, luminance is the gray value
        Image gray = Image.filled(3, 2, 2, 0.3f);
        Image[] g = retouch.image.OpponentColour.split(gray);
        assertEquals(0.3f, g[0].data()[0], 1e-6f);
        assertEquals(0.5f, g[1].data()[0], 1e-6f);
        assertEquals(0.5f, g[2].data()[0], 1e-6f);
        // i.i.d. noise of σ in R, G, B stays σ in each chroma plane and becomes σ/√3 in luminance
        Image noise = GaussianNoise.addNoise(Image.filled(3, 128, 128, 0.5f), 25, new SplittableRandom(3));
        Image[] q = retouch.image.OpponentColour.split(noise);
        assertEquals(25 / Math.sqrt(3), 255 * std(q[0]), 0.6);
        assertEquals(25, 255 * std(q[1]), 0.8);
        assertEquals(25, 255 * std(q[2]), 0.8);
    }

    @Test
    void shippedGrayDenoiserGainsOnAColourPhotoInOpponentSpace() {
        Image clean = chelsea().crop(60, 100, 128, 128);
        Image noisy = GaussianNoise.addNoise(clean, 25, new SplittableRandom(7));
        try (LoadedModel m = ModelFile.load("denoise-gray", null);
             Denoiser d = new Denoiser(m.block(), m.meta(), m.manager(), 256, true)) {
            double rgb = Psnr.of(clean, d.opponentColour(false).denoise(noisy, 25).clip());
            double opp = Psnr.of(clean, d.opponentColour(true).denoise(noisy, 25).clip());
            double auto = Psnr.of(clean, d.opponentColour(true).denoise(noisy, Double.NaN).clip());
            System.out.printf("chelsea crop σ25: per channel %.2f dB, opponent %.2f dB, opponent auto σ %.2f dB%n", rgb, opp, auto);
            // Kodak24 σ 25: +1.7 dB; the luminance has a third of the noise power and chroma is smooth
            assertTrue(opp > rgb + 0.5, "opponent " + opp + " vs per channel " + rgb);
            assertTrue(auto > rgb + 0.3, "opponent with estimated levels " + auto + " vs per channel " + rgb);
        }
    }

    private static double std(Image im) {
        double s = 0, s2 = 0;
        for (float v : im.data()) { s += v; s2 += v * v; }
        int n = im.data().length;
        return Math.sqrt(s2 / n - (s / n) * (s / n));
    }

    static Image chelsea() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("samples/chelsea.png"))) return ImageFiles.read(p.resolve("samples/chelsea.png"));
        }
        throw new IllegalStateException("samples/chelsea.png not found above " + Path.of("").toAbsolutePath());
    }
}
