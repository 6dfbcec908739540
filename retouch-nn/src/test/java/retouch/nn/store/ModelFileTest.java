package retouch.nn.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.nn.SeededManager;
import retouch.RetouchException;
import retouch.nn.TinyCnn;

class ModelFileTest {

    @TempDir
    Path tmp;

    /** Saves a freshly initialised tiny-cnn and returns the output it gives on a fixed input. */
    private float[] saveTiny(Path target, int hidden) throws IOException {
        try (NDManager m = SeededManager.open(7)) {
            ModelMeta meta = TinyCnn.meta(1, hidden).toBuilder().trainingData("random").seed(7L).metric("psnr", 30.5).build();
            Block block = Architectures.buildInitialized(meta, m);
            ModelMeta written = ModelFile.save(target, meta, block);
            assertEquals(4, written.parameters().size());
            return run(block, m);
        }
    }

    private static NDArray input(NDManager m) {
        return m.arange(0f, 2 * 12 * 10f).div(240f).reshape(new Shape(2, 1, 12, 10));
    }

    private static float[] run(Block block, NDManager m) {
        return block.forward(new ParameterStore(m, false), new NDList(input(m)), false).singletonOrThrow().toFloatArray();
    }

    @Test
    void folderAndZipRoundTripBitExact() throws IOException {
        for (String name : List.of("denoiser", "denoiser.zip")) {
            Path target = tmp.resolve(name);
            float[] expected = saveTiny(target, 6);
            try (LoadedModel lm = ModelFile.load(target, TinyCnn.ARCHITECTURE); NDManager m = NDManager.newBaseManager()) {
                assertEquals("tiny-cnn", lm.meta().architecture());
                assertEquals(6, lm.meta().intParam("hidden", 0));
                assertEquals("denoiser", lm.meta().name());
                assertEquals(30.5, lm.meta().metrics().get("psnr"));
                assertEquals(List.of("denoise"), lm.meta().tasks());
                assertNotNull(lm.meta().created());
                float[] got = lm.forward(input(m)).toFloatArray();
                assertArrayEquals(expected, got, 0f);
                assertEquals(2 * 12 * 10, got.length);
            }
            // overwrite in place: still one valid model, no temp leftovers
            saveTiny(target, 6);
            try (Stream<Path> s = Files.list(tmp)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")));
            }
        }
    }

