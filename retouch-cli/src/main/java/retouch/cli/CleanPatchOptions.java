package retouch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import retouch.data.Datasets;
import retouch.data.ImageFolder;

/**
 * The training data of the trainers that learn from patches of clean photos ({@code train denoise},
 * {@code train fusion}): the images, the patches cut from them and the images held out for validation.
 */
// Help texts: src/main/resources/retouch/cli/CleanPatchOptions.properties
@Command(resourceBundle = "retouch.cli.CleanPatchOptions")
final class CleanPatchOptions {

    @Option(names = "--data", defaultValue = "train400") String data;

    @Option(names = "--patch", defaultValue = "64") int patch;

    @Option(names = "--batch", defaultValue = "32") int batch;

    @Option(names = "--validate-every", defaultValue = "500") long validateEvery;

    @Option(names = "--val-every", defaultValue = "50") int valEvery;

    /** The images --data names: a folder as it is, else a named set. */
    ImageFolder folder() {
        return folder(data);
    }

    /** The images {@code data} names: a folder as it is, else a named set. */
    static ImageFolder folder(String data) {
        return Files.isDirectory(Path.of(data)) ? ImageFolder.of(Path.of(data)) : Datasets.resolve(data, null).images();
    }

    /** How a run's model.json describes {@code folder} and its validation split. */
    String describe(ImageFolder folder) {
        return describe(data, folder, valEvery);
    }

    /** "DATA (N images at ROOT; every K-th held out for validation)": the start of a training-data description. */
    static String describe(String data, ImageFolder folder, int valEvery) {
        return data + " (" + folder.size() + " images at " + folder.root() + "; every " + valEvery + "th held out for validation)";
    }
}
