package retouch.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import retouch.RetouchException;
import retouch.nn.eval.GenerativeEvaluator;
import retouch.nn.gan.GanTraining;

/** Connects GAN training to the domain evaluator of its dataset (FD/KID in the training log), when one is installed. */
final class EvaluatorScorer {
    private EvaluatorScorer() {}

    /** A scorer for samples of {@code dataset}, or null when no evaluator fits (training then logs no FD). */
    static GanTraining.SampleScorer forDataset(String dataset, int size, int channels, PrintWriter err) {
        GenerativeEvaluator evaluator;
        try {
            evaluator = GenerativeEvaluator.load(GenerativeEvaluator.forDataset(dataset));
        } catch (RetouchException e) {
            err.println("retouch: no FD/KID during training: " + e.getMessage());
            return null;
        }
        // Loaded once for the run; the JVM ends with the training command, which frees it.
        return (samples, labels) -> {
            GenerativeEvaluator.Report r = evaluator.evaluate(samples, labels);
            Map<String, Float> out = new LinkedHashMap<>();
            out.put("fd", (float) r.fd());
            out.put("kid", (float) r.kid().mean());
            if (r.conditional()) out.put("label_acc", (float) r.labelAccuracy());
            return out;
        };
    }
}
