package retouch.nn.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.metrics.FrechetDistance;
import retouch.metrics.KernelInceptionDistance;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.ModelStore;

/**
 * Measures generated images against a domain's real test images with a {@link DomainClassifier}
 * trained on that domain: the Fréchet distance (FD) of its penultimate features to the test set's
 * feature statistics, KID against stored test features (features scaled as {@link ReferenceFeatures}
 * explains), and — for conditional generators — how
 * often the classifier assigns each sample to the class it was generated for. The floors in
 * {@code model.json} (training vs test images, equal counts) say what real data score.
 *
 * <pre>{@code
 * try (GenerativeEvaluator ev = GenerativeEvaluator.load(GenerativeEvaluator.forDataset("mnist"))) {
 *     GenerativeEvaluator.Report r = ev.evaluate(samples, labels);   // labels null if unconditional
 *     System.out.println(r);
 * }
 * }</pre>
 *
 * <p>FD depends on the sample count (it is biased upwards for small sets): compare models at the
 * same count, and against {@code fd_train_vs_test} (10,000 images) or {@code fd_train2k_vs_test}
 * (2,000). KID is unbiased. Methods are synchronized, so one evaluator may be shared by threads;
 * each batch runs in its own child {@code NDManager}.
 */
public final class GenerativeEvaluator implements AutoCloseable {

    /** Evaluator model name for MNIST. */
    public static final String MNIST = "evaluator-mnist";
    /** Evaluator model name for 64×64 faces (CelebA): rotation-prediction features on gray faces. */
    public static final String FACES = "evaluator-faces";
    /** Evaluator model name for Fashion-MNIST. */
    public static final String FASHION_MNIST = "evaluator-fmnist";
    /** Seed of the KID subsets (fixed, so a report is reproducible). */
    public static final long KID_SEED = 0;

    private final LoadedModel model;
    private final DomainClassifier net;
    private final ReferenceFeatures reference;
    private final String name;

    private GenerativeEvaluator(LoadedModel model, ReferenceFeatures reference, String name) {
        this.model = model;
        this.net = (DomainClassifier) model.block();
        this.reference = reference;
        this.name = name;
    }

    /** The evaluator model name for a dataset name ("mnist" → "evaluator-mnist", "fashion-mnist" → "evaluator-fmnist"). */
    public static String forDataset(String datasetName) {
        String key = datasetName == null ? "" : datasetName.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (key) {
            case "mnist" -> MNIST;
            case "fashion-mnist", "fashionmnist", "fmnist" -> FASHION_MNIST;
            case "celeba64", "celeba", "faces" -> FACES;
            default -> throw new RetouchException("no domain evaluator for dataset '" + datasetName
                    + "'; evaluators exist for mnist, fashion-mnist and celeba64 (train one with 'retouch train classifier --data ...')");
        };
    }

    /**
     * Loads an evaluator by model name (see {@link ModelStore}) or folder path.
     *
     * @throws RetouchException when it is missing, not a domain classifier, or lacks its reference statistics
     */
    public static GenerativeEvaluator load(String evaluatorName) {
        Path location = ModelStore.resolve(evaluatorName);
        if (!Files.isDirectory(location)) {
            throw new RetouchException("evaluator " + location + " must be a model folder (its reference statistics sit beside model.json); unzip it");
        }
        ModelMeta meta = ModelFile.readMeta(location);
        int count = (int) Math.round(meta.metrics().getOrDefault("test_images", 0.0));
        ReferenceFeatures ref = ReferenceFeatures.read(location, count, meta.doubleParam(ReferenceFeatures.KID_SCALE_KEY, 1.0));
        LoadedModel lm = ModelFile.load(location, DomainClassifier.ARCHITECTURE);
        DomainClassifier net = (DomainClassifier) lm.block();
        if (ref.statistics().dimension() != net.featureSize()) {
            lm.close();
            throw new RetouchException("evaluator " + location + ": reference statistics have " + ref.statistics().dimension()
                    + " features but the network makes " + net.featureSize() + "; copy the folder again");
        }
        return new GenerativeEvaluator(lm, ref, meta.name() != null ? meta.name() : location.getFileName().toString());
    }

    /** The classifier's meta (labels, training data, floors under metrics). */
    public ModelMeta meta() {
        return model.meta();
    }

    /** Class names, index = label. */
    public List<String> labels() {
        return meta().labels();
    }

    /** The evaluator's name. */
    public String name() {
        return name;
    }

    /** The network. */
    public DomainClassifier classifier() {
        return net;
    }

    /** The test-set reference (statistics and KID features). */
    public ReferenceFeatures reference() {
        return reference;
    }

    /** Penultimate features of {@code images} (each C×S×S as the classifier expects), one row per image. */
    public synchronized float[][] features(List<Image> images) {
        return FeatureRunner.run(net, model.manager(), images).features();
    }

    /** The class the classifier assigns to each image. */
    public synchronized int[] classify(List<Image> images) {
        return FeatureRunner.run(net, model.manager(), images).predicted();
    }

