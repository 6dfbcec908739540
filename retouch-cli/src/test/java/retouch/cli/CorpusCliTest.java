package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.image.ImageInfo;

/**
 * The input corpus (retouch-core/src/test/resources/corpus, see retouch.image.Corpus) through
 * {@code retouch restore}: unusual but valid files come back upright, at their size, in their
 * format; bad files, bad masks and bad numbers give exit 3 (input) or 2 (command line), one line
 * naming the input and the fix, no stack trace and no output; tiny images never give exit 1.
 */
class CorpusCliTest {
    @TempDir Path tmp;

    static final Path CORPUS = Path.of("..", "retouch-core", "src", "test", "resources", "corpus").toAbsolutePath().normalize();

    /** file, expect, detail rows of MANIFEST.tsv. */
    static List<String[]> manifest() throws IOException {
        return Files.readAllLines(CORPUS.resolve("MANIFEST.tsv")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.split("\t")).toList();
    }

    static Stream<Arguments> badFiles() throws IOException {
        return manifest().stream().filter(a -> a[1].equals("refuse")).map(a -> Arguments.of(a[0], a[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileIsRefused(String file, String word) throws IOException {
        Path in = CORPUS.resolve(file);
        Path out = tmp.resolve("out.png");
        Cli.Result r = Cli.run("restore", in.toString(), "-o", out.toString(), "--method", "median");
        assertOneLine(r, ExitCodes.BAD_INPUT, in.toString(), word);
    }

    /** A few bad files through the learned path too (the file is read after the model is opened). */
    @Test
    void badFilesThroughTheModelThenAGoodOne() throws IOException {
        for (String f : List.of("bad/cut-in-idat.png", "bad/bomb-100000x100000.png", "bad/cut-in-scan.jpg", "bad/garbage-inside.webp")) {
            Path in = CORPUS.resolve(f);
            assertOneLine(Cli.run("restore", in.toString(), "-o", tmp.resolve("out.png").toString(), "--task", "denoise"),
                    ExitCodes.BAD_INPUT, in.toString(), "");
        }
        Path good = CORPUS.resolve("good/exif-6.jpg");
        Path out = tmp.resolve("ok.jpg");
        Cli.Result r = Cli.run("restore", good.toString(), "-o", out.toString(), "--task", "denoise");
        assertEquals(0, r.code(), r.err());
        assertUpright(out, 48, 32, true);
    }

    static Stream<Arguments> badNumbers() {
        return Stream.of(
                Arguments.of("--sigma", "NaN"), Arguments.of("--sigma", "Infinity"), Arguments.of("--sigma", "-5"),
                Arguments.of("--sigma", "1e9"), Arguments.of("--sigma", "twelve"), Arguments.of("--tile", "0"),
                Arguments.of("--tile", "-64"), Arguments.of("--tile", "1000000"), Arguments.of("--tile", "99999999999"),
                Arguments.of("--scale", "0"), Arguments.of("--scale", "1000"), Arguments.of("--radius", "-3"),
                Arguments.of("--max-pixels", "-1"), Arguments.of("--max-pixels", "0"), Arguments.of("--blur-sigma", "NaN"),
                Arguments.of("--blur-sigma", "-1"), Arguments.of("--blur-sigma", "Infinity"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badNumbers")
    void badNumberIsACommandLineError(String option, String value) throws IOException {
        Path in = CORPUS.resolve("good/exif-1.jpg");
        List<String> args = new ArrayList<>(List.of("restore", in.toString(), "-o", tmp.resolve("out.png").toString()));
        if (!option.equals("--blur-sigma")) args.addAll(List.of("--method", "median"));
        args.addAll(List.of(option, value));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(ExitCodes.USAGE, r.code(), () -> option + " " + value + ": " + r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("retouch: ") && first.contains(option.replace("--", "")), first);
        assertNoTraceNoOutput(r);
    }

    @Test
    void unwritableOutputFormatIsACommandLineError() throws IOException {
        Cli.Result r = Cli.run("restore", CORPUS.resolve("good/lossy.webp").toString(), "-o", tmp.resolve("out.webp").toString(), "--method", "median");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("out.webp") && r.err().contains(".png"), r.err());
        assertNoTraceNoOutput(r);
    }

    @Test
    void badMasks() throws IOException {
        Path photo = CORPUS.resolve("good/exif-1.jpg");
        Path allHole = tmp.resolve("all-hole.png");
        ImageFiles.writePng(Image.filled(1, 32, 48, 1f), allHole);
        Path notImage = tmp.resolve("mask.png");
        Files.writeString(notImage, "not a mask");
        Path outDir = Files.createDirectories(tmp.resolve("out"));
        Cli.Result r = Cli.run("restore", photo.toString(), "--mask", allHole.toString(), "-o", outDir.resolve("o.png").toString(), "--task", "inpaint");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("hole") && !r.err().contains("Exception"), r.err());
        r = Cli.run("restore", photo.toString(), "--mask", notImage.toString(), "-o", outDir.resolve("o.png").toString(), "--method", "telea");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("mask.png") && !r.err().contains("Exception"), r.err());
        try (Stream<Path> s = Files.list(outDir)) {
            assertEquals(List.of(), s.toList(), "nothing written");
        }
        // a mask of another size is resized, a gray (non-binary) one thresholded at one half: both defined
        Path small = tmp.resolve("small.png");
        Image m = Image.filled(1, 8, 12, 0.3f);
        m.set(0, 3, 4, 0.9f);
        ImageFiles.writePng(m, small);
        r = Cli.run("restore", photo.toString(), "--mask", small.toString(), "-o", outDir.resolve("o.png").toString(), "--method", "telea");
        assertEquals(0, r.code(), r.err());
        assertUpright(outDir.resolve("o.png"), 48, 32, true);
    }

    @Test
    void tinyImagesNeverEndInAnInternalError() throws IOException {
        for (int side : new int[] {1, 5}) {
            Path tiny = tmp.resolve("tiny" + side + ".png");
            ImageFiles.writePng(Image.filled(3, side, side, 0.5f), tiny);
            Path out = tmp.resolve("out" + side + ".png");
            Cli.Result r = Cli.run("restore", tiny.toString(), "-o", out.toString(), "--task", "denoise");
            assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
            assertTrue(r.err().contains(tiny.toString()) && r.err().contains("--sigma") && !r.err().contains("Exception"), r.err());
            assertFalse(Files.exists(out));
            for (String method : List.of("nlm", "median")) {
                r = Cli.run("restore", tiny.toString(), "-o", out.toString(), "--method", method);
                assertTrue(r.code() == 0 || r.code() == ExitCodes.BAD_INPUT, method + ": " + r.err());
                assertFalse(r.err().contains("internal error"), r.err());
            }
            r = Cli.run("restore", tiny.toString(), "-o", out.toString(), "--task", "denoise", "--sigma", "15");
            assertEquals(0, r.code(), r.err());
            Image o = ImageFiles.read(out);
            assertEquals(side, o.width());
            assertEquals(side, o.height());
        }
    }

    /** Every unusual but valid file of the corpus, in one run with the shipped denoiser, into a folder. */
    @Test
    void goodFilesRestoreUprightInTheirFormat() throws IOException {
        List<String[]> good = manifest().stream().filter(a -> a[1].equals("ok")).toList();
        List<String> args = new ArrayList<>(List.of("restore"));
        for (String[] a : good) args.add(CORPUS.resolve(a[0]).toString());
        Path outDir = tmp.resolve("restored");
        args.addAll(List.of("-o", outDir.toString(), "--task", "denoise"));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("two-pages.tif: TIFF with 2 pages: the first page was used"), r.err());
        assertTrue(r.err().contains("animated.gif: GIF with 2 frames"), r.err());
        Map<String, Integer> bases = new HashMap<>();
        for (String[] a : good) bases.merge(base(Path.of(a[0])), 1, Integer::sum);
        for (String[] a : good) {
            Path in = CORPUS.resolve(a[0]);
            ImageInfo info = ImageFiles.probe(in);
            String b = bases.get(base(in)) > 1 ? in.getFileName().toString() : base(in);
            Path out = outDir.resolve(b + "." + info.outputExtension());
            assertTrue(Files.exists(out), a[0] + " -> " + out + " missing; have " + list(outDir));
            ImageInfo oi = ImageFiles.probe(out);
            String expectFormat = switch (info.format()) {
                case "GIF", "WEBP" -> "PNG";
                default -> info.format();
            };
            assertEquals(expectFormat, oi.format(), a[0]);
            assertEquals(1, oi.orientation(), "written upright, with no orientation tag");
            if (info.bitDepth() == 16) assertEquals(16, oi.bitDepth(), a[0] + " keeps 16 bits");
            String[] d = a[2].split(" ");
            String[] wh = d[0].split("x");
            assertUpright(out, Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), d.length > 1);
        }
    }

    private static String base(Path p) {
        String n = p.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.')).toLowerCase(Locale.ROOT);
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Size, and for the corpus photos the bright block in the top-left third. */
    static void assertUpright(Path file, int w, int h, boolean mark) {
        Image g = ImageFiles.read(file).toGray();
        assertEquals(w + "x" + h, g.width() + "x" + g.height(), file + " size");
        if (!mark) return;
        double tl = mean(g, 0, 0, w / 4, h / 4), br = mean(g, h - h / 4, w - w / 4, w / 4, h / 4);
        double tr = mean(g, 0, w - w / 4, w / 4, h / 4), bl = mean(g, h - h / 4, 0, w / 4, h / 4);
        assertTrue(tl > 0.7 && br < 0.45 && tr < 0.45 && bl < 0.45,
                file + ": bright block expected top-left; corner means tl " + tl + " tr " + tr + " bl " + bl + " br " + br);
    }

    private static double mean(Image g, int y0, int x0, int w, int h) {
        double s = 0;
        for (int y = y0; y < y0 + h; y++) for (int x = x0; x < x0 + w; x++) s += g.get(0, y, x);
        return s / (w * h);
    }

    private void assertOneLine(Cli.Result r, int code, String name, String word) throws IOException {
        assertEquals(code, r.code(), () -> "exit code; stderr: " + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank() && !l.contains("NNPACK")).toList();
        assertEquals(1, lines.size(), () -> "one line expected: " + r.err());
        String line = lines.get(0);
        assertTrue(line.startsWith("retouch: "), line);
        assertTrue(line.contains(name), () -> "message should name " + name + ": " + line);
        assertTrue(line.toLowerCase(Locale.ROOT).contains(word.toLowerCase(Locale.ROOT)), () -> "message should say '" + word + "': " + line);
        assertNoTraceNoOutput(r);
    }

    private void assertNoTraceNoOutput(Cli.Result r) throws IOException {
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat ") || r.err().contains("internal error"), "no stack trace: " + r.err());
        try (Stream<Path> s = Files.walk(tmp)) {
            List<Path> written = s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith("out")).toList();
            assertEquals(List.of(), written, "nothing may be written");
        }
    }
}
