package retouch.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.api.Retouch;
import retouch.image.Image;
import retouch.image.ImageFiles;

/**
 * The Spark job on an embedded local[2] Spark (UI off, loopback only) over a few small generated
 * images and the shipped denoise-gray model: outputs equal {@link Retouch#restore(Path, Path)} on
 * the same files, a corrupt and an empty file are error rows, a second run skips everything, and
 * the model is loaded once in the one executor JVM.
 */
class SparkRestoreTest {
    @TempDir static Path dir;
    static Path in;
    static Path clean;

    @BeforeAll
    static void images() {
        in = dir.resolve("in");
        clean = dir.resolve("clean");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 5; i++) {
            int c = i == 4 ? 3 : 1; // four gray, one RGB
            Image x = new Image(c, 48, 56);
            float[] d = x.data();
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < 48; y++) {
                    for (int xx = 0; xx < 56; xx++) {
                        d[(ch * 48 + y) * 56 + xx] = (float) (0.5 + 0.3 * Math.sin((xx + 7 * i + 3 * ch) / 6.0) * Math.cos(y / 9.0) + (xx > 28 ? 0.15 : -0.1));
                    }
                }
            }
            Image noisy = x.copy();
            float[] n = noisy.data();
            for (int k = 0; k < n.length; k++) {
                double u = 1 - rng.nextDouble(), v = rng.nextDouble();
                n[k] += (float) (20 / 255.0 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
            }
            String name = (i == 3 ? "sub/" : "") + "img" + i + ".png"; // one in a subfolder
            ImageFiles.writePng(x.clip(), clean.resolve(name));
            ImageFiles.writePng(noisy.clip(), in.resolve(name));
        }
        try {
            Files.write(in.resolve("corrupt.png"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
            Files.write(in.resolve("empty.png"), new byte[0]);
            Files.writeString(in.resolve("notes.txt"), "not an image: not listed");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void closeModels() {
        ExecutorModels.closeAll();
    }

    private static Map<String, Object> run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = SparkMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, () -> "exit code; stdout: " + o + "\nstderr: " + err.toString(StandardCharsets.UTF_8));
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(o, HashMap.class);
            return m;
        } catch (java.io.IOException e) {
            throw new AssertionError("summary is not JSON: " + o, e);
        }
    }

    @Test
    void restoresLikeTheApiReportsErrorsAndSkipsOnRerun() throws Exception {
        Path out = dir.resolve("out");
        int loadsBefore = ExecutorModels.loads();
        Map<String, Object> first = run("restore", "--input", in.toString(), "--output", out.toString(), "--model", "denoise-gray",
                "--references", clean.toString(), "--master", "local[2]", "--images-per-partition", "2", "--json");
        assertEquals(7, ((Number) first.get("images")).intValue(), first::toString);
        assertEquals(5, ((Number) first.get("restored")).intValue(), first::toString);
        assertEquals(2, ((Number) first.get("errors")).intValue(), first::toString);
        assertEquals(1, ((Number) first.get("model_loads")).intValue(), "one load in the one executor JVM: " + first);
        assertEquals(1, ((Number) first.get("executor_jvms")).intValue());
        assertEquals(loadsBefore + 1, ExecutorModels.loads());
        assertTrue(((Number) first.get("mean_psnr")).doubleValue() > 25, first::toString);
        @SuppressWarnings("unchecked") List<String> errors = (List<String>) first.get("first_errors");
        assertTrue(errors.stream().anyMatch(e -> e.contains("corrupt.png")), errors::toString);
        assertTrue(errors.stream().anyMatch(e -> e.contains("empty.png") && e.contains("0 bytes")), errors::toString);

        // the same pixels as the Java API on the same files
        try (Retouch r = Retouch.load("denoise-gray")) {
            for (String name : List.of("img0.png", "img1.png", "img2.png", "sub/img3.png", "img4.png")) {
                Path expected = dir.resolve("expected").resolve(name);
                r.restore(in.resolve(name), expected);
                Image a = ImageFiles.read(expected), b = ImageFiles.read(out.resolve(name));
                assertEquals(a.channels(), b.channels(), name);
                float maxDiff = 0;
                for (int k = 0; k < a.data().length; k++) maxDiff = Math.max(maxDiff, Math.abs(a.data()[k] - b.data()[k]));
                assertTrue(maxDiff < 0.5f / 255, name + ": differs from Retouch.restore by " + maxDiff * 255 + " levels");
            }
        }
        assertFalse(Files.exists(out.resolve("corrupt.png")));
        assertFalse(Files.exists(out.resolve("notes.png")));

        // the report: one row per file, errors with their message
        Path csv = out.resolve("_retouch/report.csv");
        List<String> lines = Files.readAllLines(csv);
        assertEquals(8, lines.size(), () -> "header + 7 rows: " + lines);
        assertTrue(Files.isDirectory(out.resolve("_retouch/report.parquet")));
        assertTrue(Files.isRegularFile(out.resolve("_retouch/summary.json")));

        // a second run finds every output written: nothing restored, nothing loaded, no file touched
        long stamp = Files.getLastModifiedTime(out.resolve("img0.png")).toMillis();
        Map<String, Object> second = run("restore", "--input", in.toString(), "--output", out.toString(), "--model", "denoise-gray",
                "--master", "local[2]", "--json");
        assertEquals(5, ((Number) second.get("skipped")).intValue(), second::toString);
        assertEquals(0, ((Number) second.get("restored")).intValue());
        assertEquals(2, ((Number) second.get("errors")).intValue());
        assertEquals(0, ((Number) second.get("model_loads")).intValue());
        assertEquals(stamp, Files.getLastModifiedTime(out.resolve("img0.png")).toMillis());
        assertNull(second.get("mean_psnr"));
    }

    @Test
    void badCommandLinesAndInputsHaveTheirExitCodes() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, SparkMain.run(new String[] {"restore", "--output", "x"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--input is required"));
        assertEquals(2, SparkMain.run(new String[] {"restore", "--input", "a", "--output", "b", "--sigma", "300"}, o, e));
        assertEquals(2, SparkMain.run(new String[] {"frobnicate"}, o, e));
        assertEquals(3, SparkMain.run(new String[] {"restore", "--input", dir.resolve("missing").toString(), "--output", dir.resolve("o2").toString(),
                "--master", "local[1]"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such folder"), err::toString);
    }

    @Test
    void partitionsHoldAFewImages() {
        assertEquals(25, RestoreJob.partitions(200, 8, 2));
        assertEquals(6, RestoreJob.partitions(20, 8, 2));
        assertEquals(3, RestoreJob.partitions(3, 8, 2));
        assertEquals("a/b", RestorePartition.stem("a/b.png"));
        assertEquals("a.b/c", RestorePartition.stem("a.b/c"));
        assertEquals("sub/x.png", RestorePartition.relative(new org.apache.hadoop.fs.Path("file:/data/in"), new org.apache.hadoop.fs.Path("file:/data/in/sub/x.png")));
        assertNotNull(RestoreJob.defaultGlob());
    }
}
