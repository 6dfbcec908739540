package retouch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import retouch.RetouchException;

class MnistJsonTest {
    @TempDir
    Path tmp;

    /** Class d gets d+1 digits; digit j of class d has pixel k = ((d*7 + j*3 + k) % 256)/255 rounded to 3 decimals. */
    static void writeDigits(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int d = 0; d < 10; d++) {
            StringBuilder sb = new StringBuilder("{ \"data\": [");
            for (int j = 0; j <= d; j++) {
                for (int k = 0; k < 784; k++) {
                    double v = ((d * 7 + j * 3 + k) % 256) / 255.0;
                    sb.append(j == 0 && k == 0 ? "" : ",");
                    sb.append(Math.round(v * 1000) / 1000.0); // like the package: 3 decimals
                }
            }
            Files.writeString(dir.resolve(d + ".json"), sb.append("]}").toString());
        }
    }

    @Test
    void readsThePackageLayoutExactly() throws IOException {
        Path digits = tmp.resolve("package/src/digits");
        writeDigits(digits);
        LabeledImages s = MnistJson.read(tmp.resolve("package"));
        assertEquals(55, s.size());
        assertEquals(28, s.h());
        assertEquals(Datasets.MNIST_CLASSES, s.classNames());
        assertEquals(0, s.label(0));
        assertEquals(1, s.label(1));
        assertEquals(9, s.label(54));
        // digit j=1 of class 3 is index 1+2+3+1 = 7 overall
        int idx = 7;
        assertEquals(3, s.label(idx));
        for (int k : new int[] {0, 100, 783}) {
            assertEquals((3 * 7 + 3 + k) % 256, s.pixels()[idx * 784 + k] & 0xff, "3-decimal values round back to the byte");
        }
        assertEquals(55, MnistJson.read(digits).size());
    }

    @Test
    void badFilesAreClear() throws IOException {
        Path f = tmp.resolve("3.json");
        Files.writeString(f, "{\"data\": [0, 0.5, 1]}");
        RetouchException e = assertThrows(RetouchException.class, () -> MnistJson.readClass(f));
        assertTrue(e.getMessage().contains("3.json") && e.getMessage().contains("multiple of 784"), e.getMessage());
        Files.writeString(f, "{\"data\": [0, 0.5, 1");
        RetouchException t = assertThrows(RetouchException.class, () -> MnistJson.readClass(f));
        assertTrue(t.getMessage().contains("3.json") && t.getMessage().contains("JSON"), t.getMessage());
        Files.writeString(f, "{\"data\": [0, 7]}");
        assertThrows(RetouchException.class, () -> MnistJson.readClass(f));
        assertThrows(RetouchException.class, () -> MnistJson.read(tmp.resolve("nothing")));
    }
}
