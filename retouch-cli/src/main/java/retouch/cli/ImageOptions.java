package retouch.cli;

import picocli.CommandLine.Option;
import retouch.image.ReadOptions;

/** Options shared by every command that reads images. */
final class ImageOptions {
    @Option(names = "--max-pixels", paramLabel = "N",
            description = "Refuse images above N pixels before decoding (default: ${DEFAULT-VALUE}).")
    long maxPixels = ReadOptions.defaultMaxPixels();

    ReadOptions readOptions() {
        if (maxPixels <= 0) throw new UsageException("--max-pixels must be a positive number of pixels, not " + maxPixels);
        return ReadOptions.defaults().withMaxPixels(maxPixels);
    }
}
