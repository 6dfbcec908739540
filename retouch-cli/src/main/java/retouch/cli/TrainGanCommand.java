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
import retouch.nn.gan.GanData;
import retouch.nn.gan.GanLoss;
import retouch.nn.gan.GanTraining;
import retouch.nn.train.Trainer;

/** {@code retouch train gan} / {@code cgan}: a DCGAN (optionally class-conditional) trained in Java. */
@Command(name = "gan", aliases = {"cgan"}, mixinStandardHelpOptions = true,
        description = {"Train a DCGAN-style generator against a spectrally normalised discriminator (hinge or",
                "non-saturating loss, TTUR learning rates, EMA generator). 'cgan' (or --conditional) trains a",
                "class-conditional generator with a projection discriminator. Progress bar, checkpoints, resume,",
                "train.csv (with FD/KID from the domain evaluator when one is installed), loss.png, sample grids."},
        footer = {"%nExamples:",
                "  retouch train gan --data fashion-mnist --steps 20000 --out runs/gan-fmnist",
                "  retouch train cgan --data fashion-mnist --loss hinge --steps 20000 --out runs/cgan-fmnist",
                "  retouch train gan --data /path/to/faces --size 32 --channels 3 --out runs/gan-faces",
                ExitCodes.HELP_FOOTER})
public final class TrainGanCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TrainRunOptions run;

    @Option(names = "--data", required = true, description = "mnist, fashion-mnist, a named image set (e.g. celeba64) or a folder of images.")
    String data;

    @Option(names = "--conditional", description = "Class-conditional (implied by 'train cgan').")
    boolean conditional;

    @Option(names = "--size", defaultValue = "0", description = "Image size 28, 32 or 64 (default: the data's size, 28 for MNIST sets).")
    int size;

    @Option(names = "--channels", defaultValue = "1", description = "Folder data: 1 (gray) or 3 (RGB). Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(names = "--limit", defaultValue = "50000", description = "Folder data: use at most this many images. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--latent", defaultValue = "64", description = "Latent dimensions. Default: ${DEFAULT-VALUE}.")
    int latent;

    @Option(names = "--g-width", defaultValue = "32", description = "Generator channels at full resolution (doubling per coarser stage). Default: ${DEFAULT-VALUE}.")
    int gWidth;

    @Option(names = "--d-width", defaultValue = "32", description = "Discriminator channels of the first stage. Default: ${DEFAULT-VALUE}.")
    int dWidth;

    @Option(names = "--loss", defaultValue = "hinge", description = "hinge or ns (non-saturating). Default: ${DEFAULT-VALUE}.")
    String loss;

    @Option(names = "--n-dis", defaultValue = "1", description = "Discriminator updates per generator update. Default: ${DEFAULT-VALUE}.")
    int nDis;

    @Option(names = "--lr-g", defaultValue = "1e-4", description = "Generator learning rate. Default: ${DEFAULT-VALUE}.")
    float lrG;

    @Option(names = "--lr-d", defaultValue = "4e-4", description = "Discriminator learning rate (TTUR: higher than G's). Default: ${DEFAULT-VALUE}.")
    float lrD;

    @Option(names = "--betas", defaultValue = "0,0.9", split = ",", description = "Adam β1,β2 (e.g. 0,0.9 or 0.5,0.999). Default: ${DEFAULT-VALUE}.")
    float[] betas;

    @Option(names = "--aux-weight", defaultValue = "0",
            description = "Conditional models: weight of an auxiliary classifier loss (AC-GAN) on top of the projection discriminator; 0 = off. Default: ${DEFAULT-VALUE}.")
    float auxWeight;

    @Option(names = "--batch", defaultValue = "64", description = "Images per step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--steps", defaultValue = "20000", description = "Generator updates. Default: ${DEFAULT-VALUE}.")
    long steps;

    @Option(names = "--ema", defaultValue = "0.999", description = "EMA decay of the sampling generator. Default: ${DEFAULT-VALUE}.")
    float ema;

    @Option(names = "--eval-every", defaultValue = "1000", description = "FD/KID every N steps (needs the domain evaluator); also sample grids. Default: ${DEFAULT-VALUE}.")
    long evalEvery;

    @Option(names = "--eval-samples", defaultValue = "2000", description = "Samples per FD/KID estimate during training. Default: ${DEFAULT-VALUE}.")
    int evalSamples;

    @Option(names = "--checkpoint-every", defaultValue = "500", description = "Default: ${DEFAULT-VALUE}.")
    long checkpointEvery;

    @Override
    public Integer call() throws IOException {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        boolean cond = conditional || args.contains("cgan");
        if (betas.length != 2) throw new RetouchException("--betas takes two numbers, e.g. 0,0.9");
        if (nDis < 1 || nDis > 10) throw new RetouchException("--n-dis must be 1..10");
        GanLoss lossFn = GanLoss.parse(loss);
        GanData gd;
        String name;
        Path asPath = Path.of(data);
        if (Files.isDirectory(asPath) && !Datasets.NAMES.contains(data)) {
            if (cond) throw new RetouchException("a folder of images has no labels; use 'train gan' (unconditional) for " + data);
            int s = size == 0 ? 32 : size;
            gd = GanData.of(ImageFolder.of(asPath), s, channels, limit);
            name = asPath.toString();
        } else {
            Dataset ds = Datasets.resolve(data, null);
            name = ds.name();
            if (ds.isLabeled()) {
                gd = GanData.of(ds.train());
                if (size != 0 && size != gd.imageSize()) throw new RetouchException(data + " images are " + gd.imageSize() + " px; drop --size");
            } else {
                if (cond) throw new RetouchException(data + " has no labels; use 'train gan' (unconditional)");
                gd = GanData.of(ds.images(), size == 0 ? 32 : size, channels, limit);
            }
        }
        String description = name + " (" + gd.size() + " training images, " + gd.imageSize() + "px, " + gd.channels() + " channel(s), scaled to [-1,1])";
        GanTraining.SampleScorer scorer = EvaluatorScorer.forDataset(name, gd.imageSize(), gd.channels(), spec.commandLine().getErr());
        GanTraining task = new GanTraining(new GanTraining.Config(gd.channels(), gd.imageSize(), cond, latent, gWidth, dWidth, lossFn,
                nDis, lrG, lrD, betas[0], betas[1], batch, steps, ema, scorer == null ? 0 : evalSamples, description, auxWeight), gd, scorer);
        Trainer.Builder trainer = TrainSteps.applyTo(run.applyTo(Trainer.builder(), spec), steps, checkpointEvery, evalEvery);
        return run.fit(spec, trainer, task, steps);
    }
}
