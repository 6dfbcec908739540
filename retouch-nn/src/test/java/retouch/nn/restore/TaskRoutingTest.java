package retouch.nn.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.nn.store.ModelStore;

/** A task's shipped model: gray photos to the gray model, RGB photos to the task's colour model. */
class TaskRoutingTest {

    @Test
    void denoiseSendsColourPhotosToTheColourModel() {
        assertEquals("denoise-color", ModelStore.COLOUR_DEFAULT_FOR_TASK.get("denoise"));
        try (Restorer r = Restorers.forTask("denoise", 64)) {
            Image gray = new Image(1, 40, 40), rgb = new Image(3, 40, 40);
            java.util.Arrays.fill(gray.data(), 0.5f);
            java.util.Arrays.fill(rgb.data(), 0.5f);
            assertEquals("denoise-gray", r.nameFor(gray));
            assertEquals("denoise-color", r.nameFor(rgb));
            // the routed model restores: same size and mode, a noisy flat photo comes out flat at its level
            Image noisy = retouch.degrade.GaussianNoise.addNoise(rgb, 25, new java.util.SplittableRandom(1)).quantize8();
            Image out = r.apply(noisy, retouch.restore.RestoreParams.ofSigma(25));
            assertEquals(3, out.channels());
            assertEquals(40, out.height());
            double mean = 0, spread = 0;
            for (float v : out.data()) mean += v;
            mean /= out.data().length;
            for (float v : out.data()) spread += (v - mean) * (v - mean);
            spread = Math.sqrt(spread / out.data().length);
            assertTrue(Math.abs(mean - 0.5) < 0.01, "flat photo's level moved to " + mean);
            assertTrue(spread < 0.02, "noise left on a flat photo (sigma 25 is 0.098): " + spread);
        }
    }

    @Test
    void superResolutionRunsOneModelForGrayAndColourPhotos() {
        assertEquals(null, ModelStore.COLOUR_DEFAULT_FOR_TASK.get("sr2"));
        try (Restorer r = Restorers.forTask("sr2", 64)) {
            assertEquals("sr2-color", r.nameFor(new Image(3, 40, 40)));
            assertEquals("sr2-color", r.nameFor(new Image(1, 40, 40)));
        }
        assertEquals(null, ModelStore.COLOUR_DEFAULT_FOR_TASK.get("sr4"));
        try (Restorer r = Restorers.forTask("sr4", 64)) {
            assertEquals("sr4-color", r.nameFor(new Image(3, 40, 40)));
            assertEquals("sr4-color", r.nameFor(new Image(1, 40, 40)));
        }
    }

    @Test
    void retiredModelNamesSayWhatReplacedThem() {
        RetouchException e = assertThrows(RetouchException.class, () -> Restorers.open("sr2-gray", 64));
        assertTrue(e.getMessage().contains("retired") && e.getMessage().contains("sr2-color"), e.getMessage());
        RetouchException x4 = assertThrows(RetouchException.class, () -> Restorers.open("sr4-gray", 64));
        assertTrue(x4.getMessage().contains("retired") && x4.getMessage().contains("sr4-color"), x4.getMessage());
    }

    @Test
    void unknownTaskIsNamed() {
        RetouchException e = assertThrows(RetouchException.class, () -> Restorers.forTask("sharpen", 64));
        assertTrue(e.getMessage().contains("sharpen") && e.getMessage().contains("denoise"), e.getMessage());
    }
}
