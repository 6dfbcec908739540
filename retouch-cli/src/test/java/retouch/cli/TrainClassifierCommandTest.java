package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code retouch train classifier} on a tiny synthetic IDX set: trains, exports the evaluator with its floors, resumes. */
class TrainClassifierCommandTest {
    @TempDir Path tmp;

    /** Class k: a bright 6×6 square at a class-specific place on noise, as MNIST-format IDX files. */
    static void writeSplit(Path dir, String prefix, int n, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        try (DataOutputStream im = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")));
             DataOutputStream lab = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            im.writeInt(0x803);
            im.writeInt(n);
            im.writeInt(28);
            im.writeInt(28);
            lab.writeInt(0x801);
            lab.writeInt(n);
            for (int i = 0; i < n; i++) {
                int k = i % 10;
                lab.writeByte(k);
                int y0 = 4 + (k / 5) * 12 + r.nextInt(3), x0 = 1 + (k % 5) * 5 + r.nextInt(2);
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        boolean in = y >= y0 && y < y0 + 6 && x >= x0 && x < x0 + 6;
                        im.writeByte(in ? 200 + r.nextInt(56) : r.nextInt(40));
                    }
                }
            }
        }
    }

    @Test
    void trainsExportsAndResumes() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("squares"));
        writeSplit(data, "train", 300, 1);
        writeSplit(data, "t10k", 200, 2);
        Path run = tmp.resolve("run");
        Path export = tmp.resolve("evaluator-squares");
        String[] args = {"train", "classifier", "--data", data.toString(), "--epochs", "2", "--batch", "32", "--val", "60",
            "--widths", "8,16", "--features", "32", "--lr", "3e-3", "--no-batch-norm", "--floor-images", "150", "--kid-reference", "100",
            "--quiet", "--out", run.toString(), "--export", export.toString()};
        Cli.Result first = Cli.run(Cli.concat(args, "--stop-at-epoch", "1"));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("stopped at epoch 1/2"), first.out());
        assertTrue(!Files.exists(export), "no evaluator before the run completes");

        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("finished at epoch 2/2"), r.out());
        assertTrue(r.out().contains("test accuracy"), r.out());
        JsonNode meta = new ObjectMapper().readTree(export.resolve("model.json").toFile());
        assertEquals("domain-classifier", meta.path("architecture").asText());
        assertEquals("evaluator-squares", meta.path("name").asText());
        JsonNode m = meta.path("metrics");
        for (String k : new String[] {"test_accuracy", "fd_train_vs_test", "kid_train_vs_test", "val_acc"}) {
            assertTrue(m.has(k), k + " missing: " + m);
        }
        assertEquals(150, m.path("floor_images").asInt());
        assertTrue(m.path("test_accuracy").asDouble() > 0.3, m.toString());
        assertTrue(meta.path("command").asText().startsWith("retouch train classifier"), meta.path("command").asText());
        assertTrue(meta.path("training_data").asText().contains("240 for training, 60 held out"), meta.path("training_data").asText());
        assertEquals(10, meta.path("labels").size());
        for (String f : new String[] {"weights.params", "reference-mean.npy", "reference-cov.npy", "reference-features.npy"}) {
            assertTrue(Files.isRegularFile(export.resolve(f)), f);
        }
        String csv = Files.readString(run.resolve("train.csv"));
        assertTrue(csv.lines().findFirst().orElse("").contains("val_acc"), csv);
    }

    @Test
    void helpAndBadOptions() {
        Cli.Result help = Cli.run("train", "classifier", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--epochs") && help.out().contains("evaluator"), help.out());
        Cli.Result bad = Cli.run("train", "classifier", "--out", tmp.resolve("x").toString(), "--shift", "-1");
        assertEquals(3, bad.code(), bad.err());
    }
}
