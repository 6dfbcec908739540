package retouch.nn.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CompactWeightsTest {

    @Test
    void knownValues() {
        assertEquals((short) 0x3c00, CompactWeights.toHalf(1f));
        assertEquals((short) 0xc000, CompactWeights.toHalf(-2f));
        assertEquals((short) 0x7bff, CompactWeights.toHalf(65504f)); // largest finite half
        assertEquals((short) 0x7c00, CompactWeights.toHalf(65520f)); // rounds up to infinity
        assertEquals((short) 0x0001, CompactWeights.toHalf(0x1p-24f)); // smallest subnormal
        assertEquals((short) 0x0000, CompactWeights.toHalf(0x1p-26f));
        assertEquals((short) 0x3555, CompactWeights.toHalf(1f / 3)); // 0.33325195
        assertEquals(0.33325195f, CompactWeights.toFloat((short) 0x3555), 0f);
        // ties go to even: 1 + 2^-11 lies halfway between 1 and 1 + 2^-10
        assertEquals((short) 0x3c00, CompactWeights.toHalf(1f + 0x1p-11f));
        assertEquals((short) 0x3c02, CompactWeights.toHalf(1f + 3 * 0x1p-11f));
    }

    @Test
    void everyHalfRoundTripsAndRoundingIsNearest() {
        for (int h = 0; h < 0x10000; h++) {
            short s = (short) h;
            float f = CompactWeights.toFloat(s);
            if (Float.isNaN(f)) continue;
            assertEquals(s, CompactWeights.toHalf(f), "half 0x" + Integer.toHexString(h));
        }
        // any float lands on one of its two half neighbours, the nearer one
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 100_000; i++) {
            float f = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 6));
            float back = CompactWeights.toFloat(CompactWeights.toHalf(f));
            float ulp = Math.max(Math.ulp(back), 0x1p-24f);
            assertEquals(f, back, Math.max(Math.abs(f) * 0x1p-11f, 0x1p-25f) * 1.0001, "value " + f + " ulp " + ulp);
        }
    }
}
