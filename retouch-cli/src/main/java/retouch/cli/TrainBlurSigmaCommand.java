package retouch.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.data.ImageFolder;
import retouch.nn.restore.BlurSigmaTraining;
import retouch.nn.train.Trainer;

/** {@code retouch train blur-sigma}: the network that tells the σ of a photo's Gaussian blur, for blind deblurring. */
// Help texts: src/main/resources/retouch/cli/TrainBlurSigmaCommand.properties
@Command(name = "blur-sigma", resourceBundle = "retouch.cli.TrainBlurSigmaCommand", mixinStandardHelpOptions = true)
public final class TrainBlurSigmaCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TrainRunOptions run;

    @Mixin CleanPatchOptions patches;

    @Mixin LearningRateOptions rate;

    @Mixin TrainSteps schedule = new TrainSteps(8000, 250);

    @Option(names = "--width", defaultValue = "32") int width;

    @Mixin LrRampOption lrRamp;

    @Option(names = "--init-from", paramLabel = "NAME|PATH") String initFrom;

    @Option(names = "--stages", defaultValue = "2") int stages;

    @Option(names = "--sigma", defaultValue = "0.3-4") String sigma;

    @Option(names = "--noise-max", defaultValue = "5") double noiseMax;

    @Override
    public Integer call() throws IOException {
        if (width < 1) throw new RetouchException("--width must be at least 1");
        double[] range;
        try {
            range = TrainDenoiseCommand.parseRange(sigma);
        } catch (RetouchException e) {
            throw new RetouchException("--sigma must be a blur range in pixels like 0.3-4, not '" + sigma + "'");
        }
        ImageFolder folder = patches.folder();
        String description = patches.describe(folder) + ", luma, random " + patches.patch + "px patches with flips/rotations, Gaussian blur σ "
                + sigma + " px (uniform), then Gaussian noise σ 0-" + noiseMax + ", rounded to 8 bits";
        BlurSigmaTraining task = new BlurSigmaTraining(new BlurSigmaTraining.Config(width, stages, patches.patch, patches.batch, range[0], range[1],
                noiseMax, rate.lr, rate.lrMin, schedule.steps, patches.valEvery, description), folder);
        Trainer.Builder trainer = schedule.applyTo(lrRamp.applyTo(run.applyTo(Trainer.builder(), spec)), patches.validateEvery).optInitFrom(initFrom);
        return run.fit(spec, trainer, task, schedule.steps);
    }
}
