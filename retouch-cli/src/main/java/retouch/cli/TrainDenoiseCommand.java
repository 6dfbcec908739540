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
import retouch.nn.restore.DenoiseTraining;
import retouch.nn.restore.RestoreTraining;
import retouch.nn.train.TrainingTask;
import retouch.nn.train.Trainer;

/** {@code retouch train denoise} (alias {@code restore}): denoising, deblurring and super-resolution networks. */
@Command(name = "denoise", aliases = {"restore"}, mixinStandardHelpOptions = true,
        description = {"Train a restoration network on patches of clean photos: a Gaussian denoiser",
                "(FFDNet-style or DnCNN; noise drawn per patch from --sigma, 0-55 gives one blind model),",
                "or with --task deblur|sr2|sr3|sr4 an FFDNet-style deblurring or super-resolution network.",
                "Running it again on the same --out resumes from the last checkpoint."},
        footer = {"%nExamples:",
                "  retouch train denoise --data train400 --steps 50000 --out runs/denoise-gray",
                "  retouch train denoise --data cbsd432 --channels 3 --arch ffdnet --width 96 --depth 12 --out runs/denoise-color",
                "  retouch train denoise --arch dncnn --depth 17 --sigma 25 --patch 40 --out runs/dncnn-s25",
                "  retouch train denoise --arch unet --width 64 --levels 3 --blocks 2 --sigma 0-75 --quantize --loss l1 --out runs/unet-gray",
                "  retouch train restore --task deblur --steps 30000 --out runs/deblur-gray",
                "  retouch train restore --task sr2 --steps 30000 --out runs/sr2-gray",
                ExitCodes.HELP_FOOTER})
public final class TrainDenoiseCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TrainRunOptions run;

    @Mixin CleanPatchOptions patches;

    @Mixin LearningRateOptions rate;

    @Mixin TrainSteps schedule = new TrainSteps(50_000, 500);

    @Option(names = "--task", defaultValue = "denoise", description = "denoise, deblur, jpeg (artefact removal, quality 10-95), sr2, sr3 or sr4"
            + " (inpaint and deblur-gan: train inpaint / train deblur-gan). Default: ${DEFAULT-VALUE}.")
    String task;

    @Option(names = "--noise-max", defaultValue = "5", description = "Deblurring: noise σ drawn from 0 to this. Default: ${DEFAULT-VALUE}.")
    double noiseMax;

    @Option(names = "--arch", defaultValue = "ffdnet", description = "ffdnet, dncnn or unet (multi-scale residual U-Net, DRUNet-style). Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--levels", defaultValue = "3", description = "unet: resolutions (level i has width·2^i filters). Default: ${DEFAULT-VALUE}.")
    int levels;

    @Option(names = "--blocks", defaultValue = "2", description = "unet: residual blocks per level. Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(names = "--quantize", description = "Clip the noisy input to [0,1] and round it to 8 bits, as photos users have are"
            + " (validation too).")
    boolean quantize;

    @Option(names = "--channels", defaultValue = "1", description = "1 (gray) or 3 (RGB). Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(names = "--depth", defaultValue = "15", description = "Conv layers. Default: ${DEFAULT-VALUE}.")
    int depth;

    @Option(names = "--width", defaultValue = "64", description = "Filters per layer. Default: ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--sigma", defaultValue = "0-55", description = "Noise σ (0-255 scale): one value or a range LO-HI. Default: ${DEFAULT-VALUE}.")
    String sigma;

    @Option(names = "--loss", defaultValue = "l2", description = "l2 or l1; for deblur, jpeg and srK also psnr (minus the mean PSNR gain per patch:"
            + " damage to nearly clean patches costs as much as repairs of bad ones gain). Default: ${DEFAULT-VALUE}.")
    String loss;

    @Option(names = "--freeze-batchnorm", description = "Normalise with the start model's BatchNorm statistics and leave them"
            + " unchanged (fine-tuning from --init-from, e.g. an RGB model from denoise-gray at three times the width).")
    boolean freezeBatchNorm;

    @Mixin
    LrRampOption lrRamp;

    @Option(names = "--init-from", paramLabel = "NAME|PATH", description = "Start from this model's weights instead of a random "
            + "initialisation: fine-tune a shipped model on your photos (e.g. denoise-gray), or start another task on the same network "
            + "(same --arch, --channels, --depth and --width). Ignored when resuming.")
    String initFrom;

    @Override
    public Integer call() throws IOException {
        if (arch.equals("unet")) arch = retouch.nn.restore.RestoreNets.UNET;
        if (!arch.equals("ffdnet") && !arch.equals("dncnn") && !arch.equals(retouch.nn.restore.RestoreNets.UNET)) {
            throw new RetouchException("--arch must be ffdnet, dncnn or unet, not " + arch);
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
        if (task.equals("denoise")) {
            String description = patchData + ", Gaussian σ " + sigma + (quantize ? ", noisy input clipped and rounded to 8 bits" : "");
            trainingTask = new DenoiseTraining(new DenoiseTraining.Config(arch, channels, unet ? blocks : depth, width, patch, patches.batch,
                    range[0], range[1], rate.lr, rate.lrMin, schedule.steps, loss, patches.valEvery, description,
                    freezeBatchNorm, levels, quantize), folder);
        } else {
            if (!arch.equals("ffdnet")) throw new RetouchException("--task " + task + " trains the ffdnet architecture; drop --arch " + arch);
            String what = patchData + ", degraded for " + task
                    + " (" + retouch.nn.task.RestorationTasks.get(task).describe() + (task.equals("deblur") ? ", noise σ 0-" + noiseMax : "") + ")";
            trainingTask = new RestoreTraining(new RestoreTraining.Config(task, channels, depth, width, patch, patches.batch, noiseMax,
                    rate.lr, rate.lrMin, schedule.steps, patches.valEvery, what, loss), folder);
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
