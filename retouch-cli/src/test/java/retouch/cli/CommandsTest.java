package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;

/** End-to-end runs of the subcommands on small inputs, asserting the values they produce. */
class CommandsTest {
    @TempDir Path tmp;
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everySubcommandHasHelp() {
        for (String cmd : new String[] {"demo", "degrade", "restore", "metrics", "eval", "doctor"}) {
            Cli.Result r = Cli.run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().contains("Usage: retouch " + cmd), cmd + ": " + r.out());
            assertTrue(r.out().contains("Exit codes"), cmd);
        }
        Cli.Result top = Cli.run("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().contains("degrade") && top.out().contains("restore"));
    }

    @Test
    void degradeIsDeterministicAndHasTheAskedSigma() throws Exception {
        // A mid-gray image, so clipping at 0 and 1 does not shrink the measured spread.
        Path flat = tmp.resolve("flat.png");
        ImageFiles.writePng(Image.filled(1, 256, 256, 0.5f), flat);
        Path a = tmp.resolve("a.png"), b = tmp.resolve("b.png"), c = tmp.resolve("c.png");
        assertEquals(0, Cli.run("degrade", flat.toString(), "-o", a.toString(), "--degrade", "noise:gauss:20", "--seed", "7").code());
        assertEquals(0, Cli.run("degrade", flat.toString(), "-o", b.toString(), "--degrade", "noise:gauss:20", "--seed", "7").code());
        assertEquals(0, Cli.run("degrade", flat.toString(), "-o", c.toString(), "--degrade", "noise:gauss:20", "--seed", "8").code());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same seed, same file");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)), "other seed, other noise");
        float[] v = ImageFiles.read(a).data();
        double mean = 0, sq = 0;
        for (float x : v) mean += x;
        mean /= v.length;
        for (float x : v) sq += (x - mean) * (x - mean);
        double std255 = Math.sqrt(sq / v.length) * 255;
        assertEquals(20.0, std255, 20.0 * 0.02, "measured sigma");
    }

