package retouch.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.data.Dataset;
import retouch.data.Datasets;
import retouch.data.LabeledImages;
import retouch.nn.train.Trainer;
import retouch.nn.vae.Likelihood;
import retouch.nn.vae.VaeTraining;

/** {@code retouch train vae}: a (conditional) variational autoencoder on a labeled image set. */
// Help texts: src/main/resources/retouch/cli/TrainVaeCommand.properties
@Command(name = "vae",
        resourceBundle = "retouch.cli.TrainVaeCommand",
        aliases = {"cvae"},
        mixinStandardHelpOptions = true)
public final class TrainVaeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TrainRunOptions run;

    @Option(names = "--data", required = true) String data;

    @Option(names = "--conditional") boolean conditional;

    @Option(names = "--latent", defaultValue = "32") int latent;

    @Option(names = "--width", defaultValue = "32") int width;

    @Option(names = "--likelihood", defaultValue = "bernoulli") String likelihood;

    @Option(names = "--binarize") boolean binarize;

    @Option(names = "--beta", defaultValue = "1") float beta;

    @Option(names = "--warmup-epochs", defaultValue = "0") double warmupEpochs;

    @Option(names = "--beta-start", defaultValue = "0") float betaStart;

    @Option(names = "--label-everywhere") boolean labelEverywhere;

    @Option(names = "--size", defaultValue = "0") int size;

    @Option(names = "--channels", defaultValue = "1") int channels;

    @Option(names = "--limit", defaultValue = "50000") int limit;

    @Option(names = "--label-guide", paramLabel = "CLASSIFIER") String labelGuide;

    @Option(names = "--label-guide-weight", defaultValue = "20") float labelGuideWeight;


    @Option(names = "--epochs", defaultValue = "30") double epochs;

    @Option(names = "--batch", defaultValue = "128") int batch;

    @Mixin LearningRateOptions rate;

    @Option(names = "--held-out", defaultValue = "500") int heldOut;

    @Mixin
    LrRampOption lrRamp;

    @Override
    public Integer call() throws IOException {
        if (latent < 1 || latent > 1024) throw new RetouchException("--latent must be 1..1024");
        if (width < 4 || width > 512) throw new RetouchException("--width must be 4..512");
        if (batch < 1 || epochs <= 0) throw new RetouchException("--batch and --epochs must be positive");
        Likelihood lik = Likelihood.parse(likelihood);
        // 'train cvae' means a conditional VAE.
        boolean conditional = this.conditional || spec.commandLine().getParseResult().originalArgs().contains("cvae");
        VaeTraining task;
        long stepsPerEpoch, steps;
        LabeledImages train = null;
        java.nio.file.Path asPath = java.nio.file.Path.of(data);
        Dataset ds = java.nio.file.Files.isDirectory(asPath) && !Datasets.NAMES.contains(data) ? null : Datasets.resolve(data, null);
        if (ds != null && ds.isLabeled()) {
            train = ds.train().shuffled(run.seed());
            stepsPerEpoch = Math.max(1, (train.size() - Math.min(heldOut, train.size() / 5)) / batch);
            steps = Math.max(1, Math.round(epochs * stepsPerEpoch));
            String description = ds.name() + " train split (" + train.size() + " images from " + ds.location() + "; last "
                    + Math.min(heldOut, train.size() / 5) + " after a seed-" + run.seed() + " shuffle held out for validation)"
                    + (binarize ? ", dynamically binarised" : ", gray levels in [0,1]");
            task = new VaeTraining(config(conditional, lik, stepsPerEpoch, steps, description), train);
        } else {
            // A folder of photos (or a named unlabeled set such as celeba64): square crops at --size.
            if (conditional) throw new RetouchException(data + " has no labels; use 'train vae' (unconditional)");
            int s = size == 0 ? 64 : size;
            retouch.data.ImageFolder folder = ds != null ? ds.images() : retouch.data.ImageFolder.of(asPath);
            retouch.data.SquareImages images = retouch.data.SquareImages.load(folder, s, channels, limit);
            int held = Math.min(heldOut, images.count() / 5);
            stepsPerEpoch = Math.max(1, (images.count() - held) / batch);
            steps = Math.max(1, Math.round(epochs * stepsPerEpoch));
            String description = (ds != null ? ds.name() : data) + " (" + images.count() + " images in sorted order, centre-cropped to a square "
                    + "and resized to " + s + "px, " + channels + " channel(s), values in [0,1]; the last " + held + " held out for validation)";
            spec.commandLine().getErr().println("train vae: " + description);
            task = VaeTraining.ofImages(config(false, lik, stepsPerEpoch, steps, description), images.pixels(), images.count(), channels, s);
        }
        // a checkpoint, validation and sample grid per epoch
        Trainer trainer = TrainSteps.applyTo(lrRamp.applyTo(run.applyTo(Trainer.builder(), spec)), steps, stepsPerEpoch, stepsPerEpoch).build();
        Trainer.Result r;
        if (labelGuide != null) {
            if (!conditional) throw new RetouchException("--label-guide needs a conditional VAE ('train cvae')");
            java.nio.file.Path where = retouch.nn.store.ModelStore.resolve(labelGuide);
            try (retouch.nn.store.LoadedModel clf = retouch.nn.store.ModelFile.load(where, retouch.nn.eval.DomainClassifier.ARCHITECTURE)) {
                if (train == null || !clf.meta().labels().equals(train.classNames())) {
                    throw new RetouchException(where + " classifies " + clf.meta().labels() + ", not the classes of " + data);
                }
                String name = clf.meta().name() != null ? clf.meta().name() : where.getFileName().toString();
                task.withLabelGuide((retouch.nn.eval.DomainClassifier) clf.block(), labelGuideWeight, name);
                r = trainer.fit(task);
            }
        } else {
            r = trainer.fit(task);
        }
        spec.commandLine().getOut().printf("%s at step %d/%d (%.1f epochs, %.0f s in all); checkpoint %s%n",
                r.completed() ? "finished" : "stopped", r.step(), steps, r.step() / (double) stepsPerEpoch, r.wallSeconds(), r.checkpoint());
        if (r.completed() && run.export != null && conditional && train != null) {
            // The class prior is what makes samples follow --label (see ClassLatentPrior).
            ModelsFitPriorCommand.fitInto(run.export, data, null, 1, 0);
            spec.commandLine().getOut().printf("fitted the class prior of %s on the training images%n", run.export);
        }
        return run.exitCode(r);
    }

    private VaeTraining.Config config(boolean conditional, Likelihood lik, long stepsPerEpoch, long steps, String description) {
        return new VaeTraining.Config(conditional, latent, width, lik, binarize, beta, Math.round(warmupEpochs * stepsPerEpoch), batch,
                rate.lr, rate.lrMin, steps, heldOut, description, betaStart, labelEverywhere);
    }
}
