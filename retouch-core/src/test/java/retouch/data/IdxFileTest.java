package retouch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import retouch.RetouchException;
import retouch.image.Image;

class IdxFileTest {
    @TempDir
    Path tmp;

    /** Writes a tiny MNIST-like split (n images of 3×4, pixel = i*12+k, label = i % 10). */
    static void writeSplit(Path dir, String prefix, int n, boolean gz) throws IOException {
        byte[] px = new byte[n * 12];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i % 256);
        byte[] lab = new byte[n];
        for (int i = 0; i < n; i++) lab[i] = (byte) (i % 10);
        Files.createDirectories(dir);
        String ext = gz ? ".gz" : "";
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), maybeGzip(IdxFile.encode(new int[] {n, 3, 4}, px), gz));
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), maybeGzip(IdxFile.encode(new int[] {n}, lab), gz));
    }

    static byte[] maybeGzip(byte[] b, boolean gz) throws IOException {
        if (!gz) return b;
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bos)) {
            z.write(b);
        }
        return bos.toByteArray();
    }

    @Test
    void readsRawAndGzipped() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path dir = tmp.resolve("d" + gz);
            writeSplit(dir, "train", 25, gz);
            String ext = gz ? ".gz" : "";
            LabeledImages s = IdxFile.read(dir.resolve("train-images-idx3-ubyte" + ext), dir.resolve("train-labels-idx1-ubyte" + ext),
                    Datasets.MNIST_CLASSES);
            assertEquals(25, s.size());
            assertEquals(3, s.h());
            assertEquals(4, s.w());
            assertEquals(7, s.label(17));
            Image im = s.image(2);
            assertEquals(1, im.channels());
            assertEquals((2 * 12 + 5) / 255f, im.get(0, 1, 1), 0f);
            float[] b = s.batch(new int[] {21, 0});
            assertEquals((21 * 12 % 256) / 255f, b[0], 0f);
            assertEquals(0f, b[12], 0f);
            assertArrayEquals(new int[] {3, 3, 3, 3, 3, 2, 2, 2, 2, 2}, s.classCounts());
            assertEquals(3, s.withLabel(4).size());
            assertEquals(25, s.shuffled(1).size());
            assertEquals(Arrays.stream(s.labels()).sum(), Arrays.stream(s.shuffled(1).labels()).sum());
        }
    }

    @Test
    void truncatedAndWrongFilesNameTheFile() throws IOException {
        writeSplit(tmp, "train", 10, false);
        Path images = tmp.resolve("train-images-idx3-ubyte");
        byte[] all = Files.readAllBytes(images);
        Path cut = tmp.resolve("cut-images-idx3-ubyte");
        Files.write(cut, Arrays.copyOf(all, all.length - 7));
        RetouchException e = assertThrows(RetouchException.class, () -> IdxFile.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ": IDX data is truncated: the header says 10x3x4 = 120 bytes but only 113 follow"), e.getMessage());

        Path gzCut = tmp.resolve("cut.gz");
        byte[] gz = maybeGzip(all, true);
        Files.write(gzCut, Arrays.copyOf(gz, gz.length / 2));
        RetouchException g = assertThrows(RetouchException.class, () -> IdxFile.read(gzCut));
        assertTrue(g.getMessage().startsWith(gzCut.toString()) && g.getMessage().contains("truncated"), g.getMessage());

        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "hello world");
        RetouchException m = assertThrows(RetouchException.class, () -> IdxFile.read(text));
        assertTrue(m.getMessage().contains("notes.txt") && m.getMessage().contains("magic number"), m.getMessage());

        RetouchException swapped = assertThrows(RetouchException.class,
                () -> IdxFile.read(tmp.resolve("train-labels-idx1-ubyte"), images, Datasets.MNIST_CLASSES));
        assertTrue(swapped.getMessage().contains("swap"), swapped.getMessage());

        writeSplit(tmp.resolve("other"), "t10k", 9, false);
        RetouchException mismatch = assertThrows(RetouchException.class,
                () -> IdxFile.read(images, tmp.resolve("other/t10k-labels-idx1-ubyte"), Datasets.MNIST_CLASSES));
        assertTrue(mismatch.getMessage().contains("9 labels but train-images-idx3-ubyte has 10 images"), mismatch.getMessage());

        Path extra = tmp.resolve("extra");
        Files.write(extra, Arrays.copyOf(all, all.length + 3));
        assertThrows(RetouchException.class, () -> IdxFile.read(extra));
        assertThrows(RetouchException.class, () -> IdxFile.read(tmp.resolve("missing.gz")));
    }

    private static LabeledImages emptySet(List<String> classNames) {
        return new LabeledImages(new byte[0], 0, 1, 1, new int[0], classNames);
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({"fashion, sneaker, 7", "fashion, Sneakers, 7", "fashion, bag, 8", "fashion, BAG, 8", "fashion, boot, 9",
            "fashion, ankle boot, 9", "fashion, tshirt, 0", "fashion, T-Shirt, 0", "fashion, top, 0", "fashion, t-shirt/top, 0",
            "fashion, shirt, 6", "fashion, trousers, 1", "fashion, 3, 3", "mnist, 7, 7", "mnist, three, 3"})
    void classNamesAndAliases(String set, String name, int index) {
        List<String> classes = set.equals("fashion") ? Datasets.FASHION_CLASSES : Datasets.MNIST_CLASSES;
        assertEquals(index, emptySet(classes).classIndex(name));
    }

    @Test
    void unknownClassNamesAreRefused() {
        LabeledImages f = emptySet(Datasets.FASHION_CLASSES);
        RetouchException e = assertThrows(RetouchException.class, () -> f.classIndex("hat"));
        assertTrue(e.getMessage().contains("unknown label 'hat'") && e.getMessage().contains("ankle boot"), e.getMessage());
        LabeledImages m = emptySet(Datasets.MNIST_CLASSES);
        assertThrows(RetouchException.class, () -> m.classIndex("12"));
    }
}
