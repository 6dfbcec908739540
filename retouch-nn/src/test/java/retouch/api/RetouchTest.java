package retouch.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;

/** The Java front door on the shipped denoise-gray model: restores, checks its arguments, is shareable and closes cleanly. */
class RetouchTest {
    static Retouch shared;
    static Image clean;
    static Image noisy;

    @BeforeAll
    static void load() {
        shared = Retouch.load("denoise-gray");
        Path camera = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("samples/camera.png"))) {
                camera = p.resolve("samples/camera.png");
                break;
            }
        }
        clean = ImageFiles.read(camera).crop(200, 200, 96, 96);
        noisy = clean.copy();
        SplittableRandom rng = new SplittableRandom(5);
        float[] d = noisy.data();
        for (int i = 0; i < d.length; i++) {
            double u = 1 - rng.nextDouble(), v = rng.nextDouble();
            d[i] += (float) (25 / 255.0 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        }
        noisy = noisy.clip().quantize8();
    }

    @AfterAll
    static void close() {
        if (shared != null) shared.close();
    }

    @Test
    void restoresImagesAndBufferedImages() {
        assertEquals("denoise", shared.task());
        assertEquals("denoise-gray", shared.name());
        Image out = shared.restore(noisy);
        assertTrue(Psnr.of(clean, out) > Psnr.of(clean, noisy) + 4, "denoised");
        Image given = shared.restore(noisy, 25);
        assertTrue(Psnr.of(clean, given) > Psnr.of(clean, noisy) + 4, "denoised with sigma given");

        BufferedImage bi = ImageFiles.toBufferedImage(noisy);
        BufferedImage res = shared.restore(bi);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, res.getType());
        assertEquals(96, res.getWidth());
        assertTrue(Psnr.of(clean, ImageFiles.fromBufferedImage(res)) > Psnr.of(clean, noisy) + 4);

        Image rgb = Image.stack(noisy, noisy, noisy);
        assertEquals(3, shared.restore(rgb).channels(), "a gray model restores RGB channel by channel");
    }

    @Test
    void restoresFiles(@TempDir Path dir) {
        Path in = dir.resolve("noisy.png");
        Path out = dir.resolve("out/clean.png");
        ImageFiles.writePng(noisy, in);
        shared.restore(in, out);
        assertTrue(Psnr.of(clean, ImageFiles.read(out)) > Psnr.of(clean, noisy) + 4);
    }

    @Test
    void concurrentCallersGetTheSameAnswerAsOneCaller() throws Exception {
        Image expected = shared.restore(noisy, 25);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Image>> fs = new ArrayList<>();
        for (int i = 0; i < 6; i++) fs.add(pool.submit(() -> shared.restore(noisy, 25)));
        for (Future<Image> f : fs) assertArrayEquals(expected.data(), f.get().data(), 1e-5f);
        pool.shutdown();
    }

    @Test
    void checksItsArguments() {
        RetouchException wrongTask = assertThrows(RetouchException.class, () -> Retouch.load("denoise-gray", Retouch.Options.defaults().withTask("deblur")));
        assertTrue(wrongTask.getMessage().contains("does denoise, not deblur"), wrongTask.getMessage());
        assertThrows(RetouchException.class, () -> Retouch.Options.defaults().withTask("colorize"));
        assertThrows(RetouchException.class, () -> Retouch.Options.defaults().withSigma(300));
        assertThrows(RetouchException.class, () -> Retouch.Options.defaults().withTile(8));
        assertThrows(RetouchException.class, () -> shared.restore(noisy, -1));
        RetouchException missing = assertThrows(RetouchException.class, () -> Retouch.load("no-such-model"));
        assertTrue(missing.getMessage().contains("no-such-model"));
        assertThrows(IllegalArgumentException.class, () -> shared.restore((Image) null));
    }

    @Test
    void forTaskFindsTheInstalledModelAndCloseIsFinal() {
        Retouch r = Retouch.forTask("denoise", Retouch.Options.defaults().withSigma(25).withTile(64));
        assertEquals("denoise-gray", r.name());
        assertEquals(25, r.options().sigma());
        assertEquals(64, r.options().tile());
        Image tiled = r.restore(noisy);
        assertTrue(Psnr.of(clean, tiled) > Psnr.of(clean, noisy) + 4, "64-pixel tiles");
        r.close();
        assertDoesNotThrow(r::close, "closing twice is harmless");
        assertThrows(IllegalStateException.class, () -> r.restore(noisy));
        RetouchException none = assertThrows(RetouchException.class, () -> Retouch.forTask("sr3"));
        assertTrue(none.getMessage().contains("no installed model does sr3"), none.getMessage());
        // the photo models, not the Fashion-MNIST or face inpainters whose names sort first
        assertEquals("inpaint-gray", Retouch.modelFor("inpaint"));
        assertEquals("deblur-gan-gray", Retouch.modelFor("deblur-gan"));
    }

    @Test
    void knownBlurDeblursWithTheDenoiserAsPrior() {
        Image sharp = clean;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        Image blurred = retouch.degrade.GaussianNoise.addNoise(new retouch.degrade.GaussianBlur(1.6).apply(sharp, rng), 2, rng);
        try (Retouch r = Retouch.load("denoise-gray")) {
            Image out = r.deblur(blurred, new retouch.degrade.GaussianBlur(1.6), 2);
            assertTrue(Psnr.of(sharp, out) > Psnr.of(sharp, blurred) + 2, Psnr.of(sharp, blurred) + " -> " + Psnr.of(sharp, out));
        }
        try (Retouch r = Retouch.load("sr2-color")) {
            RetouchException e = assertThrows(RetouchException.class, () -> r.deblur(blurred, new retouch.degrade.GaussianBlur(1.6), 2));
            assertTrue(e.getMessage().contains("denoising model"), e.getMessage());
        }
    }
}
