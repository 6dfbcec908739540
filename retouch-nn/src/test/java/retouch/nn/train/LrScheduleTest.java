package retouch.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void linearDecayHoldsThenFallsToZeroAtTheLastStep() {
        LrSchedule s = LrSchedule.linearDecay(2e-4f, 100, 300);
        assertEquals(2e-4f, s.at(1), 0);
        assertEquals(2e-4f, s.at(100), 0);
        assertEquals(1e-4f, s.at(200), 1e-10);
        assertEquals(1e-6f, s.at(299), 1e-10);
        assertEquals(0f, s.at(300), 0);
        assertEquals(0f, s.at(400), 0);
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.linearDecay(1e-3f, 300, 300));
    }
}
