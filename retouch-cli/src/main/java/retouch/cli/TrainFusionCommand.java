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
import retouch.nn.restore.FusionTraining;
import retouch.nn.train.Trainer;

/** {@code retouch train fusion}: the head that merges a gray denoiser's output with its Wiener stage's. */
// Help texts: src/main/resources/retouch/cli/TrainFusionCommand.properties
@Command(name = "fusion", resourceBundle = "retouch.cli.TrainFusionCommand", mixinStandardHelpOptions = true)
public final class TrainFusionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TrainRunOptions run;

    @Mixin CleanPatchOptions patches;

    @Mixin LearningRateOptions rate;

    @Mixin TrainSteps schedule = new TrainSteps(4000, 250);

    @Option(names = "--from", defaultValue = "denoise-gray", paramLabel = "NAME|PATH") String from;

    @Option(names = "--depth", defaultValue = "6") int depth;

    @Option(names = "--width", defaultValue = "32") int width;

    @Option(names = "--samples-per-image", defaultValue = "4") int samplesPerImage;

    @Option(names = "--sigma", defaultValue = "0-55") String sigma;

    @Override
    public Integer call() throws IOException {
        if (depth < 2 || width < 1) throw new RetouchException("--depth must be at least 2 and --width at least 1");
        if (patches.patch < 16) throw new RetouchException("--patch must be at least 16");
        if (samplesPerImage < 1) throw new RetouchException("--samples-per-image must be at least 1");
        double[] range = TrainDenoiseCommand.parseRange(sigma);
        ImageFolder folder = patches.folder();
        String description = patches.describe(folder) + ", " + samplesPerImage + " noise levels per image from σ " + sigma
                + ", whole images through the network and the Wiener stage, then random " + patches.patch + "px patches with flips/rotations";
        FusionTraining task = new FusionTraining(new FusionTraining.Config(from, depth, width, patches.patch, patches.batch, samplesPerImage,
                range[0], range[1], rate.lr, rate.lrMin, schedule.steps, patches.valEvery, description), folder);
        java.io.PrintWriter err = spec.commandLine().getErr();
        Progress[] bar = {null};
        long t0 = System.nanoTime();
        task.onSample((done, total) -> {
            if (bar[0] == null) {
                err.printf("computing the fusion samples: each training image through %s and the Wiener stage (kept in %s)%n",
                        from, run.out.resolve(FusionTraining.CACHE));
                err.flush();
                bar[0] = new Progress("samples", total, "img");
            }
            bar[0].step("");
            if (done.equals(total)) {
                bar[0].close();
                err.printf("fusion samples: %d in %.0f s%n", total, (System.nanoTime() - t0) / 1e9);
                err.flush();
            }
        });
        return run.fit(spec, schedule.applyTo(run.applyTo(Trainer.builder(), spec), patches.validateEvery), task, schedule.steps);
    }
}
