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
        Dataset ds = Datasets.resolve(data, null);
        if (!ds.isLabeled()) throw new RetouchException(data + " is not a labeled MNIST-style set; use mnist, fashion-mnist or an IDX folder");
        LabeledImages train = ds.train().shuffled(run.seed());
        long stepsPerEpoch = Math.max(1, (train.size() - Math.min(heldOut, train.size() / 5)) / batch);
        long steps = Math.max(1, Math.round(epochs * stepsPerEpoch));
        String description = ds.name() + " train split (" + train.size() + " images from " + ds.location() + "; last "
                + Math.min(heldOut, train.size() / 5) + " after a seed-" + run.seed() + " shuffle held out for validation)"
                + (binarize ? ", dynamically binarised" : ", gray levels in [0,1]");
        VaeTraining task = new VaeTraining(new VaeTraining.Config(conditional, latent, width, lik, binarize, beta,
                Math.round(warmupEpochs * stepsPerEpoch), batch, rate.lr, rate.lrMin, steps, heldOut, description, betaStart,
                labelEverywhere), train);
        // a checkpoint, validation and sample grid per epoch
        Trainer trainer = TrainSteps.applyTo(lrRamp.applyTo(run.applyTo(Trainer.builder(), spec)), steps, stepsPerEpoch, stepsPerEpoch).build();
        Trainer.Result r;
        if (labelGuide != null) {
            if (!conditional) throw new RetouchException("--label-guide needs a conditional VAE ('train cvae')");
            java.nio.file.Path where = retouch.nn.store.ModelStore.resolve(labelGuide);
            try (retouch.nn.store.LoadedModel clf = retouch.nn.store.ModelFile.load(where, retouch.nn.eval.DomainClassifier.ARCHITECTURE)) {
                if (!clf.meta().labels().equals(train.classNames())) {
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
        if (r.completed() && run.export != null && conditional) {
            // The class prior is what makes samples follow --label (see ClassLatentPrior).
            ModelsFitPriorCommand.fitInto(run.export, data, null, 1, 0);
            spec.commandLine().getOut().printf("fitted the class prior of %s on the training images%n", run.export);
        }
        return run.exitCode(r);
    }
}
