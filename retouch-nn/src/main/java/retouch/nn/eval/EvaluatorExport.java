package retouch.nn.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import retouch.data.LabeledImages;
import retouch.metrics.FrechetDistance;
import retouch.metrics.KernelInceptionDistance;
import retouch.nn.store.AtomicFiles;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Trainer;

/**
 * Turns a trained classifier checkpoint into an evaluator model: measures its test accuracy,
 * computes the real-vs-real floors of FD and KID (features of training images against features of
 * test images, equal counts), and writes the model folder with the test-set reference statistics
 * ({@link ReferenceFeatures}) beside {@code model.json} and the weights.
 *
 * <p>Metrics added to {@code model.json}: {@code test_accuracy} (whole test split),
 * {@code fd_train_vs_test} and {@code kid_train_vs_test} (± {@code kid_train_vs_test_std}) on
 * {@code floor_images} images from each split (10,000 by default), {@code fd_train2k_vs_test}
 * (2,000 training images against the stored test statistics: the FD floor for 2,000 samples, since
 * FD grows as the sample count shrinks), {@code kid_train2k_vs_reference} (2,000 training images
 * against the stored KID reference features, as {@link GenerativeEvaluator} measures samples), and
 * the counts behind them. The hyper-parameter {@value ReferenceFeatures#KID_SCALE_KEY} fixes the
 * feature scale KID uses (see {@link ReferenceFeatures}).
 */
public final class EvaluatorExport {

    /**
     * Export settings.
     *
     * @param floorImages   images per split for the floors (clipped to the split sizes)
     * @param kidReference  test features stored for KID
     * @param seed          seed of the image subsets
     */
    public record Options(int floorImages, int kidReference, long seed) {
        /** 10,000 images per split for the floors, 2,000 stored KID features, seed 0. */
        public static Options defaults() {
            return new Options(10_000, 2_000, 0);
        }
    }

    private EvaluatorExport() {}

