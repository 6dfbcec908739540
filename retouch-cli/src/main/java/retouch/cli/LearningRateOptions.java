package retouch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The learning rate of the trainers with a cosine schedule from 1e-3 to 1e-5 by default ({@code train denoise, fusion, vae}). */
// Help texts: src/main/resources/retouch/cli/LearningRateOptions.properties
@Command(resourceBundle = "retouch.cli.LearningRateOptions")
final class LearningRateOptions {

    @Option(names = "--lr", defaultValue = "1e-3") float lr;

    @Option(names = "--lr-min", defaultValue = "1e-5") float lrMin;
}
