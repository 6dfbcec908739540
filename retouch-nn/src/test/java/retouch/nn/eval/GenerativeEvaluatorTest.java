package retouch.nn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.RetouchException;
import retouch.data.Dataset;
import retouch.data.Datasets;
import retouch.data.LabeledImages;
import retouch.image.Image;
import retouch.metrics.FrechetDistance;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.ModelStore;
import retouch.nn.train.Trainer;

/**
 * The evaluator end to end with a tiny classifier trained for a few steps on synthetic images,
 * and (when present) the shipped MNIST evaluator on real test digits.
 */
class GenerativeEvaluatorTest {
    @TempDir static Path tmp;
    static Path evaluatorDir;
    static LabeledImages test;

    @BeforeAll
    static void trainTinyEvaluator() throws Exception {
        LabeledImages train = Synthetic.labeled(400, 1);
        test = Synthetic.labeled(300, 2);
        DomainClassifier.Config net = new DomainClassifier.Config(1, 28, 10, List.of(8, 16), 32, 0.25f, true);
        ClassifierTraining task = new ClassifierTraining(new ClassifierTraining.Config(net, 32, 3e-3f, 1e-4f, 2, 80, 1,
                "synthetic squares"), train);
        int steps = 2 * ClassifierTraining.stepsPerEpoch(400, 80, 32);
        Trainer.Result r = Trainer.builder().setRunDir(tmp.resolve("run")).setSteps(steps).optQuiet(true).optShutdownHook(false)
                .optCheckpointEvery(0).optValidateEvery(steps / 2).build().fit(task);
        assertTrue(r.completed());
        assertTrue(r.lastMetrics().containsKey("val_acc"), r.lastMetrics().toString());
        evaluatorDir = tmp.resolve("evaluator-tiny");
        ModelMeta meta = EvaluatorExport.export(r.checkpoint(), evaluatorDir, train, test, new EvaluatorExport.Options(250, 200, 0), null);
        for (String k : List.of("test_accuracy", "fd_train_vs_test", "kid_train_vs_test", "kid_train_vs_test_std", "fd_train2k_vs_test")) {
            assertTrue(meta.metrics().containsKey(k), k + " missing from " + meta.metrics());
        }
        assertEquals(250.0, meta.metrics().get("floor_images"));
        assertEquals(300.0, meta.metrics().get("test_images"));
        assertEquals(Datasets.MNIST_CLASSES, meta.labels());
        assertTrue(meta.metrics().get("test_accuracy") > 0.5, "a few steps on squares: " + meta.metrics());
        double scale = meta.doubleParam(ReferenceFeatures.KID_SCALE_KEY, -1);
        assertTrue(scale > 0, "KID feature scale recorded: " + meta.hyperParameters());
    }

