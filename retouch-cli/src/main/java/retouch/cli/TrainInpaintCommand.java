package retouch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.data.Dataset;
import retouch.data.Datasets;
import retouch.data.ImageFolder;
import retouch.data.LabeledImages;
import retouch.image.Image;
import retouch.nn.inpaint.InpaintTraining;
import retouch.nn.train.Trainer;

/** {@code retouch train inpaint} (and, through {@link TrainDeblurGanCommand}, {@code train deblur-gan}): U-Net generators with a PatchGAN discriminator. */
// Help texts: src/main/resources/retouch/cli/TrainInpaintCommand.properties
@Command(name = "inpaint", resourceBundle = "retouch.cli.TrainInpaintCommand", mixinStandardHelpOptions = true)
public class TrainInpaintCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TrainRunOptions run;

    @Option(names = "--data", defaultValue = "train400") String data;

    @Option(names = "--task") String task;

    @Option(names = "--channels", defaultValue = "1") int channels;

    @Option(names = "--size", defaultValue = "64") int size;

    @Option(names = "--levels", defaultValue = "3") int levels;

    @Option(names = "--width", defaultValue = "32") int width;

    @Option(names = "--bottom-blocks", defaultValue = "0") int bottomBlocks;

    @Option(names = "--bottom-kind", defaultValue = "ffc") String bottomKind;

    @Option(names = "--trained-lr-scale", defaultValue = "1") float trainedLrScale;

    @Option(names = "--d-width", defaultValue = "32") int dWidth;

    @Option(names = "--adv-weight", defaultValue = "0.01") float advWeight;

    @Option(names = "--hole-weight", defaultValue = "6") float holeWeight;

    @Option(names = "--hole", defaultValue = "0.05-0.5") String hole;

    @Option(names = "--mask-dir", paramLabel = "DIR") Path maskDir;

    @Option(names = "--batch", defaultValue = "16") int batch;

    @Option(names = "--init-from", paramLabel = "NAME|PATH") String initFrom;

    @Option(names = "--gray-fraction", defaultValue = "0") double grayFraction;

    @Option(names = "--loss", defaultValue = "l1") String loss;

    @Option(names = "--lr", defaultValue = "2e-4") float lr;

    @Option(names = "--lr-min", defaultValue = "1e-6") float lrMin;

    @Mixin TrainSteps schedule = new TrainSteps(20_000, 250);

    @Mixin
    LrRampOption lrRamp;

    @Option(names = "--validate-every", defaultValue = "500") long validateEvery;

    @Option(names = "--val-every", defaultValue = "20") int valEvery;

    @Option(names = "--val-images", defaultValue = "200") int valImages;

    /** The task this command trains unless --task says otherwise. */
    String defaultTask() {
        return "inpaint";
    }

    @Override
    public Integer call() throws java.io.IOException {
        String t = task != null ? task : defaultTask();
        if (channels != 1 && channels != 3) throw new RetouchException("--channels must be 1 or 3");
        if (!(grayFraction >= 0 && grayFraction <= 1)) throw new RetouchException("--gray-fraction must be in [0, 1], not " + grayFraction);
        if (!loss.equals("l1") && !loss.equals("l2")) throw new RetouchException("--loss must be l1 or l2, not '" + loss + "'");
        if (grayFraction > 0 && channels != 3) throw new RetouchException("--gray-fraction turns colour crops gray; it needs --channels 3");
        if (bottomBlocks < 0 || bottomBlocks > 16) throw new RetouchException("--bottom-blocks must be 0 to 16, not " + bottomBlocks);
        var kind = retouch.nn.inpaint.BottomBlock.Kind.of(bottomKind);
        if (!(trainedLrScale >= 0 && trainedLrScale <= 1)) throw new RetouchException("--trained-lr-scale must be in [0, 1], not " + trainedLrScale);
        if (trainedLrScale != 1 && bottomBlocks == 0) {
            throw new RetouchException("--trained-lr-scale slows the weights outside the bottom blocks; it needs --bottom-blocks");
        }
        double[] range = parseHole(hole);
        List<Image> train = new ArrayList<>();
        List<Image> val = new ArrayList<>();
        String description;
        Path dir = Path.of(data);
        Dataset ds = Files.isDirectory(dir) ? null : Datasets.resolve(data, null);
        if (ds != null && ds.isLabeled()) {
            LabeledImages all = ds.train().shuffled(run.seed());
            int held = Math.min(valImages, all.size() / 5);
            for (int i = 0; i < all.size(); i++) (i >= all.size() - held ? val : train).add(all.image(i));
            description = data + " training split (" + all.size() + " images; the last " + held + " after a seeded shuffle held out"
                    + " for validation), whole " + all.h() + "px images with mirror flips";
        } else {
            ImageFolder folder = ds == null ? ImageFolder.of(dir) : ds.images();
            for (int i = 0; i < folder.size(); i++) {
                (valEvery > 0 && i % valEvery == valEvery - 1 ? val : train).add(folder.read(i));
            }
            description = CleanPatchOptions.describe(data, folder, valEvery) + ", random " + size + "px crops with flips/rotations";
        }
        boolean natural = ds == null || !ds.isLabeled();
        description += t.equals("inpaint")
                ? "; masks: thin strokes 3-10 px / free-form strokes / irregular blobs / 1-3 boxes / centre box, " + hole + " of the crop"
                  + (grayFraction > 0 ? "; " + Math.round(grayFraction * 100) + "% of the crops turned gray" : "")
                : "; Gaussian σ 0.5-3 or motion 5-21 px blur, noise σ 0-5";
        var cfg = new InpaintTraining.Config(t, channels, size, levels, width, dWidth, advWeight, holeWeight, range[0], range[1],
                natural, batch, lr, lrMin, schedule.steps, description + (maskDir == null ? "" : "; a quarter of the masks from " + maskDir
                + " (files numbered 4 mod 5 held out)"), maskDir, grayFraction, loss.equals("l2"), bottomBlocks, kind, trainedLrScale);
        Trainer.Builder trainer = schedule.applyTo(lrRamp.applyTo(run.applyTo(Trainer.builder(), spec)), validateEvery).optInitFrom(initFrom);
        return run.fit(spec, trainer, new InpaintTraining(cfg, train, val), schedule.steps);
    }

    static double[] parseHole(String s) {
        try {
            String[] p = s.split("-");
            double lo = Double.parseDouble(p[0]), hi = Double.parseDouble(p[1]);
            if (p.length != 2 || lo < 0 || hi > 1 || lo > hi || hi == 0) throw new NumberFormatException();
            return new double[] {lo, hi};
        } catch (RuntimeException e) {
            throw new RetouchException("--hole must be a coverage range like 0.05-0.5 (fractions of the crop), not '" + s + "'");
        }
    }
}
