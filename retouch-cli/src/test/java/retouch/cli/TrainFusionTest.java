package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static retouch.cli.Cli.concat;
import static retouch.cli.TrainRuns.crops;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.degrade.GaussianNoise;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;

/** {@code retouch train fusion}: a tiny head on the shipped denoise-gray, trained, resumed, exported and run. */
class TrainFusionTest {
    @TempDir static Path tmp;

    @Test
    void headTrainsResumesFromItsSamplesAndRestores() throws Exception {
        Path run = tmp.resolve("run"), model = tmp.resolve("model");
        String[] args = {"train", "fusion", "--from", "denoise-gray", "--data", crops(tmp).toString(), "--depth", "3", "--width", "8",
                "--patch", "32", "--batch", "8", "--samples-per-image", "2", "--steps", "40", "--validate-every", "20",
                "--val-every", "3", "--checkpoint-every", "20", "--quiet", "--out", run.toString(), "--export", model.toString()};
        Cli.Result a = Cli.run(concat(args, "--stop-at", "20"));
        assertEquals(0, a.code(), a.err());
        assertTrue(a.err().contains("fusion samples: 14 in"), "4 images x 2 levels + 2 held out x 3 levels: " + a.err());
        Cli.Result b = Cli.run(args);
        assertEquals(0, b.code(), b.err());
        assertFalse(b.err().contains("fusion samples"), "a resumed run reads its samples back: " + b.err());
        assertTrue(b.out().contains("finished at step 40"), b.out());

        TrainRuns.Log log = TrainRuns.Log.of(run);
        double fused = log.last("val_psnr25");
        double wiener = log.last("val_wiener_psnr25");
        // 40 steps of a tiny head move it little from its start (the Wiener output itself), and never far down
        assertTrue(Math.abs(fused - wiener) < 0.3 && wiener > 26, "validation σ25: Wiener " + wiener + ", fused " + fused);

        JsonNode meta = new com.fasterxml.jackson.databind.ObjectMapper().readTree(model.resolve("model.json").toFile());
        assertEquals("fusion", meta.path("hyper_parameters").path("refine").asText());
        assertEquals(3, meta.path("hyper_parameters").path("fusion_depth").asInt());
        assertTrue(meta.path("hyper_parameters").path("network_command").asText().contains("train denoise"), meta.toString());

        // a model that has a head can start a new one (of another shape); the network's provenance stays
        Path again = tmp.resolve("again");
        Cli.Result c = Cli.run("train", "fusion", "--from", model.toString(), "--data", crops(tmp).toString(), "--depth", "2", "--width", "4",
                "--patch", "32", "--batch", "4", "--samples-per-image", "1", "--steps", "2", "--val-every", "3", "--quiet",
                "--out", run.resolveSibling("run2").toString(), "--export", again.toString());
        assertEquals(0, c.code(), c.err());
        JsonNode meta2 = new com.fasterxml.jackson.databind.ObjectMapper().readTree(again.resolve("model.json").toFile());
        assertEquals(2, meta2.path("hyper_parameters").path("fusion_depth").asInt());
        assertTrue(meta2.path("hyper_parameters").path("network_command").asText().contains("train denoise"), meta2.toString());

        // a model with a head starts a plain network training (gray, or RGB three times as wide): the head stays out
        String[] plain = {"train", "denoise", "--data", crops(tmp).toString(), "--depth", "15", "--patch", "32", "--batch", "2",
                "--steps", "1", "--lr", "1e-12", "--lr-min", "1e-12", "--validate-every", "0", "--val-every", "3", "--quiet",
                "--init-from", model.toString()};
        Cli.Result g = Cli.run(concat(plain, "--out", tmp.resolve("plain-gray").toString()));
        assertEquals(0, g.code(), g.err());
        assertTrue(Files.readString(tmp.resolve("plain-gray/checkpoint/model.json")).contains("without its fusion head"));
        Cli.Result o = Cli.run(concat(plain, "--channels", "3", "--width", "192", "--freeze-batchnorm", "--out", tmp.resolve("plain-rgb").toString()));
        assertEquals(0, o.code(), o.err());
        assertTrue(Files.readString(tmp.resolve("plain-rgb/checkpoint/model.json")).contains("opponent-colour blocks"));

        Image clean = ImageFiles.read(Cli.sample("camera.png")).crop(300, 200, 80, 100);
        Path noisy = tmp.resolve("noisy.png"), out = tmp.resolve("out.png");
        ImageFiles.writePng(GaussianNoise.addNoise(clean, 25, new SplittableRandom(4)).clip(), noisy);
        Cli.Result r = Cli.run("restore", noisy.toString(), "-o", out.toString(), "--model", model.toString(), "--sigma", "25");
        assertEquals(0, r.code(), r.err());
        Image restored = ImageFiles.read(out);
        assertTrue(restored.sameShape(clean));
        assertTrue(Psnr.of(clean, restored) > Psnr.of(clean, ImageFiles.read(noisy)) + 6, "restored " + Psnr.of(clean, restored));
    }

    @Test
    void headIsForGrayDenoisersOnly() throws Exception {
        Cli.Result r = Cli.run("train", "fusion", "--from", "deblur-gray", "--data", crops(tmp).toString(), "--steps", "2", "--quiet",
                "--out", tmp.resolve("wrong").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("deblur-gray") && r.err().contains("gray denoiser"), r.err());
        // samples kept from other settings are refused, naming the file to delete
        Path run = tmp.resolve("settings");
        String[] args = {"train", "fusion", "--data", crops(tmp).toString(), "--depth", "2", "--width", "4", "--patch", "32", "--batch", "2",
                "--steps", "1", "--val-every", "3", "--quiet", "--out", run.toString(), "--samples-per-image"};
        assertEquals(0, Cli.run(concat(args, "1")).code());
        Cli.Result other = Cli.run(concat(args, "2"));
        assertNotEquals(0, other.code());
        assertTrue(other.err().contains("fusion-samples.bin") && other.err().contains("delete it"), other.err());
    }
}
