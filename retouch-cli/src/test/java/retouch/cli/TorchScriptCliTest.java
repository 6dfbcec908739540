package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.image.Image;
import retouch.image.ImageFiles;

/**
 * {@code restore --model x.pt}, {@code eval --methods ...,x.pt} and {@code models export-torchscript}
 * with the TorchScript fixtures of retouch-nn (tiny Retouch models and their exports).
 */
class TorchScriptCliTest {
    static final Path FIXTURES = Path.of("..", "retouch-nn", "src", "test", "resources", "torchscript").toAbsolutePath().normalize();
    static final Path DNCNN = FIXTURES.resolve("dncnn-gray");
    static final Path DNCNN_PT = FIXTURES.resolve("dncnn-gray.pt");
    static final Path FFDNET = FIXTURES.resolve("ffdnet-rgb");
    static final Path FFDNET_PT = FIXTURES.resolve("ffdnet-rgb-s25.pt");

    @TempDir static Path images;
    static Path gray;
    static Path rgb;

    @BeforeAll
    static void crops() {
        gray = images.resolve("gray.png");
        rgb = images.resolve("rgb.png");
        ImageFiles.writePng(ImageFiles.read(Cli.sample("camera.png")).crop(90, 110, 75, 97), gray);
        ImageFiles.writePng(ImageFiles.read(Cli.sample("chelsea.png")).crop(30, 50, 69, 81), rgb);
    }

    private static Image restore(Path in, Path out, String... extra) {
        Cli.Result r = Cli.run(Cli.concat(new String[] {"restore", in.toString(), "-o", out.toString()}, extra));
        assertEquals(0, r.code(), r.err());
        return ImageFiles.read(out);
    }

    /** 8-bit outputs of two computations equal within 1e-4 differ by at most one level, rarely. */
    private static void assertSamePng(Image a, Image b) {
        assertTrue(a.sameShape(b), a.shapeString() + " vs " + b.shapeString());
        int off = 0;
        for (int i = 0; i < a.data().length; i++) {
            float d = Math.abs(a.data()[i] - b.data()[i]);
            assertTrue(d <= 1.01f / 255, "difference " + d + " at " + i);
            if (d > 0) off++;
        }
        assertTrue(off <= a.data().length / 100, off + " values differ by one level");
    }

    @Test
    void restoreWithTheTorchScriptFileEqualsTheNativeModel(@TempDir Path tmp) {
        for (Path in : new Path[] {gray, rgb}) {
            // A TorchScript file is only the network: a gray one runs on R, G and B apart, while Retouch's
            // own gray denoisers use an opponent colour space on RGB; compare like with like.
            Image expected = restore(in, tmp.resolve("native.png"), "--model", DNCNN.toString(), "--tile", "32", "--colour-route", "rgb");
            Image got = restore(in, tmp.resolve("ts.png"), "--model", DNCNN_PT.toString(), "--tile", "32");
            assertSamePng(expected, got);
            expected = restore(in, tmp.resolve("native.png"), "--model", FFDNET.toString(), "--tile", "32", "--sigma", "25", "--colour-route", "rgb");
            got = restore(in, tmp.resolve("ts.png"), "--model", FFDNET_PT.toString(), "--tile", "32");
            assertSamePng(expected, got);
        }
    }

    @Test
    void sixteenBitInputGivesSixteenBitOutput(@TempDir Path tmp) {
        Path in16 = tmp.resolve("in16.png");
        ImageFiles.writePng(ImageFiles.read(gray), in16, 16);
        Path out = tmp.resolve("out16.png");
        restore(in16, out, "--model", DNCNN_PT.toString(), "--channels", "1", "--task", "denoise");
        assertEquals(16, ImageFiles.probe(out).bitDepth());
    }

    @Test
    void exportThenRestore(@TempDir Path tmp) {
        Path pt = tmp.resolve("ffdnet-s10.pt");
        Cli.Result r = Cli.run("models", "export-torchscript", FFDNET.toString(), "-o", pt.toString(), "--sigma", "10");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sigma 10") && r.out().contains("TorchScript"), r.out());
        Image expected = restore(rgb, tmp.resolve("native.png"), "--model", FFDNET.toString(), "--sigma", "10");
        Image got = restore(rgb, tmp.resolve("ts.png"), "--model", pt.toString());
        assertSamePng(expected, got);

        r = Cli.run("models", "export-torchscript", FFDNET.toString(), "-o", tmp.resolve("no-sigma.pt").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("--sigma"), r.err());
        assertFalse(Files.exists(tmp.resolve("no-sigma.pt")));
    }

    @Test
    void evalAcceptsTorchScriptFiles(@TempDir Path tmp) throws Exception {
        Path set = tmp.resolve("set");
        Files.createDirectories(set);
        Files.copy(gray, set.resolve("a.png"));
        Cli.Result r = Cli.run("eval", "--set", set.toString(), "--task", "denoise", "--sigma", "25", "--methods",
                "noisy," + DNCNN_PT + "," + DNCNN, "--json");
        assertEquals(0, r.code(), r.err());
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        var results = doc.get("results");
        assertEquals(3, results.size());
        // The TorchScript file and the model it was exported from score the same.
        assertEquals(results.get(2).get("psnr").asDouble(), results.get(1).get("psnr").asDouble(), 1e-3);
    }

    private static void assertRefused(Cli.Result r, String... words) {
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        for (String w : words) assertTrue(r.err().contains(w), "'" + w + "' not in: " + r.err());
    }

    @Test
    void clearErrors(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("o.png");
        assertRefused(Cli.run("restore", gray.toString(), "-o", out.toString(), "--model", tmp.resolve("nothere.pt").toString()),
                "nothere.pt", "does not exist");
        Path garbage = tmp.resolve("garbage.pt");
        Files.writeString(garbage, "this is not a model\n".repeat(50));
        assertRefused(Cli.run("restore", gray.toString(), "-o", out.toString(), "--model", garbage.toString()),
                "garbage.pt", "not a TorchScript archive");
        assertRefused(Cli.run("restore", gray.toString(), "-o", out.toString(), "--model", DNCNN_PT.toString(), "--sigma", "25"),
                "--sigma does not apply");
        assertRefused(Cli.run("restore", gray.toString(), "-o", out.toString(), "--model", DNCNN_PT.toString(), "--task", "sr3x"),
                "unknown --task");
        assertRefused(Cli.run("restore", gray.toString(), "-o", out.toString(), "--model", DNCNN_PT.toString(), "--channels", "3"),
                "(1, 3, 64, 64)");
        assertRefused(Cli.run("restore", gray.toString(), "-o", out.toString(), "--method", "nlm", "--task", "sr2"),
                "--model x.pt");
        assertFalse(Files.exists(out));
        assertRefused(Cli.run("models", "export-torchscript", DNCNN.toString(), "-o", tmp.resolve("x.pt").toString(), "--sigma", "5"),
                "--sigma applies to ffdnet");
    }
}
