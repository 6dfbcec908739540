package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static retouch.cli.TrainRuns.crops;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code retouch train blur-sigma}: a tiny run validates, draws its strip, exports; bad settings are refused. */
class TrainBlurSigmaTest {
    @TempDir static Path tmp;

    @Test
    void trainsValidatesAndExports() throws Exception {
        Path run = tmp.resolve("run"), model = tmp.resolve("model");
        Cli.Result r = Cli.run("train", "blur-sigma", "--data", crops(tmp).toString(), "--width", "8", "--patch", "32", "--batch", "4",
                "--steps", "20", "--validate-every", "10", "--val-every", "3", "--checkpoint-every", "10", "--quiet",
                "--out", run.toString(), "--export", model.toString());
        assertEquals(0, r.code(), r.err());
        TrainRuns.Log log = TrainRuns.Log.of(run);
        double err = log.last("val_err");
        // four blurs from 1.0 to 3.0 px: any estimate in the trained range is off by less than 3.7 px on average
        assertTrue(err >= 0 && err < 3.7, "val_err " + err);
        log.last("val_err_sigma1.6");
        assertTrue(Files.list(run.resolve("samples")).anyMatch(p -> p.toString().endsWith(".png")), "sample strip");
        assertTrue(Files.isRegularFile(run.resolve("loss.png")), "loss curve");
        JsonNode meta = new com.fasterxml.jackson.databind.ObjectMapper().readTree(model.resolve("model.json").toFile());
        assertEquals("blur-sigma-net", meta.path("architecture").asText());
        assertEquals("blur-estimate", meta.path("tasks").get(0).asText());
        assertEquals(8, meta.path("hyper_parameters").path("width").asInt());
        assertTrue(meta.path("training_data").asText().contains("Gaussian blur σ 0.3-4"), meta.toString());
    }

    @Test
    void badSettingsAreRefusedWithTheFix() throws Exception {
        String data = crops(tmp).toString();
        Cli.Result range = Cli.run("train", "blur-sigma", "--data", data, "--sigma", "4-1", "--steps", "1", "--quiet", "--out", tmp.resolve("b1").toString());
        assertNotEquals(0, range.code());
        assertTrue(range.err().contains("--sigma must be a blur range in pixels like 0.3-4, not '4-1'"), range.err());
        Cli.Result patch = Cli.run("train", "blur-sigma", "--data", data, "--patch", "30", "--steps", "1", "--quiet", "--out", tmp.resolve("b2").toString());
        assertNotEquals(0, patch.code());
        assertTrue(patch.err().contains("--patch must be a multiple of 4"), patch.err());
        Cli.Result big = Cli.run("train", "blur-sigma", "--data", data, "--patch", "96", "--steps", "1", "--quiet", "--out", tmp.resolve("b3").toString());
        assertNotEquals(0, big.code());
        assertTrue(big.err().contains("no training image is at least 120 pixels"), big.err());
    }
}
