package retouch.nn.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import retouch.nn.store.Architectures;
import retouch.nn.store.ModelMeta;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.RetouchException;
import retouch.data.LabeledImages;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.nn.Engines;
import retouch.nn.synth.Generators;
import retouch.nn.synth.ImageGenerator;
import retouch.nn.train.Trainer;

class VaeTest {

    @TempDir
    static Path tmp;

    static Path model;
    static List<String> csv;

    /** 1,200 synthetic 28×28 images of two classes: a horizontal or a vertical bar at a random place. */
    static LabeledImages bars(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] px = new byte[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int cls = r.nextInt(2);
            labels[i] = cls;
            int pos = 4 + r.nextInt(20), from = 4 + r.nextInt(6), len = 10 + r.nextInt(8);
            for (int a = from; a < Math.min(28, from + len); a++) {
                for (int t = pos; t < pos + 3; t++) {
                    int y = cls == 0 ? t : a, x = cls == 0 ? a : t;
                    px[i * 784 + y * 28 + x] = (byte) 255;
                }
            }
        }
        return new LabeledImages(px, n, 28, 28, labels, List.of("horizontal", "vertical"));
    }

    @BeforeAll
    static void train() throws IOException {
        VaeTraining.Config cfg = new VaeTraining.Config(true, 8, 16, Likelihood.BERNOULLI, false, 1f, 0, 32,
                3e-3f, 1e-4f, 400, 100, "synthetic bars");
        Path run = tmp.resolve("run");
        Trainer.builder().setRunDir(run).setSteps(400).optSeed(3).optLogEvery(1).optCheckpointEvery(200).optValidateEvery(50).optSampleEvery(400)
                .optQuiet(true).optShutdownHook(false).optCommand("test").build().fit(new VaeTraining(cfg, bars(1, 1200)));
        model = run.resolve(Trainer.CHECKPOINT);
        csv = Files.readAllLines(run.resolve(Trainer.LOG_CSV));
    }

    private static double mean(List<String> lines, String col, int from, int to) {
        int idx = List.of(lines.get(0).split(",")).indexOf(col);
        return lines.subList(from, to).stream().map(l -> l.split(",", -1)[idx]).filter(s -> !s.isEmpty())
                .mapToDouble(Double::parseDouble).average().orElseThrow();
    }

    @Test
    void lossAndValidationElboFall() {
        double first = mean(csv, "loss", 1, 11), last = mean(csv, "loss", 391, 401);
        assertTrue(last < 0.6 * first, "negative ELBO should fall clearly: " + first + " -> " + last);
        double val50 = mean(csv, "val_neg_elbo", 50, 51), val150 = mean(csv, "val_neg_elbo", 400, 401);
        assertTrue(val150 < val50, "held-out -ELBO should fall: " + val50 + " -> " + val150);
        assertTrue(mean(csv, "kl", 391, 401) > 0.5, "the latent code must carry information (KL > 0)");
        assertTrue(Files.isRegularFile(model.getParent().resolve("samples/step-0000400.png")));
    }

    @Test
    void conditionalSamplesFollowTheLabel() {
        try (ImageGenerator g = Generators.load(model.toString())) {
            assertEquals(List.of("horizontal", "vertical"), g.labels());
            assertEquals(1, g.labelIndex("Vertical"));
            RetouchException e = assertThrows(RetouchException.class, () -> g.labelIndex("diagonal"));
            assertTrue(e.getMessage().contains("horizontal, vertical"), e.getMessage());
            List<Image> h = g.sample(40, 0, 7, 1f), v = g.sample(40, 1, 7, 1f);
            assertEquals(40, h.size());
            assertEquals(List.of(1, 28, 28), List.of(h.get(0).channels(), h.get(0).height(), h.get(0).width()));
            // The same latent codes decoded with each label: the label must turn the bars.
            int right = 0;
            for (int i = 0; i < 40; i++) {
                right += orientation(h.get(i)) > orientation(v.get(i)) ? 1 : 0;
                for (float f : h.get(i).data()) assertTrue(f >= 0 && f <= 1);
            }
            assertTrue(right >= 30, "the label should decide the bar orientation: " + right + "/40");
            // same seed, same images; other seed, other images
            assertEquals(h.get(3).data()[400], g.sample(40, 0, 7, 1f).get(3).data()[400], 0f);
            assertNotEquals(h.get(3).data()[400], g.sample(40, 0, 8, 1f).get(3).data()[400]);
        }
    }

    /** Positive for a horizontal bar (row profile peakier than column profile), negative for vertical. */
    private static double orientation(Image im) {
        double[] rows = new double[28], cols = new double[28];
        for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) { rows[y] += im.get(0, y, x); cols[x] += im.get(0, y, x); }
        return spread(rows) - spread(cols);
    }

    private static double spread(double[] v) {
        double max = 0, sum = 0;
        for (double d : v) { max = Math.max(max, d); sum += d; }
        return sum == 0 ? 0 : max / sum;
    }

    @Test
    void reconstructsHeldOutImagesAndBoundsAreConsistent() {
        LabeledImages test = bars(99, 64);
        try (VaeGenerator g = VaeGenerator.load(model)) {
            List<Image> in = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) in.add(test.image(i));
            List<Image> rec = g.reconstruct(in, java.util.Arrays.copyOf(test.labels(), 16));
            double psnr = 0, blank = 0;
            for (int i = 0; i < 16; i++) {
                psnr += Psnr.of(in.get(i), rec.get(i)) / 16;
                blank += Psnr.of(in.get(i), new Image(1, 28, 28, new float[784])) / 16;
            }
            assertTrue(psnr > blank + 3, "reconstruction " + psnr + " dB vs blank image " + blank + " dB");
            VaeEvaluation.Result r1 = VaeEvaluation.evaluate(g, test, 1, false, 5, null);
            VaeEvaluation.Result r50 = VaeEvaluation.evaluate(g, test, 50, false, 5, null);
            assertEquals(64, r50.images());
            assertTrue(Double.isFinite(r50.iwNll()) && r50.iwNll() > 0);
            // k = 1 is the ELBO itself; more samples tighten the bound.
            assertEquals(r1.negElbo(), r1.iwNll(), 1e-3);
            assertTrue(r50.iwNll() < r50.negElbo(), r50.iwNll() + " should be below " + r50.negElbo());
        }
    }

    @Test
    void likelihoodKnownAnswers() {
        Engines.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {2f, -1f, 0f, 1e-4f}, new Shape(1, 4));
            NDArray x = m.create(new float[] {1f, 0.25f, 0.5f, 0.3f}, new Shape(1, 4));
            // Bernoulli: softplus(l) - x*l = 0.126928 + 0.563262 + 0.693147 + 0.693197 - 0.00003
            assertEquals(2.076504, Likelihood.BERNOULLI.nll(logits, x, null).getFloat(0), 1e-4);
            // continuous Bernoulli subtracts log(l/tanh(l/2)): 0.965489 + 0.771937 + 2*0.693147
            assertEquals(2.076504 - 0.965489 - 0.771937 - 2 * 0.693147, Likelihood.CONTINUOUS_BERNOULLI.nll(logits, x, null).getFloat(0), 1e-4);
            float[] mean = Likelihood.CONTINUOUS_BERNOULLI.mean(logits).toFloatArray();
            assertEquals(0.656524, mean[0], 1e-5); // λ/(2λ-1) + 1/(2 atanh(1-2λ)) at λ = sigmoid(2)
            assertEquals(0.5, mean[2], 1e-6);
            // Gaussian with σ = 1: 0.5 (x - sigmoid(l))² + log √(2π) per pixel
            NDArray logScale = m.zeros(new Shape(1));
            double g = 0.5 * (Math.pow(1 - 0.880797, 2) + Math.pow(0.25 - 0.268941, 2) + 0 + Math.pow(0.3 - 0.500025, 2)) + 4 * 0.918939;
            assertEquals(g, Likelihood.GAUSSIAN.nll(logits, x, logScale).getFloat(0), 1e-4);
        }
    }

    @Test
    void wrongModelsFailClearly() throws IOException {
        RetouchException e = assertThrows(RetouchException.class, () -> Generators.load(tmp.resolve("nope").toString()));
        assertTrue(e.getMessage().contains("does not exist") || e.getMessage().contains("no model"), e.getMessage());
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken);
        for (Path p : Files.list(model).toList()) Files.copy(p, broken.resolve(p.getFileName()));
        Path weights = broken.resolve("weights.params");
        byte[] w = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(w, w.length / 2));
        e = assertThrows(RetouchException.class, () -> Generators.load(broken.toString()));
        assertTrue(e.getMessage().contains("broken"), e.getMessage());
    }
    @Test
    void labelAtEveryDecoderStageChangesTheImageAndTrainsFinitely() {
        Engines.init();
        ai.djl.engine.Engine.getInstance().setRandomSeed(5);
        ModelMeta meta = Vae.meta(1, 28, 4, 16, List.of("a", "b", "c"), Likelihood.BERNOULLI).hyper("conditioning", "stages").build();
        try (NDManager m = NDManager.newBaseManager()) {
            Vae vae = (Vae) Architectures.buildInitialized(meta, m);
            // The label planes widen each decoder convolution's input by the number of classes.
            assertTrue(vae.getParameters().keys().stream().anyMatch(k -> k.contains("decoder_stage0")), vae.getParameters().keys().toString());
            assertEquals(16 + 3, vae.getParameters().stream().filter(p -> p.getKey().contains("decoder_out"))
                    .filter(p -> p.getKey().endsWith("weight")).findFirst().orElseThrow().getValue().getArray().getShape().get(1));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray z = m.randomNormal(new Shape(2, 4));
            NDArray zz = z.concat(z, 0);
            NDArray logits = vae.decode(ps, zz, Vae.oneHot(m, new int[] {0, 1, 2, 2}, 3), false);
            float[] v = logits.toFloatArray();
            double diff = 0;
            for (int i = 0; i < 784; i++) diff += Math.abs(v[i] - v[2 * 784 + i]);
            assertTrue(diff > 1e-3, "a different label must change the decoded image: " + diff);
            // one ELBO gradient: finite, and it reaches the label's weights in the last convolution
            NDArray x = m.randomUniform(0f, 1f, new Shape(4, 1, 28, 28));
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDList t = VaeTraining.elboTerms(vae, new ParameterStore(m, false), x, Vae.oneHot(m, new int[] {0, 1, 2, 0}, 3), true);
                NDArray loss = t.get(0).add(t.get(1)).mean();
                assertTrue(Float.isFinite(loss.getFloat()));
                gc.backward(loss);
            }
            for (var p : vae.getParameters()) {
                for (float g : p.getValue().getArray().getGradient().toFloatArray()) assertTrue(Float.isFinite(g), p.getKey());
            }
        }
    }

    @Test
    void defaultMetaKeepsTheOriginalDecoder() {
        Engines.init();
        ModelMeta meta = Vae.meta(1, 28, 4, 16, List.of(), Likelihood.BERNOULLI).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Vae vae = (Vae) Architectures.buildInitialized(meta, m);
            assertTrue(vae.getParameters().keys().stream().noneMatch(k -> k.contains("decoder_stage") || k.contains("class_means")));
            assertTrue(vae.getParameters().keys().stream().anyMatch(k -> k.contains("decoder_")), vae.getParameters().keys().toString());
        }
    }

    @Test
    void classPriorIsFittedStoredAndSampledFrom() throws IOException {
        Path copy = tmp.resolve("with-prior");
        LabeledImages data = bars(5, 400);
        try (retouch.nn.store.LoadedModel lm = retouch.nn.store.ModelFile.load(model, Vae.ARCHITECTURE)) {
            Vae vae = (Vae) lm.block();
            ClassLatentPrior prior = ClassLatentPrior.fit(vae, data, false, lm.manager());
            // Temperature 0 gives the class means: the mean posterior mean of that class's images.
            float[] zero = prior.latents(new int[] {1}, 3, 0f);
            LabeledImages vertical = data.withLabel(1);
            float[] mu;
            try (ai.djl.ndarray.NDManager m = lm.manager().newSubManager()) {
                var x = m.create(vertical.floats(), new ai.djl.ndarray.types.Shape(vertical.size(), 1, 28, 28));
                int[] ones = new int[vertical.size()];
                java.util.Arrays.fill(ones, 1);
                mu = vae.encode(new ai.djl.training.ParameterStore(m, false), x, Vae.oneHot(m, ones, 2), false).get(0).mean(new int[] {0}).toFloatArray();
            }
            for (int a = 0; a < mu.length; a++) assertEquals(mu[a], zero[a], 1e-3, "class mean, dimension " + a);
            // Samples scatter around that mean.
            int n = 4000;
            int[] labels = new int[n];
            java.util.Arrays.fill(labels, 1);
            float[] z = prior.latents(labels, 11, 1f);
            for (int a = 0; a < 8; a++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += z[i * 8 + a];
                assertEquals(mu[a], s / n, 0.1, "sample mean, dimension " + a);
            }
            retouch.nn.store.ModelFile.save(copy, lm.meta().toBuilder().hyper(ClassLatentPrior.KEY, prior.toJson()).build(), vae);
        }
        // Stored in model.json and used by generate: same seed, same latents as the fitted prior.
        try (VaeGenerator g = VaeGenerator.load(copy); VaeGenerator plain = VaeGenerator.load(model)) {
            assertTrue(g.meta().hyperParameters().containsKey(ClassLatentPrior.KEY));
            List<Image> a = g.sample(4, 1, 7, 1f), b = plain.sample(4, 1, 7, 1f);
            assertNotEquals(a.get(0).data()[400], b.get(0).data()[400], "the prior changes where z is drawn");
            assertEquals(a.get(2).data()[300], g.sample(4, 1, 7, 1f).get(2).data()[300], 0f);
        }
    }

    @Test
    void mixturePriorKeepsTheClassMeanAndRoundTripsThroughModelJson() throws IOException {
        LabeledImages data = bars(5, 400);
        try (retouch.nn.store.LoadedModel lm = retouch.nn.store.ModelFile.load(model, Vae.ARCHITECTURE)) {
            Vae vae = (Vae) lm.block();
            ClassLatentPrior single = ClassLatentPrior.fit(vae, data, false, lm.manager());
            ClassLatentPrior mixture = ClassLatentPrior.fit(vae, data, false, lm.manager(), 3, 0);
            assertEquals(3, mixture.components(1));
            assertEquals(1, single.components(1));
            // EM keeps the weighted mean of the components at the data mean: both priors centre on the class mean.
            int n = 6000;
            int[] labels = new int[n];
            java.util.Arrays.fill(labels, 1);
            float[] a = single.latents(labels, 11, 1f), b = mixture.latents(labels, 11, 1f);
            float[] centre = single.latents(new int[] {1}, 3, 0f);
            for (int d = 0; d < 8; d++) {
                double sb = 0;
                for (int i = 0; i < n; i++) sb += b[i * 8 + d];
                assertEquals(centre[d], sb / n, 0.12, "mixture sample mean, dimension " + d);
            }
            assertNotEquals(a[5], b[5], "a mixture draws from its components, not one Gaussian");
            var json = mixture.toJson();
            assertTrue(json.containsKey("weights") && json.containsKey("classes"), json.keySet().toString());
            assertFalse(single.toJson().containsKey("weights"), "one Gaussian per class keeps the older form");
            Path copy = tmp.resolve("with-mixture");
            retouch.nn.store.ModelFile.save(copy, lm.meta().toBuilder().hyper(ClassLatentPrior.KEY, json).build(), vae);
            ClassLatentPrior back = ClassLatentPrior.of(retouch.nn.store.ModelFile.readMeta(copy), 8);
            float[] again = back.latents(labels, 11, 1f);
            for (int i = 0; i < 64; i++) assertEquals(b[i], again[i], 1e-5, "latent " + i + " after a model.json round trip");
        }
    }

    @Test
    void labelGuideLossFallsAndIsRecorded() throws IOException {
        // A small classifier trained on the bars first: the guide.
        var clfCfg = new retouch.nn.eval.DomainClassifier.Config(1, 28, 2, List.of(8), 16, 0f, false);
        LabeledImages clfData = bars(9, 600);
        int clfSteps = retouch.nn.eval.ClassifierTraining.stepsPerEpoch(clfData.size(), 100, 32) * 8;
        Path clfRun = tmp.resolve("guide-classifier");
        Trainer.builder().setRunDir(clfRun).setSteps(clfSteps).optSeed(2).optCheckpointEvery(clfSteps).optQuiet(true).optShutdownHook(false)
                .optCommand("test").build()
                .fit(new retouch.nn.eval.ClassifierTraining(new retouch.nn.eval.ClassifierTraining.Config(clfCfg, 32, 3e-3f, 1e-4f, 8, 100, 0,
                        "bars"), clfData));
        try (retouch.nn.store.LoadedModel clf = retouch.nn.store.ModelFile.load(clfRun.resolve(Trainer.CHECKPOINT),
                retouch.nn.eval.DomainClassifier.ARCHITECTURE)) {
            VaeTraining.Config cfg = new VaeTraining.Config(true, 8, 16, Likelihood.BERNOULLI, false, 1f, 0, 32,
                    3e-3f, 1e-4f, 150, 100, "synthetic bars");
            Path run = tmp.resolve("guided");
            VaeTraining task = new VaeTraining(cfg, bars(1, 600))
                    .withLabelGuide((retouch.nn.eval.DomainClassifier) clf.block(), 20f, "bars-classifier");
            Trainer.builder().setRunDir(run).setSteps(150).optSeed(3).optLogEvery(1).optCheckpointEvery(150).optQuiet(true)
                    .optShutdownHook(false).optCommand("test").build().fit(task);
            List<String> log = Files.readAllLines(run.resolve(Trainer.LOG_CSV));
            double first = mean(log, "guide_ce", 1, 11), last = mean(log, "guide_ce", 141, 151);
            assertTrue(last < 0.5 * first, "label-guide cross-entropy should fall: " + first + " -> " + last);
            assertEquals("bars-classifier", retouch.nn.store.ModelFile.readMeta(run.resolve(Trainer.CHECKPOINT)).stringParam("label_guide", ""));
        }
        assertThrows(RetouchException.class, () -> new VaeTraining(new VaeTraining.Config(false, 8, 16, Likelihood.BERNOULLI, false, 1f, 0, 32,
                3e-3f, 1e-4f, 10, 100, "x"), bars(1, 100)).withLabelGuide(null, 1f, "x"), "unconditional models take no guide");
    }

    @Test
    void unlabeledRgbImagesTrainAnUnconditionalVae() throws IOException {
        int n = 256, size = 32, plane = 3 * size * size;
        float[] px = new float[n * plane];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < n; i++) {
            // A coloured square on a gray background: colour and place vary.
            float[] rgb = {(float) r.nextDouble(), (float) r.nextDouble(), (float) r.nextDouble()};
            int y0 = r.nextInt(20), x0 = r.nextInt(20);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        boolean in = y >= y0 && y < y0 + 10 && x >= x0 && x < x0 + 10;
                        px[i * plane + (c * size + y) * size + x] = in ? rgb[c] : 0.5f;
                    }
                }
            }
        }
        VaeTraining.Config cfg = new VaeTraining.Config(false, 8, 8, Likelihood.BERNOULLI, false, 1f, 0, 32, 3e-3f, 1e-4f, 150, 32, "squares");
        Path run = tmp.resolve("rgb");
        Trainer.builder().setRunDir(run).setSteps(150).optSeed(1).optLogEvery(1).optCheckpointEvery(150).optValidateEvery(50)
                .optQuiet(true).optShutdownHook(false).optCommand("test").build().fit(VaeTraining.ofImages(cfg, px, n, 3, size));
        List<String> log = Files.readAllLines(run.resolve(Trainer.LOG_CSV));
        assertTrue(mean(log, "loss", 141, 151) < mean(log, "loss", 1, 11), "the loss falls");
        try (ImageGenerator g = Generators.load(run.resolve(Trainer.CHECKPOINT).toString())) {
            Image sample = g.sample(1, -1, 1, 1f).get(0);
            assertEquals(List.of(3, 32, 32), List.of(sample.channels(), sample.height(), sample.width()));
            assertTrue(g.canEncode());
        }
        assertThrows(RetouchException.class, () -> VaeTraining.ofImages(new VaeTraining.Config(true, 8, 8, Likelihood.BERNOULLI, false, 1f, 0,
                32, 3e-3f, 1e-4f, 10, 32, "x"), px, n, 3, size), "a conditional VAE needs labels");
    }
}
