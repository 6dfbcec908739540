package retouch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.data.Dataset;
import retouch.data.Datasets;
import retouch.data.ImageFolder;
import retouch.data.LabeledImages;
import retouch.image.Image;
import retouch.nn.eval.GenerativeEvaluator;
import retouch.nn.store.ModelMeta;
import retouch.nn.synth.Generators;
import retouch.nn.synth.ImageGenerator;
import retouch.nn.vae.VaeEvaluation;
import retouch.nn.vae.VaeGenerator;

/** {@code retouch eval-gen}: sample quality (FD, KID, label accuracy) and, for VAEs, test-set likelihood bounds. */
// Help texts: src/main/resources/retouch/cli/EvalGenCommand.properties
@Command(name = "eval-gen", resourceBundle = "retouch.cli.EvalGenCommand", mixinStandardHelpOptions = true)
public final class EvalGenCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model") String model;

    @Option(names = "--samples") Path samplesDir;

    @Option(names = "--evaluator") String evaluatorName;

    @Option(names = "-n", defaultValue = "10000") int n;

    @Option(names = "--seed", defaultValue = "1") long seed;

    @Option(names = {"--temperature", "-t"}) Float temperature;

    @Option(names = "--iw-k", defaultValue = "1000") int iwK;

    @Option(names = "--iw-images", defaultValue = "1000") int iwImages;

    @Option(names = "--no-likelihood") boolean noLikelihood;

    @Option(names = "--json") boolean json;

    @Override
    public Integer call() {
        if ((model == null) == (samplesDir == null)) throw new RetouchException("give --model MODEL or --samples FOLDER");
        if (n < 2 || n > 100_000) throw new RetouchException("-n must be 2..100000");
        Map<String, Object> out = new LinkedHashMap<>();
        var err = spec.commandLine().getErr();
        if (samplesDir != null) {
            if (evaluatorName == null) throw new RetouchException("--samples needs --evaluator (evaluator-mnist or evaluator-fmnist)");
            if (!Files.isDirectory(samplesDir)) throw new RetouchException(samplesDir + " is not a folder of images");
            ImageFolder folder = ImageFolder.of(samplesDir);
            List<Image> images = new ArrayList<>();
            for (int i = 0; i < folder.size(); i++) images.add(folder.read(i).toGray());
            out.put("samples_dir", samplesDir.toString());
            try (GenerativeEvaluator ev = GenerativeEvaluator.load(evaluatorName)) {
                putReport(out, ev.evaluate(images, null));
            }
            print(out);
            return ExitCodes.OK;
        }
        try (ImageGenerator g = Generators.load(model)) {
            ModelMeta meta = g.meta();
            String dataset = datasetOf(meta);
            out.put("model", meta.name());
            out.put("architecture", meta.architecture());
            out.put("dataset", dataset);
            String evName = evaluatorName != null ? evaluatorName : GenerativeEvaluator.forDataset(dataset);
            int[] labels = null;
            if (g.conditional()) {
                labels = new int[n];
                for (int i = 0; i < n; i++) labels[i] = i % g.labels().size();
            }
            err.printf("drawing %d samples from %s ...%n", n, meta.name());
            float t = temperature != null ? temperature : g.defaultTemperature();
            out.put("temperature", t);
            List<Image> samples = g.sample(n, -1, seed, t);
            try (GenerativeEvaluator ev = GenerativeEvaluator.load(evName)) {
                GenerativeEvaluator.Report r = ev.evaluate(samples, labels);
                putReport(out, r);
                if (r.conditional()) putRealAccuracy(out, ev, r);
            }
            if (g instanceof VaeGenerator vae && !noLikelihood) {
                likelihood(vae, dataset, out);
            }
        }
        print(out);
        return ExitCodes.OK;
    }

    private void likelihood(VaeGenerator vae, String dataset, Map<String, Object> out) {
        Dataset ds;
        try {
            ds = Datasets.resolve(dataset, null);
        } catch (RetouchException e) {
            spec.commandLine().getErr().println("retouch: skipping the likelihood bound: " + e.getMessage());
            return;
        }
        LabeledImages test = ds.test();
        int count = Math.min(iwImages, test.size());
        if (count < 1 || iwK < 1) throw new RetouchException("--iw-images and --iw-k must be positive");
        boolean binarized = vae.meta().boolParam("binarized", false);
        try (Progress bar = new Progress("IW bound k=" + iwK, count, "img")) {
            VaeEvaluation.Result r = VaeEvaluation.evaluate(vae, test.subset(0, count), iwK, binarized, 0, bar::stepTo);
            out.put("test_images", r.images());
            out.put("binarized", binarized);
            out.put("neg_elbo_nats", Json.round(r.negElbo(), 3));
            out.put("iw_nll_nats", Json.round(r.iwNll(), 3));
            out.put("iw_k", r.k());
        }
    }

    private static void putReport(Map<String, Object> out, GenerativeEvaluator.Report r) {
        out.put("evaluator", r.evaluator());
        out.put("samples", r.samples());
        out.put("fd", Json.round(r.fd(), 4));
        out.put("fd_real_floor", Json.round(r.fdFloor(), 4));
        out.put("kid", Json.round(r.kid().mean(), 6));
        out.put("kid_std", Json.round(r.kid().std(), 6));
        out.put("kid_real_floor", Json.round(r.kidFloor(), 6));
        if (r.conditional()) {
            out.put("label_accuracy", Json.round(r.labelAccuracy(), 4));
            out.put("label_accuracy_class_mean", Json.round(r.meanClassAccuracy(), 4));
            Map<String, Double> per = new LinkedHashMap<>();
            for (int c = 0; c < r.classNames().size(); c++) per.put(r.classNames().get(c), Json.round(r.perClassAccuracy()[c], 4));
            out.put("label_accuracy_per_class", per);
        }
        Map<String, Integer> predicted = new LinkedHashMap<>();
        for (int c = 0; c < r.classNames().size(); c++) predicted.put(r.classNames().get(c), r.predictedCounts()[c]);
        out.put("predicted_class_counts", predicted);
    }

    /**
     * The evaluator's own accuracy per class on the real test images (from its model.json), next
     * to the samples' label accuracy: a class it confuses on real images (shirt) is unlikely to
     * score much higher on samples, so each class's figure is read against this one.
     */
    private static void putRealAccuracy(Map<String, Object> out, GenerativeEvaluator ev, GenerativeEvaluator.Report r) {
        Map<String, Double> real = new LinkedHashMap<>();
        for (int c = 0; c < r.classNames().size(); c++) {
            Double a = ev.meta().metrics().get("test_accuracy_class" + c);
            if (a == null) return;
            real.put(r.classNames().get(c), Json.round(a, 4));
        }
        out.put("evaluator_accuracy_on_real_test_per_class", real);
    }

    private void print(Map<String, Object> out) {
        var o = spec.commandLine().getOut();
        if (json) {
            o.println(Json.write(out));
            return;
        }
        for (Map.Entry<String, Object> e : out.entrySet()) o.printf(Locale.ROOT, "%-26s %s%n", e.getKey(), e.getValue());
    }

    /** The dataset a model was trained on: its "dataset" hyper-parameter, else the first word of its training-data note. */
    static String datasetOf(ModelMeta meta) {
        String d = meta.stringParam("dataset", null);
        if (d != null) return d;
        String t = meta.trainingData();
        if (t == null || t.isBlank()) throw new RetouchException(meta.name() + " does not say what it was trained on; pass --evaluator");
        return t.trim().split("[\\s(]+")[0];
    }
}
