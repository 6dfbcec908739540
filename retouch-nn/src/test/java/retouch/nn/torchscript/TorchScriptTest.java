package retouch.nn.torchscript;

import retouch.restore.RestoreParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.nn.Engines;
import retouch.nn.TinyCnn;
import retouch.nn.restore.Restorer;
import retouch.nn.restore.Restorers;
import retouch.nn.restore.TaskDegradation;
import retouch.nn.store.Architectures;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;

/** External TorchScript models: import through the tiled restore path, export of Retouch models, clear errors. */
class TorchScriptTest {
    static final float TOL = 1e-4f;
    static Image rgb;
    static Image gray;

    @BeforeAll
    static void images() {
        Engines.init();
        // Larger than a 32-pixel tile in both directions, odd sides: tiling, padding and blending all run.
        rgb = ImageFiles.read(Path.of("..", "samples", "chelsea.png")).crop(40, 60, 71, 93);
        gray = ImageFiles.read(Path.of("..", "samples", "camera.png")).crop(100, 120, 67, 85);
    }

    private static float maxDiff(Image a, Image b) {
        assertTrue(a.sameShape(b), a.shapeString() + " vs " + b.shapeString());
        float m = 0;
        for (int i = 0; i < a.data().length; i++) m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        return m;
    }

    private static Image restore(String model, Image in, int tile, double sigma) {
        try (Restorer r = Restorers.open(model, tile)) {
            return r.apply(in, RestoreParams.ofSigma(sigma));
        }
    }

    /** Native vs exported file on gray and RGB input, tiled (tile 32) and whole. */
    private static void assertSameAsNative(Path nativeModel, Path pt, double sigma) {
        for (Image in : List.of(gray, rgb)) {
            for (int tile : new int[] {32, 256}) {
                // An external TorchScript file is only a network: a gray one runs on R, G and B apart,
                // while Retouch's own gray denoisers work in an opponent colour space; compare like with like.
                Image expected;
                try (Restorer r = Restorers.open(nativeModel.toString(), retouch.nn.restore.RestoreSettings.defaults().withTile(tile).withColour("rgb"))) {
                    expected = r.apply(in, RestoreParams.ofSigma(sigma));
                }
                Image got = restore(pt.toString(), in, tile, Double.NaN);
                float d = maxDiff(expected, got);
                assertTrue(d <= TOL, "tile " + tile + ", " + in.shapeString() + ": max difference " + d);
                assertTrue(maxDiff(expected, in) > 1e-3, "the model must change the image for the test to mean anything");
            }
        }
    }

    @Test
    void committedDnCnnFileRestoresLikeTheNativeModel() {
        assertSameAsNative(TorchScriptFixtures.DNCNN_GRAY, TorchScriptFixtures.DNCNN_GRAY_PT, Double.NaN);
    }

    @Test
    void committedFfdNetFileRestoresLikeTheNativeModelAtItsBakedSigma() {
        assertSameAsNative(TorchScriptFixtures.FFDNET_RGB, TorchScriptFixtures.FFDNET_RGB_PT, TorchScriptFixtures.FFDNET_SIGMA);
    }

    @Test
    void probeFindsChannelsScaleMultipleAndRecordedTask() {
        try (TorchScriptModel m = TorchScriptModel.load(TorchScriptFixtures.DNCNN_GRAY_PT, 0)) {
            assertEquals(1, m.channels());
            assertEquals(1, m.scale());
            assertEquals(1, m.multiple());
            assertEquals("denoise", m.recordedTask());
        }
        try (TorchScriptModel m = TorchScriptModel.load(TorchScriptFixtures.FFDNET_RGB_PT, 0)) {
            assertEquals(3, m.channels());
            assertEquals(1, m.scale());
            assertEquals(2, m.multiple());
        }
        try (Restorer r = Restorers.open(TorchScriptFixtures.FFDNET_RGB_PT.toString(), 64)) {
            assertFalse(r.takesNoiseLevel());
            assertEquals("denoise", r.task());
            assertEquals("torchscript", r.meta().architecture());
            // The RGB model reads a gray image replicated: one pass per tile, as for an RGB image of that size.
            assertEquals(r.passes(rgb.toGray()), r.passes(rgb));
        }
        try (Restorer r = Restorers.open(TorchScriptFixtures.DNCNN_GRAY_PT.toString(), 64)) {
            // The gray model runs an RGB image per channel: three passes per tile.
            assertEquals(3 * r.passes(rgb.toGray()), r.passes(rgb));
        }
    }

