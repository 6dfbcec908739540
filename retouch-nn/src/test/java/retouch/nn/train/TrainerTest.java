package retouch.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;

class TrainerTest {

    @TempDir
    Path tmp;

    private static Trainer.Builder trainer(Path dir) {
        return Trainer.builder().setRunDir(dir).setSteps(40).optSeed(42).optCheckpointEvery(10).optLogEvery(1)
                .optQuiet(true).optShutdownHook(false).optCommand("test");
    }

    private static List<float[]> weights(Path model) {
        List<float[]> out = new ArrayList<>();
        try (LoadedModel lm = ModelFile.load(model, "tiny-cnn")) {
            for (Pair<String, Parameter> p : lm.block().getParameters()) {
                out.add(p.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    private static List<Double> column(List<String> lines, String name) {
        int idx = List.of(lines.get(0).split(",")).indexOf(name);
        List<Double> v = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            v.add(f[idx].isEmpty() ? Double.NaN : Double.parseDouble(f[idx]));
        }
        return v;
    }

    @Test
    void trainsResumesExactlyAndWritesLogs() throws IOException {
        // uninterrupted 40 steps
        Path full = tmp.resolve("full");
        DenoiseTask a = new DenoiseTask();
        Trainer.Result ra = trainer(full).optValidateEvery(20).optExport(tmp.resolve("exported.zip")).build().fit(a);
        assertEquals(40, ra.step());
        assertTrue(ra.completed());
        assertEquals(0, ra.resumedFrom());
        assertEquals(2, a.validations);

        List<String> csv = Files.readAllLines(full.resolve(Trainer.LOG_CSV));
        assertEquals("step,wall_s,loss,lr,val_mse,rss_mb", csv.get(0));
        assertEquals(41, csv.size());
        List<Double> loss = column(csv, "loss");
        double first = loss.subList(0, 10).stream().mapToDouble(d -> d).average().orElseThrow();
        double last = loss.subList(30, 40).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(last < 0.5 * first, "loss should fall clearly: first-10 mean " + first + ", last-10 mean " + last);
        assertEquals(List.of(1.0, 2.0, 40.0), List.of(column(csv, "step").get(0), column(csv, "step").get(1), column(csv, "step").get(39)));
        assertTrue(Double.isNaN(column(csv, "val_mse").get(0)));
        assertTrue(column(csv, "val_mse").get(19) > 0);
        assertTrue(column(csv, "rss_mb").get(39) > 50);
        assertEquals(0.01, column(csv, "lr").get(5), 1e-9);
        byte[] png = Files.readAllBytes(full.resolve(Trainer.CURVE_PNG));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);

        // the checkpoint is a valid model file carrying the run's provenance
        ModelMeta meta = ModelFile.readMeta(full.resolve(Trainer.CHECKPOINT));
        assertEquals("tiny-cnn", meta.architecture());
        assertEquals(40L, meta.steps());
        assertEquals(42L, meta.seed());
        assertEquals("test", meta.command());
        assertEquals("random smooth 16x16, sigma 0.2", meta.trainingData());
        assertEquals(loss.get(39), meta.metrics().get("loss"), 1e-6);
        assertTrue(meta.wallTimeSeconds() > 0);
        List<float[]> wa = weights(full.resolve(Trainer.CHECKPOINT));
        List<float[]> exported = weights(tmp.resolve("exported.zip"));
        for (int i = 0; i < wa.size(); i++) {
            assertArrayEquals(wa.get(i), exported.get(i), 0f);
        }

        // interrupted at step 17 (stop request, as from Ctrl-C), then resumed by a new trainer
        Path split = tmp.resolve("split");
        DenoiseTask b1 = new DenoiseTask();
        Trainer t1 = trainer(split).optValidateEvery(20).build();
        b1.stopper = t1;
        b1.stopAtStep = 17;
        Trainer.Result rb1 = t1.fit(b1);
        assertEquals(17, rb1.step());
        assertFalse(rb1.completed());
        assertEquals(17L, ModelFile.readMeta(split.resolve(Trainer.CHECKPOINT)).steps());
        assertEquals(18, Files.readAllLines(split.resolve(Trainer.LOG_CSV)).size());

        DenoiseTask b2 = new DenoiseTask();
        Trainer.Result rb2 = trainer(split).optValidateEvery(20).optSeed(999 /* ignored: the checkpoint's seed wins */).build().fit(b2);
        assertEquals(17, rb2.resumedFrom());
        assertEquals(40, rb2.step());
        assertTrue(rb2.completed());
        List<float[]> wb = weights(split.resolve(Trainer.CHECKPOINT));
        for (int i = 0; i < wa.size(); i++) {
            assertArrayEquals(wa.get(i), wb.get(i), 0f, "parameter " + i + " differs after resume");
        }
        List<String> csvB = Files.readAllLines(split.resolve(Trainer.LOG_CSV));
        assertEquals(csv.get(0), csvB.get(0));
        assertEquals(41, csvB.size());
        assertEquals(loss, column(csvB, "loss"));

        // a finished run started again does nothing and keeps its result
        Trainer.Result again = trainer(split).build().fit(new DenoiseTask());
        assertEquals(40, again.step());
        assertEquals(40, again.resumedFrom());
    }

    @Test
    void stopAtEndsASessionEarly() throws IOException {
        Path dir = tmp.resolve("run");
        // not quiet: exercises the progress bar and messages (stderr)
        Trainer.Result r = trainer(dir).optQuiet(false).optStopAt(5).optCheckpointEvery(0).build().fit(new DenoiseTask());
        assertEquals(5, r.step());
        assertFalse(r.completed());
        assertEquals(5L, r.meta().steps());
        Path ckpt = dir.resolve(Trainer.CHECKPOINT);
        for (String f : List.of("model.json", "weights.params", "trainer.json", "optimizers/adam.adam")) {
            assertTrue(Files.isRegularFile(ckpt.resolve(f)), f);
        }
        try (var s = Files.list(dir)) {
            assertEquals(List.of("checkpoint", "loss.png", "train.csv"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void adamMatchesTorchFormula() throws IOException {
        // one scalar parameter w, loss = 0.5 * c * w^2 so grad = c*w; compare three steps with the closed form
        retouch.nn.Engines.init();
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.nn.Block lin = ai.djl.nn.core.Linear.builder().setUnits(1).optBias(false).build();
            lin.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1));
            Parameter p = lin.getParameters().get(0).getValue();
            p.getArray().set(new float[] {1.5f});
            Adam adam = Adam.builder().optLearningRate(0.1f).optDecoupledWeightDecay(0.01f).build(lin);
            double w = 1.5, mo = 0, v = 0;
            double b1 = 0.9, b2 = 0.999, eps = 1e-8, lr = 0.1, wd = 0.01, c = 3;
            for (int t = 1; t <= 3; t++) {
                try (ai.djl.training.GradientCollector gc = m.getEngine().newGradientCollector()) {
                    ai.djl.ndarray.NDArray x = m.ones(new ai.djl.ndarray.types.Shape(1, 1));
                    ai.djl.ndarray.NDArray y = lin.forward(new ai.djl.training.ParameterStore(m, false), new ai.djl.ndarray.NDList(x), true).singletonOrThrow();
                    gc.backward(y.square().mul(0.5 * c).sum());
                }
                adam.update();
                double g = c * w;
                w -= lr * wd * w;
                mo = b1 * mo + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                double mh = mo / (1 - Math.pow(b1, t)), vh = v / (1 - Math.pow(b2, t));
                w -= lr * mh / (Math.sqrt(vh) + eps);
                assertEquals(w, p.getArray().getFloat(0, 0), 1e-6, "step " + t);
                // gradients were cleared by the update
                assertEquals(0f, p.getArray().getGradient().getFloat(0, 0));
            }
            // state round trip
            java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
            adam.save(bos);
            Adam other = Adam.builder().optLearningRate(0.1f).build(lin);
            other.load(new java.io.ByteArrayInputStream(bos.toByteArray()), "test");
            assertEquals(3, other.updates());
            adam.close();
            other.close();
        }
    }

    @Test
    void schedules() {
        assertEquals(0.1f, LrSchedule.constant(0.1f).at(1000));
        LrSchedule s = LrSchedule.stepDecay(1f, 10, 0.5f);
        assertEquals(1f, s.at(1));
        assertEquals(1f, s.at(10));
        assertEquals(0.5f, s.at(11));
        assertEquals(0.25f, s.at(21));
        LrSchedule c = LrSchedule.cosine(1f, 0.1f, 11);
        assertEquals(1f, c.at(1), 1e-6);
        assertEquals(0.55f, c.at(6), 1e-6);
        assertEquals(0.1f, c.at(11), 1e-6);
        assertEquals(0.1f, c.at(50), 1e-6);
        LrSchedule w = LrSchedule.constant(1f).withWarmup(3);
        assertEquals(0.25f, w.at(1), 1e-6);
        assertEquals(0.75f, w.at(3), 1e-6);
        assertEquals(1f, w.at(4), 1e-6);
        // A ramp after step 100 over 4 steps: unchanged up to 100, then 1/4, 2/4, 3/4, full rate.
        LrSchedule r = LrSchedule.constant(2f).withRamp(100, 4);
        assertEquals(2f, r.at(100), 1e-6);
        assertEquals(0.5f, r.at(101), 1e-6);
        assertEquals(1.5f, r.at(103), 1e-6);
        assertEquals(2f, r.at(104), 1e-6);
        assertEquals(2f, r.at(5000), 1e-6);
        LrSchedule cr = LrSchedule.cosine(1f, 0.1f, 11).withRamp(5, 2);
        assertEquals(c.at(6) / 2, cr.at(6), 1e-6);
        assertEquals(c.at(7), cr.at(7), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(1f).withRamp(10, 0));
        assertTrue(Seeds.mixInt(1, 2) >= 0);
        assertFalse(Seeds.mix(1, 2) == Seeds.mix(2, 1));
    }

    /** Validation is optional: a task that only steps adds no validation metrics to the log. */
    @Test
    void taskWithoutValidationAddsNoMetrics() {
        TrainingTask stepsOnly = new TrainingTask() {
            @Override
            public void init(TrainContext ctx) {}

            @Override
            public Map<String, Float> step(StepContext ctx) {
                return Map.of("loss", 0f);
            }
        };
        assertEquals(Map.of(), stepsOnly.validate(null));
    }
}
