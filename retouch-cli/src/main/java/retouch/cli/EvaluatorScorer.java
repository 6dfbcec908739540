package retouch.cli;

import java.io.PrintWriter;
import retouch.nn.gan.GanTraining;

/** Connects GAN training to the domain evaluator of its dataset (FD/KID in the training log), when one is installed. */
final class EvaluatorScorer {
    private EvaluatorScorer() {}

    /** A scorer for samples of {@code dataset}, or null when no evaluator fits (training then logs no FD). */
    static GanTraining.SampleScorer forDataset(String dataset, int size, int channels, PrintWriter err) {
        return null;
    }
}