    @Test
    void metricsMatchKnownAnswers() throws Exception {
        Path x = Cli.set12("01.png");
        Assumptions.assumeTrue(Files.exists(x), "Set12 not present");
        Image im = ImageFiles.read(x);
        Image q = im.copy();
        float[] d = q.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (Math.floor(Math.round(d[i] * 255) / 32.0) * 32 / 255.0);
        Path y = tmp.resolve("q.png");
        ImageFiles.writePng(q, y);
        Cli.Result r = Cli.run("metrics", x.toString(), y.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = json.readTree(r.out());
        assertEquals(0.722201, n.get("ssim").asDouble(), 1e-4);
        assertEquals(23.5590, n.get("psnr").asDouble(), 1e-4);
    }

    @Test
    void nlmGainsSixDbOnSigma25() throws Exception {
        Path clean = Cli.set12("01.png");
        if (!Files.exists(clean)) clean = Cli.sample("camera.png");
        Path noisy = tmp.resolve("noisy.png"), restored = tmp.resolve("restored.png");
        assertEquals(0, Cli.run("degrade", clean.toString(), "-o", noisy.toString(), "--degrade", "noise:gauss:25", "--seed", "1").code());
        Cli.Result r = Cli.run("restore", noisy.toString(), "-o", restored.toString(), "--method", "nlm");
        assertEquals(0, r.code(), r.err());
        Image x = ImageFiles.read(clean);
        double before = Psnr.of(x, ImageFiles.read(noisy));
        double after = Psnr.of(x, ImageFiles.read(restored));
        assertTrue(after - before >= 6.0, "NLM gain " + (after - before) + " dB");
    }

    @Test
    void restoreKeepsBitDepthAndChannels() throws Exception {
        Path in = tmp.resolve("in16.png");
        Image im = Image.filled(3, 64, 48, 0.25f);
        ImageFiles.writePng(im, in, 16);
        Path out = tmp.resolve("out.png");
        assertEquals(0, Cli.run("restore", in.toString(), "-o", out.toString(), "--method", "median").code());
        var info = ImageFiles.probe(out);
        assertEquals(16, info.bitDepth());
        assertEquals(3, info.imageChannels());
        assertEquals(48, info.width());
        assertEquals(64, info.height());
    }

    @Test
    void restoreProcessesAFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("in"));
        for (int i = 0; i < 3; i++) ImageFiles.writePng(Image.filled(1, 32, 32, 0.1f * i), dir.resolve("im" + i + ".png"));
        Path outDir = tmp.resolve("out");
        Cli.Result r = Cli.run("restore", dir.toString(), "-o", outDir.toString(), "--method", "gaussian");
        assertEquals(0, r.code(), r.err());
        for (int i = 0; i < 3; i++) assertTrue(Files.exists(outDir.resolve("im" + i + ".png")));
    }

    @Test
    void knownBlurDeblursByPlugAndPlay() throws Exception {
        Path clean = tmp.resolve("clean.png"), blurred = tmp.resolve("blurred.png"), sharp = tmp.resolve("sharp.png");
        ImageFiles.writePng(ImageFiles.read(Cli.sample("camera.png")).crop(150, 100, 128, 96), clean);
        assertEquals(0, Cli.run("degrade", clean.toString(), "-o", blurred.toString(), "--degrade", "blur:gauss:2,noise:gauss:2",
                "--seed", "3").code());
        Cli.Result r = Cli.run("restore", blurred.toString(), "-o", sharp.toString(), "--task", "deblur", "--blur-sigma", "2");
        assertEquals(0, r.code(), r.err());
        Image x = ImageFiles.read(clean), y = ImageFiles.read(sharp);
        assertEquals(x.width(), y.width());
        assertEquals(x.height(), y.height());
        double before = Psnr.of(x, ImageFiles.read(blurred)), after = Psnr.of(x, y);
        assertTrue(after - before >= 3.0, "plug-and-play gain " + before + " -> " + after);

        Cli.Result withMethod = Cli.run("restore", blurred.toString(), "-o", sharp.toString(), "--blur-sigma", "2", "--method", "nlm");
        assertTrue(withMethod.code() != 0 && withMethod.err().contains("drop --method"), withMethod.err());
        Cli.Result zero = Cli.run("restore", blurred.toString(), "-o", sharp.toString(), "--blur-sigma", "0");
        assertTrue(zero.code() != 0 && zero.err().contains("--blur-sigma must be"), zero.err());
        Cli.Result notDenoiser = Cli.run("restore", blurred.toString(), "-o", sharp.toString(), "--blur-sigma", "2", "--model", "sr2-color");
        assertTrue(notDenoiser.code() != 0 && notDenoiser.err().contains("denoising model"), notDenoiser.err());
    }

    @Test
    void evalPrintsMeanTableAsJson() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("set"));
        Image cam = ImageFiles.read(Cli.sample("camera.png"));
        ImageFiles.writePng(cam.crop(0, 0, 96, 96), dir.resolve("a.png"));
        ImageFiles.writePng(cam.crop(200, 200, 96, 96), dir.resolve("b.png"));
        ImageFiles.writePng(cam.crop(300, 300, 64, 80), dir.resolve("c.png")); // another size: left out of the grid
        Cli.Result r = Cli.run("eval", "--set", dir.toString(), "--task", "denoise", "--sigma", "15,50", "--methods", "noisy,nlm",
                "--json", "--strips", tmp.resolve("strips").toString(), "--grid-images", "3");
        assertEquals(0, r.code(), r.err());
        JsonNode res = json.readTree(r.out()).get("results");
        assertEquals(4, res.size());
        assertEquals("noisy", res.get(0).get("method").asText());
        assertEquals(3, res.get(0).get("images").size());
        // Noisy σ15 PSNR is 24.6 dB by definition; clipping the output can only raise it a little.
        double noisy = res.get(0).get("psnr").asDouble();
        assertTrue(noisy > 24.4 && noisy < 25.6, "noisy PSNR " + noisy);
        assertTrue(res.get(1).get("psnr").asDouble() > res.get(0).get("psnr").asDouble() + 2);
        assertTrue(Files.exists(tmp.resolve("strips").resolve("strip-0-noise_gauss_15.png")));
        // grid: rows a and b (c has another size), columns noisy, nlm, clean; 2 px padding
        Image grid = ImageFiles.read(tmp.resolve("strips").resolve("grid-1-noise_gauss_50.png"));
        assertEquals(3 * 98 + 2, grid.width());
        assertEquals(2 * 98 + 2, grid.height());
    }

    @Test
    void evalTaskShorthandsForDeblurAndInpaint() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("set2"));
        Image cam = ImageFiles.read(Cli.sample("camera.png"));
        ImageFiles.writePng(cam.crop(40, 40, 96, 96), dir.resolve("a.png"));
        Cli.Result r = Cli.run("eval", "--set", dir.toString(), "--task", "deblur", "--methods", "noisy,pnp", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode res = json.readTree(r.out()).get("results").get(0);
        assertEquals("blur:gauss:1.6,noise:gauss:2", res.get("degrade").asText());
        // pnp is told the blur of the degradation (σ 1.6) and deblurs with the shipped denoiser
        double pnp = json.readTree(r.out()).get("results").get(1).get("psnr").asDouble();
        assertTrue(pnp > res.get("psnr").asDouble() + 3, "pnp " + pnp + " vs blurred " + res.get("psnr").asDouble());
        r = Cli.run("eval", "--set", dir.toString(), "--degrade", "noise:gauss:5", "--methods", "pnp");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("needs the blur"), r.err());
        r = Cli.run("eval", "--set", dir.toString(), "--task", "inpaint", "--methods", "noisy,telea", "--json");
        assertEquals(0, r.code(), r.err());
        res = json.readTree(r.out()).get("results");
        assertEquals("mask:free:0.1-0.3", res.get(0).get("degrade").asText());
        assertTrue(res.get(1).get("hole_psnr").asDouble() > res.get(0).get("hole_psnr").asDouble() + 3, res.toString());
        // jpeg: the four qualities of the deblocking literature, the input worse at lower quality
        r = Cli.run("eval", "--set", dir.toString(), "--task", "jpeg", "--methods", "noisy", "--json");
        assertEquals(0, r.code(), r.err());
        res = json.readTree(r.out()).get("results");
        assertEquals(4, res.size());
        assertEquals("jpeg:10", res.get(0).get("degrade").asText());
        assertEquals("jpeg:40", res.get(3).get("degrade").asText());
        for (int i = 1; i < 4; i++) {
            assertTrue(res.get(i).get("psnr").asDouble() > res.get(i - 1).get("psnr").asDouble(), res.toString());
        }
        r = Cli.run("eval", "--set", dir.toString(), "--task", "sharpen", "--methods", "noisy");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("deblur"), r.err());
    }

    @Test
    void demoWritesStripsAndPrintsMetrics() throws Exception {
        Path out = tmp.resolve("demo");
        Cli.Result r = Cli.run("demo", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("PSNR"));
        for (String f : new String[] {"denoise-gray.png", "denoise-color.png", "deblur.png", "inpaint.png", "summary.json"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode s = json.readTree(out.resolve("summary.json").toFile());
        JsonNode gray = s.get(0);
        assertTrue(gray.get("methods").get("nlm").get("psnr").asDouble() > gray.get("input").get("psnr").asDouble() + 6);
        // the colour case runs the shipped RGB model, well above colour NL-means
        JsonNode colour = s.get(1);
        assertEquals("denoise-color", colour.get("case").asText());
        assertTrue(colour.get("methods").get("denoise-color").get("psnr").asDouble()
                > colour.get("methods").get("nlm").get("psnr").asDouble() + 1, colour.toString());
        JsonNode deblur = s.get(2);
        assertEquals("deblur", deblur.get("case").asText());
        // camera.png: 26.86 -> 29.82 dB measured (Set12 mean +3.8 dB); its flat sky leaves less to gain
        assertTrue(deblur.get("methods").get("pnp").get("psnr").asDouble() > deblur.get("input").get("psnr").asDouble() + 2.5, deblur.toString());
    }
}
