package retouch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.data.ImageFolder;
import retouch.image.Image;
import retouch.nn.restore.JpegStrengthCalibration;
import retouch.nn.restore.RestoreSettings;
import retouch.nn.restore.Restorer;
import retouch.nn.restore.Restorers;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.ModelStore;
import retouch.nn.task.JpegStrength;

/** {@code retouch models calibrate-jpeg}: measures a JPEG model's repair strength per quality and stores it in its model.json. */
// Help texts: src/main/resources/retouch/cli/ModelsCalibrateJpegCommand.properties
@Command(name = "calibrate-jpeg", resourceBundle = "retouch.cli.ModelsCalibrateJpegCommand", mixinStandardHelpOptions = true)
public final class ModelsCalibrateJpegCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", descriptionKey = "MODEL") String model;

    @Option(names = "--data", required = true) String data;

    @Option(names = "--val-every", defaultValue = "50") int valEvery;

    @Option(names = "--qualities", split = ",", paramLabel = "Q") int[] qualities;

    @Override
    public Integer call() throws Exception {
        if (valEvery < 1) throw new RetouchException("--val-every must be at least 1, got " + valEvery);
        int[] qs = qualities == null ? JpegStrengthCalibration.QUALITIES : qualities;
        JpegStrengthCalibration.checkQualities(qs);
        Path location = ModelStore.resolve(model);
        ModelMeta meta = ModelFile.readMeta(location);
        List<String> tasks = meta.tasks() == null ? List.of() : meta.tasks();
        if (!tasks.contains(retouch.nn.task.JpegTask.TASK.id())) {
            throw new RetouchException("model " + location + " is not a JPEG repair model (tasks " + tasks
                    + "); calibrate-jpeg weighs models trained with 'retouch train restore --task jpeg'");
        }
        ImageFolder folder = CleanPatchOptions.folder(data);
        List<Image> photos = JpegStrengthCalibration.validationPhotos(folder, meta.inputChannels(), valEvery);
        JpegStrengthCalibration.Result result;
        try (Restorer restorer = Restorers.open(location.toString(), RestoreSettings.defaults());
             Progress bar = new Progress("calibrate", (long) photos.size() * qs.length, "img")) {
            result = JpegStrengthCalibration.calibrate(restorer, photos, qs, bar::stepTo);
        }
        // only model.json changes: the weights and, in a checkpoint, the optimiser state stay as they are
        ModelMeta updated = meta.toBuilder().hyper(JpegStrength.HYPER, result.strength().spec())
                .hyper(JpegStrength.HYPER + "_measured_on", data + ": " + result.photos() + " held-out photos (every " + valEvery
                        + "-th), JDK JPEG round trips, quality read from the pixels")
                .build();
        ModelFile.rewriteMeta(location, updated);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%d held-out photos of %s (every %d-th), quality read from the pixels; mean PSNR, dB%n", result.photos(), folder.root(), valEvery);
        out.println("quality  jpeg    repair  strength  blend   (strength none: the model left the photos as they were)");
        for (JpegStrengthCalibration.Row r : result.rows()) {
            String strength = Double.isNaN(r.strength()) ? "   (none)" : String.format(Locale.ROOT, "%8.3f ", r.strength());
            out.printf(Locale.ROOT, "%7d  %6.2f  %6.2f  %s %6.2f%n", r.quality(), r.jpegPsnr(), r.repairPsnr(), strength, r.blendPsnr());
        }
        out.printf("stored %s = %s in %s%n", JpegStrength.HYPER, result.strength().spec(), location);
        return ExitCodes.OK;
    }
}