    @Test
    void halfPrecisionHalvesTheFileKeepsTheBlockAndRunsInFloat32() throws IOException {
        try (NDManager m = SeededManager.open(7)) {
            ModelMeta meta = TinyCnn.meta(1, 128).toBuilder().seed(7L).build();
            Block block = Architectures.buildInitialized(meta, m);
            float[] before = run(block, m);
            float[] weightsBefore = block.getParameters().get(0).getValue().getArray().toFloatArray();
            ModelFile.save(tmp.resolve("full"), meta, block);
            ModelMeta half = ModelFile.save(tmp.resolve("half"), meta.toBuilder().weightsPrecision(ModelMeta.FLOAT16).build(), block);
            // the caller's block is untouched: same dtype, bit-identical values and outputs
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, block.getParameters().get(0).getValue().getArray().getDataType());
            assertArrayEquals(weightsBefore, block.getParameters().get(0).getValue().getArray().toFloatArray(), 0f);
            assertArrayEquals(before, run(block, m), 0f);

            assertEquals(2, half.formatVersion());
            long full = Files.size(tmp.resolve("full").resolve(ModelFile.WEIGHTS_FILE));
            long small = Files.size(tmp.resolve("half").resolve(ModelFile.WEIGHTS_FILE));
            assertTrue(small < 0.6 * full && small > 0.4 * full, full + " -> " + small);
            try (LoadedModel lm = ModelFile.load(tmp.resolve("half"), TinyCnn.ARCHITECTURE)) {
                assertTrue(lm.meta().halfPrecision());
                float[] w = lm.block().getParameters().get(0).getValue().getArray().toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    assertEquals(weightsBefore[i], w[i], Math.abs(weightsBefore[i]) * 1e-3 + 1e-7, "weight " + i);
                }
                float[] got = lm.forward(input(m)).toFloatArray();
                double maxDiff = 0;
                for (int i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - before[i]));
                assertTrue(maxDiff > 0 && maxDiff < 2e-3, "half-precision output moved by " + maxDiff);
            }
            // a format-2 file is what an older reader refuses with "upgrade Retouch"
            assertTrue(Files.readString(tmp.resolve("half").resolve(ModelFile.META_FILE)).contains("\"weights_precision\" : \"float16\""));
        }
    }

    @Test
    void int8QuartersTheFileWithinHalfAStepPerOutputChannel() throws IOException {
        try (NDManager m = SeededManager.open(11)) {
            ModelMeta meta = TinyCnn.meta(1, 128).toBuilder().seed(11L).build();
            Block block = Architectures.buildInitialized(meta, m);
            float[] before = run(block, m);
            float[] weightsBefore = block.getParameters().get(0).getValue().getArray().toFloatArray();
            long[] shape = block.getParameters().get(0).getValue().getArray().getShape().getShape();
            ModelFile.save(tmp.resolve("full"), meta, block);
            ModelMeta q = ModelFile.save(tmp.resolve("int8"), meta.toBuilder().weightsPrecision(ModelMeta.INT8).build(), block);
            assertEquals(3, q.formatVersion());
            long full = Files.size(tmp.resolve("full").resolve(ModelFile.WEIGHTS_FILE));
            long small = Files.size(tmp.resolve("int8").resolve(ModelFile.WEIGHTS_FILE));
            assertTrue(small < 0.4 * full, full + " -> " + small);
            try (LoadedModel lm = ModelFile.load(tmp.resolve("int8"), TinyCnn.ARCHITECTURE)) {
                float[] w = lm.block().getParameters().get(0).getValue().getArray().toFloatArray();
                int per = w.length / (int) shape[0];
                for (int c = 0; c < shape[0]; c++) {
                    float max = 0;
                    for (int i = c * per; i < (c + 1) * per; i++) max = Math.max(max, Math.abs(weightsBefore[i]));
                    boolean extremeKept = false;
                    for (int i = c * per; i < (c + 1) * per; i++) {
                        assertEquals(weightsBefore[i], w[i], max / 127 / 2 * 1.0001 + 1e-9, "weight " + i);
                        if (Math.abs(weightsBefore[i]) == max) extremeKept |= Math.abs(w[i] - weightsBefore[i]) <= 1e-6 * max;
                    }
                    assertTrue(extremeKept, "channel " + c + ": its largest weight is stored as ±127 steps exactly");
                }
                float[] got = lm.forward(input(m)).toFloatArray();
                double maxDiff = 0;
                for (int i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - before[i]));
                double range = 0;
                for (float v : before) range = Math.max(range, Math.abs(v));
                // 1/254 of each channel's largest weight per weight: about a hundredth of the outputs' range
                assertTrue(maxDiff > 0 && maxDiff < 0.02 * range, "int8 output moved by " + maxDiff + " of " + range);
            }
            // model.json and the weights must agree: an int8 file announced as float16 is refused, naming the file
            Path lying = tmp.resolve("lying");
            ModelFile.save(lying, meta.toBuilder().weightsPrecision(ModelMeta.INT8).build(), block);
            String json = Files.readString(lying.resolve(ModelFile.META_FILE));
            assertTrue(json.contains("\"weights_precision\" : \"int8\""), json);
            Files.writeString(lying.resolve(ModelFile.META_FILE), json.replace("\"int8\"", "\"float16\"").replace("\"format_version\" : 3", "\"format_version\" : 2"));
            retouch.RetouchException e = org.junit.jupiter.api.Assertions.assertThrows(retouch.RetouchException.class,
                    () -> ModelFile.load(lying, TinyCnn.ARCHITECTURE).close());
            assertTrue(e.getMessage().contains("not a float16 weights file") && e.getMessage().contains("lying"), e.getMessage());
        }
    }

    @Test
    void modelJsonCarriesManifestAndSnakeCase() throws IOException {
        Path target = tmp.resolve("m");
        saveTiny(target, 4);
        String json = Files.readString(target.resolve(ModelFile.META_FILE));
        assertTrue(json.contains("\"format_version\" : 1"), json);
        assertTrue(json.contains("\"hyper_parameters\""), json);
        assertTrue(json.contains("\"weights_sha256\""), json);
        ModelMeta meta = ModelFile.readMeta(target);
        assertEquals(List.of("01Conv2d_weight", "01Conv2d_bias", "03Conv2d_weight", "03Conv2d_bias"),
                meta.parameters().stream().map(ModelMeta.ParamInfo::name).toList());
        assertArrayEquals(new long[] {4, 1, 3, 3}, meta.parameters().get(0).shape());
        assertArrayEquals(new long[] {1, 4, 3, 3}, meta.parameters().get(2).shape());
    }

    @Test
    void resolvesNamesOnTheSearchPathAndLists() throws IOException {
        Path store = Files.createDirectories(tmp.resolve("store"));
        saveTiny(store.resolve("alpha"), 4);
        saveTiny(store.resolve("beta.zip"), 4);
        Files.createDirectories(store.resolve("not-a-model"));
        Files.createDirectories(store.resolve("broken"));
        Files.writeString(store.resolve("broken").resolve(ModelFile.META_FILE), "{oops");
        String old = System.getProperty("retouch.models");
        System.setProperty("retouch.models", store.toString());
        try {
            assertEquals(store.resolve("alpha"), ModelStore.resolve("alpha"));
            assertEquals(store.resolve("beta.zip"), ModelStore.resolve("beta"));
            try (LoadedModel lm = ModelFile.load("beta", null)) {
                assertEquals("beta", lm.meta().name());
            }
            RetouchException e = assertThrows(RetouchException.class, () -> ModelStore.resolve("gamma"));
            assertTrue(e.getMessage().contains("no model named 'gamma'"), e.getMessage());
            List<ModelStore.Entry> entries = ModelStore.list().stream().filter(en -> en.location().startsWith(store)).toList();
            assertEquals(List.of("alpha", "beta", "broken"), entries.stream().map(ModelStore.Entry::name).toList());
            assertEquals("tiny-cnn", entries.get(0).architecture());
            assertEquals(List.of("denoise"), entries.get(1).tasks());
            assertTrue(entries.get(0).sizeBytes() > 1000);
            assertEquals("?", entries.get(2).architecture());
            assertTrue(entries.get(2).problem().contains("not valid JSON"));
            assertEquals(store, ModelStore.searchPath().get(0));
        } finally {
            if (old == null) {
                System.clearProperty("retouch.models");
            } else {
                System.setProperty("retouch.models", old);
            }
        }
    }

    private static String message(Path p, String arch) {
        return assertThrows(RetouchException.class, () -> ModelFile.load(p, arch).close()).getMessage();
    }

    private static void editJson(Path model, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path f = model.resolve(ModelFile.META_FILE);
        ObjectNode n = (ObjectNode) ModelFile.json().readTree(f.toFile());
        edit.accept(n);
        ModelFile.json().writeValue(f.toFile(), n);
    }

    @Test
    void clearErrorsForBrokenModels() throws IOException {
        Path good = tmp.resolve("good");
        saveTiny(good, 4);

        String msg = message(tmp.resolve("absent"), null);
        assertTrue(msg.contains("does not exist"), msg);

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        msg = message(empty, null);
        assertTrue(msg.contains("has no model.json"), msg);

        Path noWeights = copy(good, "noweights");
        Files.delete(noWeights.resolve(ModelFile.WEIGHTS_FILE));
        msg = message(noWeights, null);
        assertTrue(msg.contains("has no weights.params"), msg);

        Path corrupt = copy(good, "corrupt");
        Files.writeString(corrupt.resolve(ModelFile.META_FILE), "{\"format_version\": 1, \"architecture\": ");
        msg = message(corrupt, null);
        assertTrue(msg.startsWith("model.json of " + corrupt + " is not valid JSON at line 1"), msg);

        Path future = copy(good, "future");
        int next = ModelMeta.FORMAT_VERSION + 1;
        editJson(future, n -> n.put("format_version", next));
        msg = message(future, null);
        assertTrue(msg.contains("uses model format " + next + " but this Retouch reads format " + ModelMeta.FORMAT_VERSION
                + "; upgrade Retouch"), msg);

        msg = message(good, "vae");
        assertEquals("model " + good + " is a 'tiny-cnn' model, but this command needs a 'vae' model; pick a 'vae' model (see 'retouch models')", msg);

        Path unknown = copy(good, "unknown");
        editJson(unknown, n -> n.put("architecture", "warp-drive"));
        msg = message(unknown, null);
        assertTrue(msg.contains("unknown architecture 'warp-drive'") && msg.contains("tiny-cnn"), msg);

        // hyper-parameters edited: the manifest no longer matches what the architecture builds
        Path edited = copy(good, "edited");
        editJson(edited, n -> ((ObjectNode) n.get("hyper_parameters")).put("hidden", 5));
        msg = message(edited, null);
        assertTrue(msg.contains("parameter '01Conv2d_weight' has shape (4, 1, 3, 3) but 'tiny-cnn' with hyper-parameters {hidden=5} expects (5, 1, 3, 3)"), msg);

        // same, without a manifest: caught after decoding the weights
        Path noManifest = copy(good, "nomanifest");
        editJson(noManifest, n -> {
            ((ObjectNode) n.get("hyper_parameters")).put("hidden", 5);
            n.remove("parameters");
        });
        msg = message(noManifest, null);
        assertTrue(msg.contains("parameter '01Conv2d_weight' has shape (4, 1, 3, 3)") && msg.contains("expects (5, 1, 3, 3)"), msg);

        // truncated weights: checksum
        Path truncated = copy(good, "truncated");
        byte[] w = Files.readAllBytes(truncated.resolve(ModelFile.WEIGHTS_FILE));
        Files.write(truncated.resolve(ModelFile.WEIGHTS_FILE), Arrays.copyOf(w, w.length - 40));
        msg = message(truncated, null);
        assertTrue(msg.contains("weights of model " + truncated + " are corrupt or truncated (checksum"), msg);

        // truncated weights without a checksum: caught by decoding
        Path truncated2 = copy(truncated, "truncated2");
        editJson(truncated2, n -> n.remove("weights_sha256"));
        msg = message(truncated2, null);
        assertTrue(msg.contains("are corrupt or truncated ("), msg);

        // garbage zip
        Path zip = tmp.resolve("junk.zip");
        Files.write(zip, "not a zip".getBytes(StandardCharsets.UTF_8));
        msg = message(zip, null);
        assertTrue(msg.contains("neither a model folder nor a readable zip"), msg);

        // the good one still loads
        ModelFile.load(good, "tiny-cnn").close();
        assertFalse(Files.exists(tmp.resolve("good.old")));
    }

    private Path copy(Path src, String name) throws IOException {
        Path dst = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> s = Files.list(src)) {
            for (Path p : s.toList()) {
                Files.copy(p, dst.resolve(p.getFileName()));
            }
        }
        return dst;
    }
}
