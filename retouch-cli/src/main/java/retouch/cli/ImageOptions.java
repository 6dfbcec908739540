package retouch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import retouch.image.ReadOptions;

/** Options shared by every command that reads images. */
// Help texts: src/main/resources/retouch/cli/ImageOptions.properties
@Command(resourceBundle = "retouch.cli.ImageOptions")
final class ImageOptions {
    @Option(names = "--max-pixels", paramLabel = "N") long maxPixels = ReadOptions.defaultMaxPixels();

    ReadOptions readOptions() {
        if (maxPixels <= 0) throw new UsageException("--max-pixels must be a positive number of pixels, not " + maxPixels);
        return ReadOptions.defaults().withMaxPixels(maxPixels);
    }
}