    /**
     * Evaluates the classifier in {@code checkpoint} and writes the evaluator to {@code target}
     * (replacing it atomically).
     *
     * @param train the training split (the floors use a seeded subset)
     * @param test  the test split (accuracy, reference statistics)
     * @param log   progress lines, or {@code null}
     * @return the meta written
     */
    public static ModelMeta export(Path checkpoint, Path target, LabeledImages train, LabeledImages test, Options opts,
                                   PrintStream log) throws IOException {
        long t0 = System.nanoTime();
        try (LoadedModel lm = ModelFile.load(checkpoint, DomainClassifier.ARCHITECTURE)) {
            DomainClassifier net = (DomainClassifier) lm.block();
            FeatureRunner.Output testOut = FeatureRunner.run(net, lm.manager(), test);
            int correct = 0;
            int[] perClass = new int[net.config().classes()];
            int[] perClassCorrect = new int[perClass.length];
            for (int i = 0; i < test.size(); i++) {
                perClass[test.label(i)]++;
                if (testOut.predicted()[i] == test.label(i)) {
                    correct++;
                    perClassCorrect[test.label(i)]++;
                }
            }
            double testAccuracy = correct / (double) test.size();
            say(log, "test accuracy %.4f (%d of %d)", testAccuracy, correct, test.size());

            int floorN = Math.min(opts.floorImages(), Math.min(train.size(), test.size()));
            int[] trainIdx = permutation(train.size(), opts.seed());
            int[] testIdx = permutation(test.size(), opts.seed() + 1);
            LabeledImages trainFloor = train.select(Arrays.copyOf(trainIdx, floorN));
            float[][] trainFeatures = FeatureRunner.run(net, lm.manager(), trainFloor).features();
            float[][] testFloor = rows(testOut.features(), testIdx, floorN);
            FrechetDistance.Statistics testStats = FrechetDistance.Statistics.of(testOut.features());
            double fdFloor = FrechetDistance.between(FrechetDistance.Statistics.of(trainFeatures),
                    floorN == test.size() ? testStats : FrechetDistance.Statistics.of(testFloor));
            double kidScale = round(ReferenceFeatures.kidScaleOf(testOut.features()));
            KernelInceptionDistance.Result kidFloor = KernelInceptionDistance.of(ReferenceFeatures.scaled(trainFeatures, kidScale),
                    ReferenceFeatures.scaled(testFloor, kidScale));
            say(log, "real-vs-real floors (%d train vs %d test images): FD %.4f, KID %s", floorN, floorN, fdFloor, kidFloor);

            int kidN = Math.min(opts.kidReference(), test.size());
            float[][] reference = rows(testOut.features(), testIdx, kidN);
            int smallN = Math.min(2000, floorN);
            float[][] train2k = Arrays.copyOf(trainFeatures, smallN);
            double fd2k = FrechetDistance.between(FrechetDistance.Statistics.of(train2k), testStats);
            KernelInceptionDistance.Result kid2k = KernelInceptionDistance.of(ReferenceFeatures.scaled(train2k, kidScale),
                    ReferenceFeatures.scaled(reference, kidScale));
            say(log, "with %d train images: FD vs test statistics %.4f, KID vs stored reference %s", smallN, fd2k, kid2k);

            ModelMeta base = ModelFile.readMeta(checkpoint);
            Map<String, Double> metrics = new LinkedHashMap<>();
            Map<String, Double> logged = lastLogged(checkpoint.toAbsolutePath().getParent().resolve(Trainer.LOG_CSV));
            for (String k : new String[] {"val_acc", "train_acc", "loss"}) {
                Double v = base.metrics().containsKey(k) ? base.metrics().get(k) : logged.get(k);
                if (v != null) {
                    metrics.put(k, round(v));
                }
            }
            metrics.put("test_accuracy", testAccuracy);
            for (int c = 0; c < perClass.length; c++) {
                if (perClass[c] > 0) {
                    metrics.put("test_accuracy_class" + c, round(perClassCorrect[c] / (double) perClass[c]));
                }
            }
            metrics.put("test_images", (double) test.size());
            metrics.put("fd_train_vs_test", round(fdFloor));
            metrics.put("kid_train_vs_test", round(kidFloor.mean()));
            metrics.put("kid_train_vs_test_std", round(kidFloor.std()));
            metrics.put("floor_images", (double) floorN);
            metrics.put("fd_train2k_vs_test", round(fd2k));
            metrics.put("kid_train2k_vs_reference", round(kid2k.mean()));
            metrics.put("kid_train2k_vs_reference_std", round(kid2k.std()));
            metrics.put("kid_reference_images", (double) kidN);
            metrics.put("export_seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
            String name = target.toAbsolutePath().getFileName().toString();
            ModelMeta meta = base.toBuilder().name(name).hyper(ReferenceFeatures.KID_SCALE_KEY, kidScale).tasks("classify", "evaluate-generative").metrics(metrics)
                    .created(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                    .description(String.format(Locale.ROOT, "Domain classifier for evaluating generative models: penultimate %d-D"
                            + " features (fc pre-activations) for FD/KID, logits for label accuracy. %s, %s and %s hold the mean"
                            + " (float64) and covariance (float32) of the features of all %d test images and %d of their feature"
                            + " vectors (float16) for KID, which scales all features by kid_feature_scale (mean |x|^2/d = 1 on the"
                            + " test set). Floors are real-vs-real: %d training vs %d test images.",
                            net.featureSize(), ReferenceFeatures.MEAN_FILE, ReferenceFeatures.COVARIANCE_FILE,
                            ReferenceFeatures.FEATURES_FILE, test.size(), kidN, floorN, floorN))
                    .build();
            Path abs = target.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = AtomicFiles.tempSibling(abs);
            try {
                Files.createDirectories(tmp);
                ModelMeta written = ModelFile.writeInto(tmp, meta, net);
                new ReferenceFeatures(testStats, reference, kidScale).write(tmp);
                AtomicFiles.replaceDir(tmp, abs);
                say(log, "evaluator written to %s (%d KB)", abs, AtomicFiles.size(abs) / 1024);
                return written;
            } finally {
                AtomicFiles.deleteRecursively(tmp);
            }
        }
    }

    /**
     * The last logged value of every column of a run's {@code train.csv} (empty if there is none):
     * a re-export after the run completed has no step metrics of its own.
     */
    private static Map<String, Double> lastLogged(Path csv) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(csv)) {
            return out;
        }
        try {
            java.util.List<String> lines = Files.readAllLines(csv);
            if (lines.isEmpty()) {
                return out;
            }
            String[] head = lines.get(0).split(",", -1);
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                for (int i = 0; i < Math.min(head.length, cells.length); i++) {
                    if (!cells[i].isBlank()) {
                        try {
                            out.put(head[i], Double.parseDouble(cells[i]));
                        } catch (NumberFormatException e) {
                            // not a number: skip
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the log is optional
        }
        return out;
    }

    private static double round(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.6g", v));
    }

    private static float[][] rows(float[][] all, int[] order, int n) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = all[order[i]];
        }
        return out;
    }

    private static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static void say(PrintStream log, String format, Object... args) {
        if (log != null) {
            log.println(String.format(Locale.ROOT, format, args));
        }
    }
}