    static List<Image> images(LabeledImages set) {
        List<Image> out = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            out.add(set.image(i));
        }
        return out;
    }

    static List<Image> noisy(List<Image> in, double sigma, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Image> out = new ArrayList<>();
        for (Image im : in) {
            float[] d = im.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) Math.min(1, Math.max(0, d[i] + sigma * r.nextGaussian()));
            }
            out.add(new Image(im.channels(), im.height(), im.width(), d));
        }
        return out;
    }

    @Test
    void referenceFilesAreSmallAndConsistent() throws Exception {
        assertTrue(Files.size(evaluatorDir.resolve(ReferenceFeatures.COVARIANCE_FILE)) < 32 * 32 * 4 + 200);
        try (GenerativeEvaluator ev = GenerativeEvaluator.load(evaluatorDir.toString())) {
            assertEquals(32, ev.reference().statistics().dimension());
            assertEquals(200, ev.reference().features().length);
            assertEquals(300, ev.reference().statistics().count());
            float[][] f = ev.features(images(test));
            assertEquals(300, f.length);
            assertEquals(32, f[0].length);
            // the stored statistics are those of the test features (covariance rounded to float32)
            FrechetDistance.Statistics s = FrechetDistance.Statistics.of(f);
            for (int j = 0; j < 32; j++) {
                assertEquals(s.mean()[j], ev.reference().statistics().mean()[j], 1e-6);
            }
        }
    }

    @Test
    void fdIsZeroForTheTestSetAndGrowsWithNoise() {
        try (GenerativeEvaluator ev = GenerativeEvaluator.load(evaluatorDir.toString())) {
            List<Image> real = images(test);
            int[] labels = test.labels();
            GenerativeEvaluator.Report same = ev.evaluate(real, labels);
            assertEquals(300, same.samples());
            assertEquals(0, same.fd(), 1e-4, "FD of the test set against its own statistics");
            assertTrue(same.labelAccuracy() > 0.5, same.toString());
            assertEquals(10, same.perClassAccuracy().length);
            assertEquals(30, same.perClassCount()[3]);
            assertEquals(300, java.util.Arrays.stream(same.predictedCounts()).sum());
            double fdLight = ev.evaluate(noisy(real, 0.1, 5), labels).fd();
            GenerativeEvaluator.Report heavy = ev.evaluate(noisy(real, 0.4, 6), null);
            assertTrue(fdLight > same.fd() + 1e-3, "noise σ0.1: " + fdLight + " vs " + same.fd());
            assertTrue(heavy.fd() > fdLight, "noise σ0.4: " + heavy.fd() + " vs σ0.1: " + fdLight);
            assertTrue(heavy.kid().mean() > same.kid().mean(), heavy + " vs " + same);
            assertTrue(Double.isNaN(heavy.labelAccuracy()) && !heavy.conditional());
            assertTrue(same.floors().containsKey("fd_train_vs_test"), same.floors().toString());
            assertTrue(same.toString().contains("label accuracy"), same.toString());
        }
    }

    @Test
    void badSamplesAndNamesAreRejected() {
        try (GenerativeEvaluator ev = GenerativeEvaluator.load(evaluatorDir.toString())) {
            List<Image> wrong = List.of(new Image(1, 32, 32), new Image(1, 32, 32));
            RetouchException e = assertThrows(RetouchException.class, () -> ev.evaluate(wrong, null));
            assertTrue(e.getMessage().contains("1x28x28"), e.getMessage());
            List<Image> two = images(test.subset(0, 2));
            assertThrows(RetouchException.class, () -> ev.evaluate(two, new int[] {1}));
            assertThrows(RetouchException.class, () -> ev.evaluate(two, new int[] {1, 10}));
        }
        assertEquals("evaluator-mnist", GenerativeEvaluator.forDataset("mnist"));
        assertEquals("evaluator-fmnist", GenerativeEvaluator.forDataset("fashion-mnist"));
        assertEquals("evaluator-fmnist", GenerativeEvaluator.forDataset("Fashion_MNIST"));
        assertEquals("evaluator-faces", GenerativeEvaluator.forDataset("celeba64"));
        assertThrows(RetouchException.class, () -> GenerativeEvaluator.forDataset("kodak24"));
    }

    @Test
    void shippedMnistEvaluatorRecognisesRealDigits() {
        Path location;
        try {
            location = ModelStore.resolve(GenerativeEvaluator.MNIST);
        } catch (RetouchException e) {
            Assumptions.abort("models/evaluator-mnist not present yet");
            return;
        }
        Dataset mnist;
        try {
            mnist = Datasets.resolve("mnist", null);
        } catch (RetouchException e) {
            Assumptions.abort("MNIST not available here");
            return;
        }
        LabeledImages digits = mnist.test().subset(0, 500);
        try (GenerativeEvaluator ev = GenerativeEvaluator.load(location.toString())) {
            GenerativeEvaluator.Report r = ev.evaluate(images(digits), digits.labels());
            assertTrue(r.labelAccuracy() >= 0.98, r.toString());
            // FD is biased upwards for few samples: 500 real digits measured 50 against a 10,000-image floor of 5.7
            assertTrue(r.fd() < 100, "500 real digits: " + r);
            GenerativeEvaluator.Report noisy = ev.evaluate(noisy(images(digits), 0.3, 1), null);
            assertTrue(noisy.fd() > 10 * r.fd(), noisy + " vs " + r);
            assertTrue(Math.abs(r.kidFloor()) < 0.01, "KID floor near 0 with scaled features: " + r);
            assertTrue(noisy.kid().mean() > r.kid().mean() + 3 * noisy.kid().std(), noisy + " vs " + r);
        }
    }
}
