package retouch.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.data.ImageFolder;
import retouch.nn.restore.DenoiseTraining;
import retouch.nn.restore.EdsrNet;
import retouch.nn.restore.SrTraining;
import retouch.nn.restore.RestoreTraining;
import retouch.nn.train.TrainingTask;
import retouch.nn.train.Trainer;

/** {@code retouch train denoise} (alias {@code restore}): denoising, deblurring and super-resolution networks. */
// Help texts: src/main/resources/retouch/cli/TrainDenoiseCommand.properties
@Command(name = "denoise",
        resourceBundle = "retouch.cli.TrainDenoiseCommand",
        aliases = {"restore"},
        mixinStandardHelpOptions = true)
public final class TrainDenoiseCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TrainRunOptions run;

    @Mixin CleanPatchOptions patches;

    @Mixin LearningRateOptions rate;

    @Mixin TrainSteps schedule = new TrainSteps(50_000, 500);

    @Option(names = "--task", defaultValue = "denoise") String task;

    @Option(names = "--noise-max", defaultValue = "5") double noiseMax;

    @Option(names = "--arch", defaultValue = "ffdnet") String arch;

    @Option(names = "--levels", defaultValue = "3") int levels;

    @Option(names = "--blocks", defaultValue = "2") int blocks;

    @Option(names = "--quantize") boolean quantize;

    @Option(names = "--scales", split = ",", paramLabel = "S[,S...]",
            description = "denoising: train on every photo also downscaled by these factors (bicubic, e.g. 1,0.9,0.8,0.7 as DnCNN), so fine texture near the pixel limit is seen; default 1")
    List<Double> scales;

    @Option(names = "--channels", defaultValue = "1") int channels;

    @Option(names = "--depth", defaultValue = "15") int depth;

    @Option(names = "--width", defaultValue = "64") int width;

    @Option(names = "--sigma", defaultValue = "0-55") String sigma;

    @Option(names = "--loss", defaultValue = "l2") String loss;

    @Option(names = "--freeze-batchnorm") boolean freezeBatchNorm;

    @Mixin
    LrRampOption lrRamp;

    @Option(names = "--init-from", paramLabel = "NAME|PATH") String initFrom;

    @Override
    public Integer call() throws IOException {
        if (arch.equals("unet")) arch = retouch.nn.restore.RestoreNets.UNET;
        if (!arch.equals("ffdnet") && !arch.equals("dncnn") && !arch.equals(retouch.nn.restore.RestoreNets.UNET) && !arch.equals(EdsrNet.ARCHITECTURE)) {
            throw new RetouchException("--arch must be ffdnet, dncnn, unet or edsr, not " + arch);
        }
        boolean unet = arch.equals(retouch.nn.restore.RestoreNets.UNET);
        int patch = patches.patch;
        if (unet && (levels < 2 || levels > 5 || blocks < 1)) throw new RetouchException("--levels must be 2-5 and --blocks >= 1");
        if (unet && patch % (2 * retouch.nn.restore.UNetDenoiser.sizeMultiple(levels)) != 0) {
            throw new RetouchException("--patch must be a multiple of " + 2 * retouch.nn.restore.UNetDenoiser.sizeMultiple(levels) + " for --levels " + levels);
        }
        if (channels != 1 && channels != 3) throw new RetouchException("--channels must be 1 or 3");
        if (task.equals("denoise") && !loss.equals("l1") && !loss.equals("l2")) throw new RetouchException("--loss must be l1 or l2 for denoising");
        if (patch < 16 || patch % 2 != 0) throw new RetouchException("--patch must be an even number >= 16");
        double[] range = parseRange(sigma);
        ImageFolder folder = patches.folder();
        String patchData = patches.describe(folder) + ", random " + patch + "px patches with flips/rotations";
        TrainingTask trainingTask;
        if (freezeBatchNorm && !task.equals("denoise")) throw new RetouchException("--freeze-batchnorm is for --task denoise");
        if (freezeBatchNorm && initFrom == null) {
            throw new RetouchException("--freeze-batchnorm keeps the start model's statistics; give the model with --init-from");
        }
        if (arch.equals(EdsrNet.ARCHITECTURE)) {
            if (blocks < 1) throw new RetouchException("--blocks must be >= 1");
            String what = patchData + " (high-resolution side), MATLAB-style bicubic downscaling by " + retouch.nn.task.RestorationTasks.scaleOf(task)
                    + ", small patch rounded to 8 bits";
            trainingTask = new SrTraining(new SrTraining.Config(task, channels, width, blocks, patch, patches.batch,
                    rate.lr, rate.lrMin, schedule.steps, patches.valEvery, what, loss), folder);
        } else if (task.equals("denoise")) {
            if (scales != null) for (double s : scales) if (!(s > 0 && s <= 1)) throw new RetouchException("--scales must be factors in (0, 1], not " + s);
            String description = patchData + (scales == null ? "" : ", at scales " + scales) + ", Gaussian σ " + sigma
                    + (quantize ? ", noisy input clipped and rounded to 8 bits" : "");
            trainingTask = new DenoiseTraining(new DenoiseTraining.Config(arch, channels, unet ? blocks : depth, width, patch, patches.batch,
                    range[0], range[1], rate.lr, rate.lrMin, schedule.steps, loss, patches.valEvery, description,
                    freezeBatchNorm, levels, quantize, scales), folder);
        } else {
            if (!arch.equals("ffdnet") && !unet) throw new RetouchException("--task " + task + " trains the ffdnet or unet architecture; not " + arch);
            String what = patchData + ", degraded for " + task
                    + " (" + retouch.nn.task.RestorationTasks.get(task).describe() + (task.equals("deblur") ? ", noise σ 0-" + noiseMax : "") + ")";
            trainingTask = new RestoreTraining(new RestoreTraining.Config(task, channels, unet ? blocks : depth, width, patch, patches.batch, noiseMax,
                    rate.lr, rate.lrMin, schedule.steps, patches.valEvery, what, loss, arch, levels), folder);
        }
        Trainer.Builder trainer = lrRamp.applyTo(run.applyTo(Trainer.builder(), spec)).optInitFrom(initFrom);
        return run.fit(spec, schedule.applyTo(trainer, patches.validateEvery), trainingTask, schedule.steps);
    }

    static double[] parseRange(String s) {
        try {
            String[] parts = s.split("-");
            double lo = Double.parseDouble(parts[0]);
            double hi = parts.length > 1 ? Double.parseDouble(parts[1]) : lo;
            if (parts.length > 2 || lo < 0 || hi < lo || hi > 255) throw new NumberFormatException();
            return new double[] {lo, hi};
        } catch (RuntimeException e) {
            throw new RetouchException("--sigma must be a level like 25 or a range like 0-55 on the 0-255 scale, not '" + s + "'");
        }
    }
}
