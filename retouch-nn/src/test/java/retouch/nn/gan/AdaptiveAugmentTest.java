package retouch.nn.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.RetouchException;

/** ADA's controller: the probability follows the sign of D on real images against the target. */
class AdaptiveAugmentTest {

    @Test
    void probabilityRisesWhileDOverfitsAndFallsOtherwise() {
        DiffAugment aug = DiffAugment.parse("translation,cutout");
        // batch 64, 4 steps an adjustment, 0 -> 1 in 2,560 images: 0.1 per adjustment
        AdaptiveAugment ada = new AdaptiveAugment(aug, 0.6f, 64, 2560);
        assertEquals(0f, aug.probability(), 0f, "starts without augmentation");
        for (int i = 0; i < 3; i++) ada.observe(0.9f);
        assertEquals(0f, ada.probability(), 0f, "nothing changes within an interval");
        ada.observe(0.9f);
        assertEquals(0.1f, ada.probability(), 1e-6f);
        for (int i = 0; i < 4 * 20; i++) ada.observe(1f);
        assertEquals(1f, ada.probability(), 0f, "clamped at 1");
        for (int i = 0; i < 4 * 3; i++) ada.observe(0.2f);
        assertEquals(0.7f, ada.probability(), 1e-5f);
        assertEquals(0.7f, aug.probability(), 1e-5f, "drives the augmentation it was given");
        for (int i = 0; i < 4 * 20; i++) ada.observe(-1f);
        assertEquals(0f, ada.probability(), 0f, "clamped at 0");
    }

    @Test
    void stateRoundTripsThroughTheCheckpoint(@TempDir Path dir) throws Exception {
        AdaptiveAugment a = new AdaptiveAugment(DiffAugment.parse("cutout"), 0.6f, 64, 2560);
        for (int i = 0; i < 4 * 3 + 2; i++) a.observe(0.9f);  // 0.3 and two steps into the next interval
        Path f = dir.resolve("ada.txt");
        a.save(f);
        AdaptiveAugment b = new AdaptiveAugment(DiffAugment.parse("cutout"), 0.6f, 64, 2560);
        b.load(f);
        assertEquals(a.probability(), b.probability(), 0f);
        a.observe(0.9f);
        a.observe(0.9f);
        b.observe(0.9f);
        b.observe(0.9f);
        assertEquals(0.4f, b.probability(), 1e-5f, "the partial interval is resumed, not restarted");
        assertEquals(a.probability(), b.probability(), 0f);
        Files.writeString(f, "garbage");
        RetouchException e = assertThrows(RetouchException.class, () -> b.load(f));
        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
        assertThrows(RetouchException.class, () -> new AdaptiveAugment(DiffAugment.none(), 0.6f, 64, 2560));
    }
}