    @Test
    void exportOfEachArchitectureMatchesTheRetouchModel(@TempDir Path tmp) throws Exception {
        List<ModelMeta> metas = new ArrayList<>();
        metas.add(TinyCnn.meta(3, 6));
        metas.add(ModelMeta.builder("dncnn").channels(3, 3).hyper("depth", 4).hyper("width", 16).tasks("denoise").build());
        metas.add(ModelMeta.builder("ffdnet").channels(1, 1).hyper("depth", 3).hyper("width", 8).hyper("residual", false).tasks("sr2").build());
        for (ModelMeta meta : metas) {
            Path dir = tmp.resolve(meta.architecture());
            try (NDManager m = NDManager.newBaseManager()) {
                ModelFile.save(dir, meta, Architectures.buildInitialized(meta, m));
            }
            try (LoadedModel lm = ModelFile.load(dir, null)) {
                Path pt = tmp.resolve(meta.architecture() + ".pt");
                TorchScriptExport.Result r = TorchScriptExport.export(lm, pt, Double.NaN);
                assertTrue(r.maxDifference() <= TOL, meta.architecture() + ": " + r.maxDifference());
                assertTrue(Files.size(pt) > 0);
                assertEquals(meta.tasks().get(0), r.task());
                try (TorchScriptModel ts = TorchScriptModel.load(pt, 0)) {
                    assertEquals(meta.inputChannels(), ts.channels());
                }
            }
        }
        // The SR model keeps the size, so restore --model sr.pt upscales bicubically first, as Retouch's own SR models do.
        try (Restorer r = Restorers.open(tmp.resolve("ffdnet.pt").toString(), 64)) {
            assertEquals("sr2", r.task());
            Image out = r.apply(gray, null);
            assertEquals(gray.height() * 2, out.height());
            assertEquals(gray.width() * 2, out.width());
        }
    }

    @Test
    void exportNeedsSigmaForFfdNetDenoisersAndRefusesItElsewhere(@TempDir Path tmp) {
        try (LoadedModel m = ModelFile.load(TorchScriptFixtures.FFDNET_RGB, null)) {
            RetouchException e = assertThrows(RetouchException.class, () -> TorchScriptExport.export(m, tmp.resolve("a.pt"), Double.NaN));
            assertTrue(e.getMessage().contains("--sigma"), e.getMessage());
        }
        try (LoadedModel m = ModelFile.load(TorchScriptFixtures.DNCNN_GRAY, null)) {
            RetouchException e = assertThrows(RetouchException.class, () -> TorchScriptExport.export(m, tmp.resolve("b.pt"), 25));
            assertTrue(e.getMessage().contains("--sigma applies to ffdnet"), e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("a.pt")) || Files.exists(tmp.resolve("b.pt")));
    }

    /** A hand-written TorchScript model: forward(x) with the given body. */
    private static Path script(Path dir, String name, String... lines) throws IOException {
        TorchScriptArchive a = new TorchScriptArchive("Test");
        for (String l : lines) a.forwardLine(l);
        Path p = dir.resolve(name);
        a.write(p);
        return p;
    }

    @Test
    void superResolutionModelRunsOnTheLowResolutionImageTileByTile(@TempDir Path tmp) throws Exception {
        Path sr = script(tmp, "nearest2.pt", "return torch.repeat_interleave(torch.repeat_interleave(x, 2, 2), 2, 3)");
        for (Image in : List.of(gray, rgb)) {
            try (Restorer r = Restorers.open(sr.toString(), 32)) {
                assertEquals("sr2", r.task());
                Image out = r.apply(in, null);
                assertEquals(in.channels(), out.channels());
                Image expected = new Image(in.channels(), in.height() * 2, in.width() * 2);
                for (int c = 0; c < in.channels(); c++)
                    for (int y = 0; y < 2 * in.height(); y++)
                        for (int x = 0; x < 2 * in.width(); x++) expected.set(c, y, x, in.get(c, y / 2, x / 2));
                assertTrue(maxDiff(expected, out) <= TOL, "max difference " + maxDiff(expected, out));
            }
        }
        RetouchException e = assertThrows(RetouchException.class, () -> Restorers.open(sr.toString(), 32, "denoise", 0));
        assertTrue(e.getMessage().contains("upscales by 2") && e.getMessage().contains("sr2"), e.getMessage());
        e = assertThrows(RetouchException.class, () -> Restorers.open(sr.toString(), 32, "sr4", 0));
        assertTrue(e.getMessage().contains("not by 4"), e.getMessage());
    }

