package retouch.nn.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.RetouchException;

/**
 * Half-precision conversion against numpy 1.24
 * ({@code np.array([v], dtype=np.float32).astype(np.float16).view(np.uint16)}), and .npy round trips.
 */
class NpyTest {
    @TempDir Path tmp;

    @Test
    void halfConversionMatchesNumpy() {
        float[] values = {0.1f, -2.5f, 65504f, 65520f, 1e-8f, 3.0e-5f, 6.1e-5f, 2.98e-8f, 1f / 3, 1000.7f,
            0x1p-25f, 2.983212610274677e-08f, 0x1.8p-24f, 6.102025508880615e-05f, 1.00146484375f};
        int[] expected = {0x2e66, 0xc100, 0x7bff, 0x7c00, 0x0, 0x1f7, 0x3ff, 0x0, 0x3555, 0x63d1,
            0x0, 0x1, 0x2, 0x400, 0x3c02};
        for (int i = 0; i < values.length; i++) {
            assertEquals(expected[i], Npy.toHalf(values[i]) & 0xffff, "half of " + values[i]);
        }
        assertEquals(0x7c00, Npy.toHalf(Float.POSITIVE_INFINITY) & 0xffff);
        assertTrue(Float.isNaN(Npy.fromHalf(Npy.toHalf(Float.NaN))));
    }

    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Npy.fromHalf((short) h);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals(h, Npy.toHalf(f) & 0xffff, "half bits " + Integer.toHexString(h));
        }
        assertEquals(65504f, Npy.fromHalf((short) 0x7bff));
        assertEquals(0x1p-24f, Npy.fromHalf((short) 1));
        assertEquals(-2.5f, Npy.fromHalf((short) 0xc100));
    }

    @Test
    void writesAndReadsEveryWidth() throws Exception {
        double[] v = {1.5, -2.25, 3.0, 0.125, 1e-3, 42};
        for (int bytes : new int[] {2, 4, 8}) {
            Path f = tmp.resolve("a" + bytes + ".npy");
            Npy.write(f, new int[] {2, 3}, v, bytes);
            assertEquals(0, (Files.size(f) - 6 * bytes) % 64, "header padded to 64 bytes");
            Npy.Array a = Npy.read(f);
            assertArrayEquals(new int[] {2, 3}, a.shape());
            assertArrayEquals(v, a.values(), bytes == 8 ? 0 : 1e-3);
        }
        Path f = tmp.resolve("v.npy");
        Npy.write(f, new int[] {6}, v, 8);
        assertArrayEquals(new int[] {6}, Npy.read(f).shape());
        assertTrue(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains("'shape': (6,)"));
    }

    @Test
    void damagedFilesAreReportedClearly() throws Exception {
        Path f = tmp.resolve("bad.npy");
        Files.write(f, new byte[] {1, 2, 3});
        RetouchException e = assertThrows(RetouchException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("bad.npy"), e.getMessage());
        Npy.write(f, new int[] {4}, new double[] {1, 2, 3, 4}, 4);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 2));
        assertThrows(RetouchException.class, () -> Npy.read(f));
    }
}
