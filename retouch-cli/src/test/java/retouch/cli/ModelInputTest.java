package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.nn.Engines;
import retouch.nn.TinyCnn;
import retouch.nn.restore.DenoiseTraining;
import retouch.nn.store.Architectures;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;

/** Wrong, broken and good model files given to {@code restore --model}. */
class ModelInputTest {
    @TempDir static Path models;
    static Path tiny;
    static Path ffdnet;

    @BeforeAll
    static void saveModels() throws Exception {
        Engines.init();
        try (NDManager m = NDManager.newBaseManager()) {
            ModelMeta tinyMeta = TinyCnn.meta(1, 4);
            tiny = models.resolve("tiny");
            ModelFile.save(tiny, tinyMeta, Architectures.buildInitialized(tinyMeta, m));
            ModelMeta ff = DenoiseTraining.meta(new DenoiseTraining.Config("ffdnet", 1, 3, 8, 32, 4, 0, 55, 1e-3f, 1e-5f, 10, "l2", 0, "test"));
            ffdnet = models.resolve("ffdnet");
            Block b = Architectures.buildInitialized(ff, m);
            ModelFile.save(ffdnet, ff, b);
        }
    }

    @Test
    void modelOfAnotherArchitectureIsRefused(@TempDir Path out) throws Exception {
        Cli.Result r = Cli.run("restore", Cli.sample("camera.png").toString(), "-o", out.resolve("o.png").toString(), "--model", tiny.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("tiny-cnn") && r.err().contains("ffdnet"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(out.resolve("o.png")));
    }

    @Test
    void truncatedWeightsAreRefused(@TempDir Path tmp) throws Exception {
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken);
        Files.copy(ffdnet.resolve("model.json"), broken.resolve("model.json"));
        byte[] w = Files.readAllBytes(ffdnet.resolve("weights.params"));
        Files.write(broken.resolve("weights.params"), java.util.Arrays.copyOf(w, w.length / 2));
        Path out = tmp.resolve("o.png");
        Cli.Result r = Cli.run("restore", Cli.sample("camera.png").toString(), "-o", out.toString(), "--model", broken.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("broken"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void exportRenamesAndRecordsFigures(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("my-denoiser");
        Cli.Result r = Cli.run("models", "export", ffdnet.toString(), "--to", out.toString(), "--metric", "set12_psnr25=29.5",
                "--description", "test model", "--setting", "refine=wiener", "--setting", "ensemble=2");
        assertEquals(0, r.code(), r.err());
        ModelMeta meta = ModelFile.readMeta(out);
        assertEquals("wiener", meta.stringParam("refine", "none"));
        assertEquals(2, meta.intParam("ensemble", 1));
        assertEquals("my-denoiser", meta.name());
        assertEquals(29.5, meta.metrics().get("set12_psnr25"), 1e-9);
        assertEquals("test model", meta.description());
        // The exported model restores like the original.
        Path img = tmp.resolve("o.png");
        assertEquals(0, Cli.run("restore", Cli.sample("camera.png").toString(), "-o", img.toString(), "--model", out.toString()).code());
    }

    @Test
    void exportRejectsUnknownSettings(@TempDir Path tmp) throws Exception {
        // refine=fusion needs a fusion head, which this model does not have
        for (String bad : new String[] {"refine=bm4d", "ensemble=3", "tile=64", "refine=fusion"}) {
            Path out = tmp.resolve("m-" + bad.replace('=', '-'));
            Cli.Result r = Cli.run("models", "export", ffdnet.toString(), "--to", out.toString(), "--setting", bad);
            assertEquals(ExitCodes.BAD_INPUT, r.code(), bad + ": " + r.err());
            assertTrue(r.err().contains(bad.substring(0, bad.indexOf('='))), r.err());
            assertFalse(Files.exists(out), bad);
        }
    }

    @Test
    void goodModelRestoresAnyImageSizeKeepingShape(@TempDir Path tmp) throws Exception {
        // Odd size and larger than one tile: exercises padding for the 2x pixel-unshuffle and tile blending.
        Path in = tmp.resolve("in.png");
        retouch.image.ImageFiles.writePng(retouch.image.ImageFiles.read(Cli.sample("chelsea.png")).crop(0, 0, 171, 301), in);
        Path out = tmp.resolve("out.png");
        Cli.Result r = Cli.run("restore", in.toString(), "-o", out.toString(), "--model", ffdnet.toString(), "--tile", "64", "--sigma", "25");
        assertEquals(0, r.code(), r.err());
        var info = retouch.image.ImageFiles.probe(out);
        assertEquals(301, info.width());
        assertEquals(171, info.height());
        assertEquals(3, info.imageChannels());
    }
}