    @Test
    void sizeKeepingModelGivenAnSrTaskGetsTheBicubicUpscale(@TempDir Path tmp) throws Exception {
        Path identity = script(tmp, "identity.pt", "return x");
        try (Restorer r = Restorers.open(identity.toString(), 32, "sr2", 3)) {
            Image out = r.apply(rgb, null);
            Image expected = TaskDegradation.prepareInput("sr2", rgb, rgb.height() * 2, rgb.width() * 2).clip();
            assertTrue(maxDiff(expected, out) <= TOL);
        }
    }

    private static String errorOf(Path p) {
        RetouchException e = assertThrows(RetouchException.class, () -> Restorers.open(p.toString(), 64));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void clearErrors(@TempDir Path tmp) throws Exception {
        String m = errorOf(tmp.resolve("missing.pt"));
        assertTrue(m.contains("does not exist") && m.contains("missing.pt"), m);

        Path garbage = tmp.resolve("garbage.pt");
        byte[] noise = new byte[5000];
        new java.util.Random(1).nextBytes(noise);
        Files.write(garbage, noise);
        m = errorOf(garbage);
        assertTrue(m.contains("garbage.pt") && m.contains("not a TorchScript archive"), m);

        Path truncated = tmp.resolve("truncated.pt");
        byte[] good = Files.readAllBytes(TorchScriptFixtures.DNCNN_GRAY_PT);
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
        m = errorOf(truncated);
        assertTrue(m.contains("truncated.pt") && m.contains("not a TorchScript archive"), m);

        Path checkpoint = tmp.resolve("weights.pth");
        try (OutputStream os = Files.newOutputStream(checkpoint); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("weights/data.pkl"));
            z.write(new byte[] {(byte) 0x80, 2, '}', '.'});
            z.closeEntry();
        }
        m = errorOf(checkpoint);
        assertTrue(m.contains("torch.save") && m.contains("torch.jit.trace"), m);

        m = errorOf(script(tmp, "sum.pt", "return torch.sum(x, [1])"));
        assertTrue(m.contains("not an image"), m);
        m = errorOf(script(tmp, "twice.pt", "return torch.cat([x, x], 1)"));
        assertTrue(m.contains("not an image"), m);
        m = errorOf(script(tmp, "crop.pt", "return torch.slice(x, 2, 0, 10)"));
        assertTrue(m.contains("not an image"), m);
        m = errorOf(script(tmp, "twochannel.pt", "return torch.conv2d(x, torch.ones([2, 2, 1, 1]))"));
        assertTrue(m.contains("runs neither on a 1-channel nor on a 3-channel image") && m.contains("2 channels"), m);

        TorchScriptArchive twoInputs = new TorchScriptArchive("Test").extraInput("noise_map").forwardLine("return torch.sub(x, noise_map)");
        twoInputs.write(tmp.resolve("two-inputs.pt"));
        m = errorOf(tmp.resolve("two-inputs.pt"));
        assertTrue(m.contains("noise_map") && m.contains("more inputs"), m);
    }

    // ------------------------------------------------------------------ PyTorch itself reads the files

    private static boolean pythonHasTorch() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch, numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Writes a float32 .npy file. */
    static void writeNpy(Path p, Image im) throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, " + im.channels() + ", " + im.height() + ", " + im.width() + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * im.data().length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        b.asFloatBuffer().put(im.data());
        Files.write(p, b.array());
    }

    @Test
    void pyTorchLoadsTheExportedFilesAndComputesTheSame(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(pythonHasTorch(), "skipped: /usr/bin/python3 cannot import torch and numpy (apt-get install python3-torch)");
        Path script = Path.of("..", "tools", "torchscript_check.py").toAbsolutePath().normalize();
        // Export afresh (the end-to-end path), then let PyTorch run the file on an input Retouch also ran.
        Path pt = tmp.resolve("ffdnet.pt");
        try (LoadedModel m = ModelFile.load(TorchScriptFixtures.FFDNET_RGB, null)) {
            TorchScriptExport.export(m, pt, TorchScriptFixtures.FFDNET_SIGMA);
        }
        for (Path file : List.of(pt, TorchScriptFixtures.DNCNN_GRAY_PT)) {
            try (TorchScriptModel ts = TorchScriptModel.load(file, 0)) {
                Image in = TorchScriptModel.probeImage(ts.channels(), 36, 52);
                writeNpy(tmp.resolve("in.npy"), in);
                writeNpy(tmp.resolve("out.npy"), ts.forward(in));
            }
            Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), file.toString(), "--input", tmp.resolve("in.npy").toString(),
                    "--expected", tmp.resolve("out.npy").toString(), "--tol", "1e-4").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("max abs difference"), out);
        }
    }
}
