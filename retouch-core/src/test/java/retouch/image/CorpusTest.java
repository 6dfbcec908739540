package retouch.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import retouch.RetouchException;

/** The input corpus (src/test/resources/corpus) through the image reader. */
class CorpusTest {
    static final Path ROOT = Path.of("src", "test", "resources", "corpus");

    /** The manifest's cases: file, expect ("ok" / "refuse"), detail. */
    static List<Corpus.Case> cases() throws IOException {
        return Files.readAllLines(ROOT.resolve("MANIFEST.tsv")).stream().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("\t")).map(a -> new Corpus.Case(a[0], a[1], a[2])).toList();
    }

    static Stream<Corpus.Case> good() throws IOException {
        return cases().stream().filter(c -> c.expect().equals("ok"));
    }

    static Stream<Corpus.Case> bad() throws IOException {
        return cases().stream().filter(c -> c.expect().equals("refuse"));
    }

    @Test
    void corpusIsLargeAndMatchesItsRecipe(@TempDir Path tmp) throws IOException {
        List<Corpus.Case> regenerated = Corpus.write(tmp, Path.of("src", "test", "resources", "webp"));
        assertEquals(cases(), regenerated, "MANIFEST.tsv is what Corpus writes");
        for (Corpus.Case c : regenerated) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve(c.file())), Files.readAllBytes(ROOT.resolve(c.file())),
                    c.file() + " differs from what Corpus writes; regenerate with retouch.image.Corpus");
        }
        assertTrue(bad().count() >= 40, "at least 40 bad inputs");
        assertTrue(good().count() >= 20, "at least 20 unusual but valid inputs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("good")
    void goodFilesReadUpright(Corpus.Case c) {
        Path p = ROOT.resolve(c.file());
        ImageInfo info = ImageFiles.probe(p);
        Image im = ImageFiles.read(p);
        String[] d = c.detail().split(" ");
        assertEquals(d[0], im.width() + "x" + im.height(), "upright size");
        assertEquals(d[0], info.width() + "x" + info.height(), "probe gives the upright size");
        if (d.length > 1 && d[1].equals("mark")) assertMarkTopLeft(im, c.file());
    }

    /** The corpus photos are dark with a bright block in the upright top-left third. */
    static void assertMarkTopLeft(Image im, String name) {
        Image g = im.toGray();
        int w = g.width(), h = g.height();
        double tl = mean(g, 0, 0, w / 4, h / 4), br = mean(g, h - h / 4, w - w / 4, w / 4, h / 4);
        double tr = mean(g, 0, w - w / 4, w / 4, h / 4), bl = mean(g, h - h / 4, 0, w / 4, h / 4);
        assertTrue(tl > 0.7 && br < 0.45 && tr < 0.45 && bl < 0.45,
                name + ": bright block expected top-left; corner means tl " + tl + " tr " + tr + " bl " + bl + " br " + br);
    }

    static double mean(Image g, int y0, int x0, int w, int h) {
        double s = 0;
        for (int y = y0; y < y0 + h; y++) for (int x = x0; x < x0 + w; x++) s += g.get(0, y, x);
        return s / (w * h);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badFilesAreRefusedInOneLine(Corpus.Case c) {
        Path p = ROOT.resolve(c.file());
        RetouchException e = assertThrows(RetouchException.class, () -> ImageFiles.read(p));
        String m = e.getMessage();
        assertTrue(m.startsWith(p + ": "), m);
        assertTrue(m.toLowerCase().contains(c.detail().toLowerCase()), "should say '" + c.detail() + "': " + m);
        assertFalse(m.contains("\n"), m);
    }
}
