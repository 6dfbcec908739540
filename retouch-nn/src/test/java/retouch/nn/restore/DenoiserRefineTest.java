package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.RetouchException;
import retouch.baseline.Bm3d;
import retouch.restore.RestoreParams;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.metrics.Psnr;

/** The shipped denoiser's output refined by BM3D's Wiener stage (model.json refine: wiener). */
class DenoiserRefineTest {

    /** @param refine the refine setting; null leaves model.json to decide */
    private static Restorer open(String refine) {
        return ShippedDenoiser.openWith(RestoreSettings.defaults().withRefine(refine));
    }

    @Test
    void wienerStageImprovesTheNetworkAndIsTheShippedDefault() {
        Image clean = PnpDeblurrerTest.camera().crop(90, 40, 160, 200);
        Image noisy = GaussianNoise.addNoise(clean, 25, new SplittableRandom(31));
        try (Restorer network = open("none"); Restorer refined = open("wiener"); Restorer fused = open("fusion");
             Restorer shipped = open(null)) {
            Image a = network.apply(noisy, RestoreParams.ofSigma(25));
            Image b = refined.apply(noisy, RestoreParams.ofSigma(25));
            Image c = fused.apply(noisy, RestoreParams.ofSigma(25));
            assertTrue(b.sameShape(clean) && c.sameShape(clean));
            double alone = Psnr.of(clean, a), both = Psnr.of(clean, b), head = Psnr.of(clean, c);
            System.out.printf("denoise-gray σ25 on a camera crop: network %.2f dB, + Wiener stage %.2f dB, + fusion head %.2f dB%n", alone, both, head);
            assertTrue(both > alone + 0.1, "network " + alone + " dB, refined " + both + " dB");
            assertTrue(head > both + 0.05, "refined " + both + " dB, fused " + head + " dB");
            assertArrayEquals(c.data(), shipped.apply(noisy, RestoreParams.ofSigma(25)).data(), "model.json switches the refinement and the head on");
            // the head's tiles are announced and counted too
            long fusedAnnounced = fused.passes(noisy);
            java.util.concurrent.atomic.AtomicLong fusedCalls = new java.util.concurrent.atomic.AtomicLong();
            fused.onTile(fusedCalls::incrementAndGet);
            fused.apply(noisy, RestoreParams.ofSigma(25));
            assertEquals(fusedAnnounced, fusedCalls.get());
            // blind: σ estimated from the image for the network and for the Wiener stage
            double blind = Psnr.of(clean, refined.apply(noisy, RestoreParams.ofSigma(Double.NaN)));
            assertTrue(blind > alone + 0.05, "blind refined " + blind);
            // the plug-and-play prior step gets the network alone
            assertArrayEquals(a.data(), refined.denoiseAsPrior(noisy, 25).data());
            // the progress bar counts the Wiener stage's stripes, each weighted by its cost in tiles,
            // and the listener is called exactly as often as announced
            long stripes = Bm3d.refineStripes(clean.height(), clean.width(), 25);
            assertTrue(stripes >= 2, "stripes " + stripes);
            long announced = refined.passes(noisy);
            assertTrue(announced >= network.passes(noisy) + 2 * stripes, "passes " + announced);
            java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
            refined.onTile(calls::incrementAndGet);
            refined.apply(noisy, RestoreParams.ofSigma(25));
            assertEquals(announced, calls.get());
        }
    }

    @Test
    void colourPhotosAreRefinedInOpponentSpace() {
        Image g = PnpDeblurrerTest.camera().crop(120, 60, 96, 128);
        Image r = g.copy(), b = g.copy();
        for (int i = 0; i < r.data().length; i++) {
            r.data()[i] = 0.15f + 0.75f * r.data()[i];
            b.data()[i] = 0.9f * b.data()[i];
        }
        Image clean = Image.stack(r, g, b);
        Image noisy = GaussianNoise.addNoise(clean, 30, new SplittableRandom(32));
        try (Restorer network = open("none"); Restorer refined = open("wiener")) {
            double alone = Psnr.of(clean, network.apply(noisy, RestoreParams.ofSigma(30)));
            Image out = refined.apply(noisy, RestoreParams.ofSigma(30));
            assertEquals(3, out.channels());
            assertTrue(Psnr.of(clean, out) > alone + 0.1, "network " + alone + " dB, refined " + Psnr.of(clean, out));
        }
    }

    @Test
    void wienerProgressUnitsAreWeighedAgainstTheNetworksOwnPassCost() {
        Denoiser gray = new Denoiser(null, ffdnet(1, 64), null, 256, false);
        Denoiser wide = new Denoiser(null, ffdnet(3, 192), null, 256, false);
        assertEquals(1.0, gray.passCost(), 1e-9);
        assertEquals(9.0, wide.passCost(), 1e-9);
        // a 4000x3000 RGB photo: a Wiener stripe is worth ~1/9 as many of the wide network's tiles
        int g = gray.stripeUnits(3, 3000, 4000), w = wide.stripeUnits(3, 3000, 4000);
        assertTrue(g > 50, "gray units " + g);
        assertEquals(g / 9.0, w, 1.0);
    }

    private static retouch.nn.store.ModelMeta ffdnet(int channels, int width) {
        return retouch.nn.store.ModelMeta.builder(RestoreNets.FFDNET).channels(channels, channels)
                .hyper("depth", 15).hyper("width", width).tasks("denoise").build();
    }

    @Test
    void badSettingIsNamed() {
        RetouchException e = assertThrows(RetouchException.class, () -> open("bm4d"));
        assertTrue(e.getMessage().contains("none, wiener, fusion") && e.getMessage().contains("bm4d"), e.getMessage());
        // the head is asked for on a model that has none
        RetouchException none = assertThrows(RetouchException.class,
                () -> ShippedDenoiser.openWith("denoise-color", RestoreSettings.defaults().withRefine("fusion")));
        assertTrue(none.getMessage().contains("fusion head") && none.getMessage().contains("wiener"), none.getMessage());
    }
}
