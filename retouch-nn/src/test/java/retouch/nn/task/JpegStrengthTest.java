package retouch.nn.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import retouch.RetouchException;

class JpegStrengthTest {

    @Test
    void interpolatesBetweenListedQualitiesAndHoldsTheEndsOutside() {
        JpegStrength s = JpegStrength.parse("10:1, 90:0.8,95:0", "test");
        assertEquals(1.0, s.at(5), 1e-12);
        assertEquals(1.0, s.at(10), 1e-12);
        assertEquals(0.9, s.at(50), 1e-12);
        assertEquals(0.8, s.at(90), 1e-12);
        assertEquals(0.32, s.at(93), 1e-12);
        assertEquals(0.0, s.at(95), 1e-12);
        assertEquals(0.0, s.at(100), 1e-12);
    }

    @Test
    void roundTripsThroughItsText() {
        JpegStrength s = JpegStrength.parse("95:0.017,10:1,92:0.882", "test");
        assertEquals("10:1.000,92:0.882,95:0.017", s.spec());
        assertEquals(s, JpegStrength.parse(s.spec(), "again"));
    }

    @Test
    void noTableKeepsTheWholeRepair() {
        assertEquals(1.0, JpegStrength.parse("", "test").at(95), 0);
        assertEquals(1.0, JpegStrength.FULL.at(10), 0);
        assertTrue(JpegStrength.FULL.isFull());
        assertFalse(JpegStrength.parse("90:0.5", "t").isFull());
    }

    @Test
    void malformedTablesNameTheirSourceAndTheFix() {
        for (String bad : new String[] {"90", "90:x", "90:1.5", "0:1", "101:0.5", "90:-0.1", "a:b:c", "90:0.5,", "90:0.5,90:0.4"}) {
            RetouchException e = assertThrows(RetouchException.class, () -> JpegStrength.parse(bad, "model m"), bad);
            assertTrue(e.getMessage().startsWith("model m: jpeg_strength"), e.getMessage());
            assertTrue(e.getMessage().contains("calibrate-jpeg"), e.getMessage());
        }
    }
}
