package retouch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.ImageFiles;

/**
 * The input corpus (retouch-core/src/test/resources/corpus, see retouch.image.Corpus) through the
 * Java API: {@code Retouch.restore(Path, Path)} restores unusual but valid files upright and at
 * their size, and refuses bad ones with a one-line {@link RetouchException} naming the file,
 * writing nothing; tiny images give a RetouchException (never another exception) without a sigma.
 */
class CorpusApiTest {
    static final Path CORPUS = Path.of("..", "retouch-core", "src", "test", "resources", "corpus").toAbsolutePath().normalize();
    static Retouch r;

    @TempDir Path tmp;

    @BeforeAll
    static void load() {
        r = Retouch.forTask("denoise");
    }

    @AfterAll
    static void close() {
        if (r != null) r.close();
    }

    static List<String[]> manifest() throws IOException {
        return Files.readAllLines(CORPUS.resolve("MANIFEST.tsv")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.split("\t")).toList();
    }

    static Stream<Arguments> bad() throws IOException {
        return manifest().stream().filter(a -> a[1].equals("refuse")).map(a -> Arguments.of(a[0], a[2]));
    }

    static Stream<Arguments> good() throws IOException {
        return manifest().stream().filter(a -> a[1].equals("ok")).map(a -> Arguments.of(a[0], a[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badFileIsRefusedNamingIt(String file, String word) throws IOException {
        Path in = CORPUS.resolve(file);
        Path out = tmp.resolve("out.png");
        RetouchException e = assertThrows(RetouchException.class, () -> r.restore(in, out));
        String m = e.getMessage();
        assertTrue(m.startsWith(in + ": "), m);
        assertTrue(m.toLowerCase().contains(word.toLowerCase()), "should say '" + word + "': " + m);
        assertFalse(m.contains("\n"), m);
        assertFalse(Files.exists(out), "nothing written");
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "no temporary file left");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("good")
    void goodFileRestoresUpright(String file, String detail) {
        Path in = CORPUS.resolve(file);
        Path out = tmp.resolve("out.png");
        r.restore(in, out);
        Image g = ImageFiles.read(out).toGray();
        String[] d = detail.split(" ");
        assertEquals(d[0], g.width() + "x" + g.height(), file);
        if (d.length > 1) {
            int w = g.width(), h = g.height();
            double tl = mean(g, 0, 0, w / 4, h / 4), br = mean(g, h - h / 4, w - w / 4, w / 4, h / 4);
            assertTrue(tl > 0.7 && br < 0.45, file + ": bright block expected top-left (tl " + tl + ", br " + br + ")");
        }
    }

    @Test
    void tinyImagesAskForSigma() throws IOException {
        for (int side : new int[] {1, 5}) {
            Image tiny = Image.filled(3, side, side, 0.5f);
            RetouchException e = assertThrows(RetouchException.class, () -> r.restore(tiny, Double.NaN));
            assertTrue(e.getMessage().contains("sigma"), e.getMessage());
            Path in = tmp.resolve("tiny" + side + ".png");
            ImageFiles.writePng(tiny, in);
            Path out = tmp.resolve("tiny-out" + side + ".png");
            e = assertThrows(RetouchException.class, () -> r.restore(in, out));
            assertTrue(e.getMessage().startsWith(in + ": ") && e.getMessage().contains("sigma"), e.getMessage());
            assertFalse(Files.exists(out));
            Image done = r.restore(tiny, 15);
            assertEquals(side, done.width());
            assertEquals(side, done.height());
        }
        // and a good file right after
        Path out = tmp.resolve("ok.tif");
        r.restore(CORPUS.resolve("good/exif-6.jpg"), out);
        assertEquals("TIFF", ImageFiles.probe(out).format());
        assertEquals(48, ImageFiles.read(out).width());
    }

    private static double mean(Image g, int y0, int x0, int w, int h) {
        double s = 0;
        for (int y = y0; y < y0 + h; y++) for (int x = x0; x < x0 + w; x++) s += g.get(0, y, x);
        return s / (w * h);
    }
}
