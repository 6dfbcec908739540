package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import retouch.RetouchException;
import retouch.restore.RestoreParams;
import retouch.baseline.ClassicalMethods;
import retouch.degrade.GaussianBlur;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.nn.inpaint.UNetRestorer;

/** One interface for every way of restoring: which implementation a name opens, and that they behave as one. */
class RestorersTest {
    private static final Image CLEAN = PnpDeblurrerTest.camera().crop(150, 150, 96, 96);

    @Test
    void eachModelOpensAsTheRestorerOfItsKind() {
        try (Restorer denoise = Restorers.open("denoise-gray", 64);
             Restorer deblur = Restorers.open("deblur-gray", 64);
             Restorer inpaint = Restorers.open("inpaint-gray", 64);
             Restorer sr = Restorers.open("sr2-color", 64)) {
            assertInstanceOf(NetworkRestorer.class, denoise);
            assertInstanceOf(BlindDeblurRestorer.class, deblur);
            assertInstanceOf(UNetRestorer.class, inpaint);
            assertInstanceOf(SuperResolutionRestorer.class, sr);
            assertEquals("denoise", denoise.task());
            assertEquals("deblur", deblur.task());
            assertEquals("inpaint", inpaint.task());
            assertEquals("sr2", sr.task());
            assertEquals("denoise-gray", denoise.meta().name());
            // super-resolution doubles the size through the same call as every other task
            Image up = sr.apply(CLEAN, RestoreParams.defaults());
            assertEquals(2 * CLEAN.height(), up.height());
            assertEquals(2 * CLEAN.width(), up.width());
        }
    }

    @Test
    void classicalMethodsAreRestorersOfTheirTask() {
        for (String name : ClassicalMethods.NAMES) {
            Restorer r = Restorers.byName(name, RestoreSettings.defaults(), null);
            assertInstanceOf(ClassicalRestorer.class, r);
            assertEquals(name, r.name());
            assertNull(r.meta(), name);
        }
        assertEquals("denoise", ClassicalRestorer.byName("nlm").task());
        assertEquals("inpaint", ClassicalRestorer.byName("telea").task());
        assertEquals("sr2", ClassicalRestorer.byName("bicubic").task());
        Image noisy = GaussianNoise.addNoise(CLEAN, 25, new SplittableRandom(1)).clip();
        // the adapter gives what the method gives
        assertArrayEquals(ClassicalMethods.byName("gaussian").apply(noisy, RestoreParams.ofSigma(25)).data(),
                ClassicalRestorer.byName("gaussian").apply(noisy, RestoreParams.ofSigma(25)).data());
    }

    @Test
    void networkDenoiserCountsItsTilesAndCallsBackForEach() {
        try (Restorer r = Restorers.open("denoise-gray", RestoreSettings.defaults().withTile(64).withQuality("fast"))) {
            Image noisy = GaussianNoise.addNoise(CLEAN, 25, new SplittableRandom(2)).clip();
            AtomicInteger tiles = new AtomicInteger();
            r.onTile(tiles::incrementAndGet);
            Image out = r.apply(noisy, RestoreParams.ofSigma(25));
            assertEquals(r.passes(noisy), tiles.get());
            assertTrue(r.passes(noisy) > 1, "a 96-px image in 64-px tiles takes several");
            assertTrue(Psnr.of(CLEAN, out) > Psnr.of(CLEAN, noisy) + 5, "denoised " + Psnr.of(CLEAN, out));
        }
    }

    @Test
    void pnpByNameOwnsItsPriorAndNeedsTheBlur() {
        Image blurred = GaussianNoise.addNoise(new GaussianBlur(1.6).apply(CLEAN, new SplittableRandom(3)), 2, new SplittableRandom(4)).clip();
        try (Restorer pnp = Restorers.byName("pnp", RestoreSettings.defaults().withTile(64), null)) {
            assertEquals("deblur", pnp.task());
            RetouchException e = assertThrows(RetouchException.class, () -> pnp.apply(blurred, RestoreParams.ofSigma(2)));
            assertTrue(e.getMessage().contains("needs the blur"), e.getMessage());
            Image sharp = pnp.apply(blurred, RestoreParams.ofSigma(2).withBlur(new GaussianBlur(1.6)));
            assertTrue(Psnr.of(CLEAN, sharp) > Psnr.of(CLEAN, blurred) + 1.5, "deblurred " + Psnr.of(CLEAN, sharp) + " from " + Psnr.of(CLEAN, blurred));
        }
    }

    @Test
    void notARestorationModelIsRefusedByName() {
        RetouchException e = assertThrows(RetouchException.class, () -> Restorers.open("gan-fmnist", 64));
        assertTrue(e.getMessage().contains("gan-fmnist") && e.getMessage().contains("restoration model"), e.getMessage());
    }
}
