package retouch.cli;

import picocli.CommandLine.Option;

/** The learning rate of the trainers with a cosine schedule from 1e-3 to 1e-5 by default ({@code train denoise, fusion, vae}). */
final class LearningRateOptions {

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (cosine decay). Default: ${DEFAULT-VALUE}.")
    float lr;

    @Option(names = "--lr-min", defaultValue = "1e-5", description = "Final learning rate. Default: ${DEFAULT-VALUE}.")
    float lrMin;
}
