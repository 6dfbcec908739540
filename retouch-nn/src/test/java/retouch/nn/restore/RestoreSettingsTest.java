package retouch.nn.restore;

import retouch.restore.RestoreParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import retouch.RetouchException;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.nn.store.ModelMeta;

/** Settings chosen per call, resolved against model.json, instead of JVM-wide switches. */
class RestoreSettingsTest {

    @Test
    void qualityResolvesAgainstTheModel() {
        ModelMeta headed = ModelMeta.builder("ffdnet").hyper("refine", "fusion").hyper("fusion_depth", 8).build();
        ModelMeta plain = ModelMeta.builder("ffdnet").hyper("ensemble", 4).build();
        RestoreSettings auto = RestoreSettings.defaults();
        assertEquals("fusion", auto.refineFor(headed));
        assertEquals("none", auto.refineFor(plain));
        assertEquals("none", auto.withQuality("fast").refineFor(headed));
        assertEquals("fusion", auto.withQuality("max").refineFor(headed));
        assertEquals("wiener", auto.withQuality("max").refineFor(plain));
        assertEquals("wiener", auto.withQuality("fast").withRefine("wiener").refineFor(headed), "an explicit stage wins over quality");
        assertEquals(4, auto.ensembleFor(plain));
        assertEquals(1, auto.withQuality("fast").ensembleFor(plain));
        assertEquals(8, auto.withQuality("fast").withEnsemble(8).ensembleFor(plain));
        RetouchException noHead = assertThrows(RetouchException.class, () -> auto.withRefine("fusion").refineFor(plain));
        assertTrue(noHead.getMessage().contains("fusion head"), noHead.getMessage());
    }

    @Test
    void deblurModeResolvesAgainstTheModel() {
        ModelMeta oneShot = ModelMeta.builder("unet-denoiser").hyper("deblur_mode", "network").build();
        ModelMeta fitted = ModelMeta.builder("ffdnet").build();
        RestoreSettings auto = RestoreSettings.defaults();
        assertEquals("network", auto.deblurModeFor(oneShot));
        assertEquals("kernel-fit", auto.deblurModeFor(fitted), "kernel-fit when model.json says nothing");
        assertEquals("network", auto.withQuality("fast").deblurModeFor(fitted), "fast is one network pass");
        assertEquals("kernel-fit", auto.withQuality("fast").withDeblur("kernel-fit").deblurModeFor(oneShot), "an explicit mode wins");
        assertEquals("kernel-fit", auto.withQuality("max").deblurModeFor(fitted));
        ModelMeta broken = ModelMeta.builder("ffdnet").hyper("deblur_mode", "magic").build();
        RetouchException e = assertThrows(RetouchException.class, () -> auto.deblurModeFor(broken));
        assertTrue(e.getMessage().contains("deblur_mode") && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void badValuesAreNamed() {
        for (Runnable r : new Runnable[] {
                () -> RestoreSettings.defaults().withQuality("best"),
                () -> RestoreSettings.defaults().withRefine("bm4d"),
                () -> RestoreSettings.defaults().withEnsemble(3),
                () -> RestoreSettings.defaults().withDeblur("magic"),
                () -> RestoreSettings.defaults().withInpaintScales(5),
                () -> RestoreSettings.defaults().withColour("lab"),
                () -> RestoreSettings.defaults().withTile(8)}) {
            RetouchException e = assertThrows(RetouchException.class, r::run);
            assertTrue(e.getMessage().matches(".*(must be|must be one of).*"), e.getMessage());
        }
    }

    /** One opened model answers calls with different settings differently, and each as a model opened with them would. */
    @Test
    void perCallSettingsMatchAModelOpenedWithThem() {
        Image clean = PnpDeblurrerTest.camera().crop(100, 60, 96, 96);
        Image noisy = GaussianNoise.addNoise(clean, 25, new SplittableRandom(4)).quantize8();
        RestoreSettings fast = RestoreSettings.defaults().withQuality("fast");
        try (Restorer shipped = ShippedDenoiser.openWith(RestoreSettings.defaults());
             Restorer openedFast = ShippedDenoiser.openWith(fast)) {
            Image byDefault = shipped.apply(noisy, RestoreParams.ofSigma(25));
            Image fastCall = shipped.restore(noisy, RestoreParams.ofSigma(25), fast.withTile(256)).image();
            Image fastOpen = openedFast.apply(noisy, RestoreParams.ofSigma(25));
            assertArrayEquals(fastOpen.data(), fastCall.data(), 1e-6f);
            double d = Psnr.of(byDefault, fastCall);
            assertTrue(d < 60, "the shipped default (refined) and the fast path must differ, PSNR between them " + d);
            assertTrue(Psnr.of(clean, fastCall) > Psnr.of(clean, noisy) + 5, "the fast path still denoises");
            // the default call is unchanged by the fast call before it
            assertArrayEquals(byDefault.data(), shipped.apply(noisy, RestoreParams.ofSigma(25)).data(), 1e-6f);
        }
    }
}
