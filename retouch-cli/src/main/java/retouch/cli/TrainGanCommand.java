package retouch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import retouch.nn.gan.AdaptiveAugment;
import retouch.nn.gan.DiffAugment;
import retouch.nn.gan.GanData;
import retouch.nn.gan.GanLoss;
import retouch.nn.gan.GanTraining;
import retouch.nn.train.Trainer;

/** {@code retouch train gan} / {@code cgan}: a DCGAN (optionally class-conditional) trained in Java. */
// Help texts: src/main/resources/retouch/cli/TrainGanCommand.properties
@Command(name = "gan",
        resourceBundle = "retouch.cli.TrainGanCommand",
        aliases = {"cgan"},
        mixinStandardHelpOptions = true)
public final class TrainGanCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TrainRunOptions run;

    @Option(names = "--data", required = true) String data;

    @Option(names = "--conditional") boolean conditional;

    @Option(names = "--size", defaultValue = "0") int size;

    @Option(names = "--channels", defaultValue = "1") int channels;

    @Option(names = "--limit") Integer limit;

    @Option(names = "--latent", defaultValue = "64") int latent;

    @Option(names = "--g-width", defaultValue = "32") int gWidth;

    @Option(names = "--d-width", defaultValue = "32") int dWidth;

    @Option(names = "--loss", defaultValue = "hinge") String loss;

    @Option(names = "--n-dis", defaultValue = "1") int nDis;

    @Option(names = "--lr-g", defaultValue = "1e-4") float lrG;

    @Option(names = "--lr-d", defaultValue = "4e-4") float lrD;

    @Option(names = "--betas", defaultValue = "0,0.9", split = ",") float[] betas;

    @Option(names = "--aux-weight", defaultValue = "0") float auxWeight;

    @Option(names = "--augment", defaultValue = "none") String augment;

    @Option(names = "--augment-p", defaultValue = "1", paramLabel = "P|adaptive") String augmentP;

    @Option(names = "--batch", defaultValue = "64") int batch;

    @Option(names = "--steps", defaultValue = "20000") long steps;

    @Option(names = "--ema", defaultValue = "0.999") float ema;

    @Option(names = "--lr-decay-from", defaultValue = "0", paramLabel = "STEP",
            description = "Both learning rates fall linearly from this step to 0 at --steps (0, the default: constant rates)")
    long lrDecayFrom;

    @Option(names = "--eval-every", defaultValue = "1000") long evalEvery;

    @Option(names = "--eval-samples", defaultValue = "2000") int evalSamples;

    @Option(names = "--checkpoint-every", defaultValue = "500") long checkpointEvery;

    /** Photos read from a folder when --limit is not given: bounds the memory of the image pool. */
    static final int FOLDER_LIMIT = 50_000;

    @Override
    public Integer call() throws IOException {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        boolean cond = conditional || args.contains("cgan");
        if (betas.length != 2) throw new RetouchException("--betas takes two numbers, e.g. 0,0.9");
        if (limit != null && limit < 1) throw new RetouchException("--limit must be at least 1, got " + limit);
        if (nDis < 1 || nDis > 10) throw new RetouchException("--n-dis must be 1..10");
        if (size != 0 && size != 28 && size != 32 && size != 64) throw new RetouchException("--size must be 28, 32 or 64, got " + size);
        if (batch < 1) throw new RetouchException("--batch must be at least 1, got " + batch);
        GanLoss lossFn = GanLoss.parse(loss);
        DiffAugment aug = DiffAugment.parse(augment);
        boolean adaptiveAug = augmentP.equalsIgnoreCase("adaptive");
        if (!adaptiveAug) {
            float p = Float.NaN;
            try {
                p = Float.parseFloat(augmentP);
            } catch (NumberFormatException e) {
                // refused below with the option's name
            }
            if (!(p >= 0 && p <= 1)) throw new RetouchException("--augment-p takes a probability in [0, 1] or 'adaptive', got '" + augmentP + "'");
            aug.setProbability(p);
        }
        if (!aug.enabled() && (adaptiveAug || aug.probability() < 1)) {
            throw new RetouchException("--augment-p needs transforms: add --augment translation,cutout (or color,translation,cutout)");
        }
        GanData gd;
        String name;
        Path asPath = Path.of(data);
        if (Files.isDirectory(asPath) && !Datasets.NAMES.contains(data)) {
            if (cond) throw new RetouchException("a folder of images has no labels; use 'train gan' (unconditional) for " + data);
            int s = size == 0 ? 32 : size;
            gd = GanData.of(ImageFolder.of(asPath), s, channels, limit == null ? FOLDER_LIMIT : limit);
            name = asPath.toString();
        } else {
            Dataset ds = Datasets.resolve(data, null);
            name = ds.name();
            if (ds.isLabeled()) {
                retouch.data.LabeledImages train = ds.train();
                // --limit on a labeled set: the first N training images (the sets come shuffled, classes balanced).
                if (limit != null && limit < train.size()) train = train.subset(0, limit);
                gd = GanData.of(train);
                if (size != 0 && size != gd.imageSize()) throw new RetouchException(data + " images are " + gd.imageSize() + " px; drop --size");
            } else {
                if (cond) throw new RetouchException(data + " has no labels; use 'train gan' (unconditional)");
                gd = GanData.of(ds.images(), size == 0 ? 32 : size, channels, limit == null ? FOLDER_LIMIT : limit);
            }
        }
        String fitted = gd.classNames().size() > 1 ? "" : " centre-cropped to a square and resized to";
        String description = name + " (" + gd.size() + " training images," + fitted + " " + gd.imageSize() + "px, " + gd.channels()
                + " channel(s), scaled to [-1,1])";
        GanTraining.SampleScorer scorer = EvaluatorScorer.forDataset(name, gd.imageSize(), gd.channels(), spec.commandLine().getErr());
        GanTraining task = new GanTraining(new GanTraining.Config(gd.channels(), gd.imageSize(), cond, latent, gWidth, dWidth, lossFn,
                nDis, lrG, lrD, betas[0], betas[1], batch, steps, ema, scorer == null ? 0 : evalSamples, description, auxWeight, aug), gd, scorer);
        if (adaptiveAug) task.adaptAugmentation(AdaptiveAugment.TARGET, AdaptiveAugment.SPEED_IMAGES);
        if (lrDecayFrom > 0) task.decayLearningRates(lrDecayFrom);
        String how = !aug.enabled() ? "" : adaptiveAug ? " (probability adapted to D's overfitting, from 0; logged as aug_p)"
                : aug.probability() < 1 ? " (probability " + aug.probability() + ")" : "";
        spec.commandLine().getErr().println("train gan: " + description + "; augmentation: " + aug.id() + how);
        Trainer.Builder trainer = TrainSteps.applyTo(run.applyTo(Trainer.builder(), spec), steps, checkpointEvery, evalEvery);
        return run.fit(spec, trainer, task, steps);
    }
}