    /**
     * Evaluates generated samples.
     *
     * @param samples        images in [0, 1] of the classifier's shape (1×28×28 for MNIST-like sets); at least 2
     * @param intendedLabels the class each sample was generated for (conditional models), or {@code null}
     * @throws RetouchException when shapes or labels do not fit
     */
    public synchronized Report evaluate(List<Image> samples, int[] intendedLabels) {
        if (samples.size() < 2) {
            throw new RetouchException("evaluation needs at least 2 samples, got " + samples.size());
        }
        int classes = net.config().classes();
        if (intendedLabels != null) {
            if (intendedLabels.length != samples.size()) {
                throw new RetouchException(intendedLabels.length + " intended labels for " + samples.size() + " samples");
            }
            for (int l : intendedLabels) {
                if (l < 0 || l >= classes) {
                    throw new RetouchException("intended label " + l + " is outside 0.." + (classes - 1));
                }
            }
        }
        FeatureRunner.Output out = FeatureRunner.run(net, model.manager(), samples);
        double fd = FrechetDistance.between(FrechetDistance.Statistics.of(out.features()), reference.statistics());
        KernelInceptionDistance.Result kid = KernelInceptionDistance.of(reference.forKid(out.features()), reference.kidReference(),
                KernelInceptionDistance.DEFAULT_SUBSET_SIZE, KernelInceptionDistance.DEFAULT_SUBSETS, KID_SEED);
        int[] predictedCounts = new int[classes];
        for (int p : out.predicted()) {
            predictedCounts[p]++;
        }
        double accuracy = Double.NaN;
        double[] perClass = null;
        int[] perClassCount = null;
        if (intendedLabels != null) {
            perClass = new double[classes];
            perClassCount = new int[classes];
            int[] hits = new int[classes];
            int correct = 0;
            for (int i = 0; i < samples.size(); i++) {
                perClassCount[intendedLabels[i]]++;
                if (out.predicted()[i] == intendedLabels[i]) {
                    hits[intendedLabels[i]]++;
                    correct++;
                }
            }
            for (int c = 0; c < classes; c++) {
                perClass[c] = perClassCount[c] == 0 ? Double.NaN : hits[c] / (double) perClassCount[c];
            }
            accuracy = correct / (double) samples.size();
        }
        Map<String, Double> floors = new LinkedHashMap<>();
        meta().metrics().forEach((k, v) -> {
            if (k.startsWith("fd_") || k.startsWith("kid_") || k.equals("test_accuracy") || k.equals("floor_images")) {
                floors.put(k, v);
            }
        });
        return new Report(name, samples.size(), fd, kid, accuracy, perClass, perClassCount, predictedCounts, labels(), floors);
    }

    /**
     * What {@link #evaluate} measured.
     *
     * @param evaluator          evaluator name
     * @param samples            number of samples
     * @param fd                 Fréchet distance of the samples' features to the test statistics
     * @param kid                KID (mean ± std over subsets) against the stored test features
     * @param labelAccuracy      fraction of samples classified as their intended label (NaN if unconditional)
     * @param perClassAccuracy   per intended class (NaN where a class had no samples); null if unconditional
     * @param perClassCount      samples per intended class; null if unconditional
     * @param predictedCounts    how many samples the classifier puts in each class (mode coverage)
     * @param classNames         class names
     * @param floors             the evaluator's real-vs-real figures from model.json ({@code fd_train_vs_test}, …, {@code test_accuracy})
     */
    public record Report(String evaluator, int samples, double fd, KernelInceptionDistance.Result kid, double labelAccuracy,
                         double[] perClassAccuracy, int[] perClassCount, int[] predictedCounts, List<String> classNames,
                         Map<String, Double> floors) {

        /** Whether intended labels were given. */
        public boolean conditional() {
            return perClassAccuracy != null;
        }

        /** Mean of the per-class accuracies over the classes that had samples (NaN if unconditional). */
        public double meanClassAccuracy() {
            if (perClassAccuracy == null) {
                return Double.NaN;
            }
            return Arrays.stream(perClassAccuracy).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
        }

        /** The FD floor ({@code fd_train_vs_test}), NaN if absent. */
        public double fdFloor() {
            return floors.getOrDefault("fd_train_vs_test", Double.NaN);
        }

        /** The KID floor ({@code kid_train_vs_test}), NaN if absent. */
        public double kidFloor() {
            return floors.getOrDefault("kid_train_vs_test", Double.NaN);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%s, %d samples: FD %.3f (real floor %.3f), KID %.5f ± %.5f (real floor %.5f)",
                    evaluator, samples, fd, fdFloor(), kid.mean(), kid.std(), kidFloor()));
            if (conditional()) {
                sb.append(String.format(Locale.ROOT, ", label accuracy %.4f (class mean %.4f)", labelAccuracy, meanClassAccuracy()));
            }
            return sb.toString();
        }
    }

    @Override
    public synchronized void close() {
        model.close();
    }
}
