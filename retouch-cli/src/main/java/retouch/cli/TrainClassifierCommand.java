package retouch.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import retouch.RetouchException;
import retouch.data.Dataset;
import retouch.data.Datasets;
import retouch.data.LabeledImages;
import retouch.nn.eval.ClassifierTraining;
import retouch.nn.eval.DomainClassifier;
import retouch.nn.eval.EvaluatorExport;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Trainer;

/** {@code retouch train classifier}: the domain classifier behind the generative-model evaluator (FD, KID, label accuracy). */
@Command(name = "classifier", mixinStandardHelpOptions = true,
        description = {"Train the small CNN whose features measure generated images of a domain (FD and KID against",
                "the test split, label accuracy of conditional samples), then evaluate it on the test split, compute",
                "the real-vs-real floors (training vs test images) and write the evaluator model (--export).",
                "Random shifts of up to --shift pixels, Adam with cosine decay, validation accuracy every epoch on",
                "images held out of the training split. Running it again on the same --out resumes."},
        footer = {"%nExamples:",
                "  retouch train classifier --data mnist --epochs 30 --out runs/clf-mnist --export models/evaluator-mnist",
                "  retouch train classifier --data fashion-mnist --epochs 15 --out runs/clf-fmnist --export models/evaluator-fmnist",
                ExitCodes.HELP_FOOTER})
public final class TrainClassifierCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data", defaultValue = "mnist", description = "mnist, fashion-mnist, or a folder with MNIST-format IDX files. Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--download", description = "Allow the checksummed MNIST download if it is not found locally.")
    boolean download;

    @Option(names = "--out", required = true, description = "Run folder (checkpoint, train.csv, loss.png).")
    Path out;

    @Option(names = "--export", description = "Where to write the evaluator model when training completes. Default: OUT/evaluator.")
    Path export;

    @Option(names = "--epochs", defaultValue = "20", description = "Passes over the training images. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Images per step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (Adam, cosine decay). Default: ${DEFAULT-VALUE}.")
    float lr;

    @Option(names = "--lr-min", defaultValue = "1e-5", description = "Final learning rate. Default: ${DEFAULT-VALUE}.")
    float lrMin;

    @Option(names = "--val", defaultValue = "1000", description = "Training images held out for validation. Default: ${DEFAULT-VALUE}.")
    int validation;

    @Option(names = "--shift", defaultValue = "2", description = "Random shift augmentation, ± pixels (0 = off). Default: ${DEFAULT-VALUE}.")
    int shift;

    @Option(names = "--widths", defaultValue = "32,64", split = ",", description = "Conv filters per stage (2 convs + 2x2 max-pool each). Default: ${DEFAULT-VALUE}.")
    List<Integer> widths;

    @Option(names = "--features", defaultValue = "128", description = "Width of the feature (penultimate) layer. Default: ${DEFAULT-VALUE}.")
    int features;

    @Option(names = "--dropout", defaultValue = "0.5", description = "Dropout before the last layer. Default: ${DEFAULT-VALUE}.")
    float dropout;

    @Option(names = "--no-batch-norm", description = "No BatchNorm after the convolutions.")
    boolean noBatchNorm;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N training images (quick trials); 0 = all.")
    int limit;

    @Option(names = "--test-limit", defaultValue = "0", description = "Use only the first N test images (quick trials); 0 = all.")
    int testLimit;

    @Option(names = "--floor-images", defaultValue = "10000", description = "Images per split for the real-vs-real FD/KID floors. Default: ${DEFAULT-VALUE}.")
    int floorImages;

    @Option(names = "--kid-reference", defaultValue = "2000", description = "Test feature vectors stored for KID. Default: ${DEFAULT-VALUE}.")
    int kidReference;

    @Option(names = "--stop-at-epoch", defaultValue = "0", description = "Stop with a checkpoint after this epoch (time-boxed sessions); 0 = run to the end.")
    int stopAtEpoch;

    @Mixin SeedQuietOptions seedQuiet;

    @Override
    public Integer call() throws IOException {
        if (epochs < 1 || batch < 1 || validation < 0 || shift < 0 || shift > 8) {
            throw new RetouchException("need --epochs >= 1, --batch >= 1, --val >= 0 and --shift 0..8");
        }
        Dataset ds = Datasets.resolve(data, null, download);
        if (!ds.isLabeled()) {
            throw new RetouchException("dataset " + data + " has no labels; the classifier trains on mnist, fashion-mnist or IDX files");
        }
        LabeledImages train = ds.train();
        LabeledImages test = ds.test();
        if (limit > 0 && limit < train.size()) {
            train = train.subset(0, limit);
        }
        if (testLimit > 0 && testLimit < test.size()) {
            test = test.subset(0, testLimit);
        }
        if (validation >= train.size()) {
            throw new RetouchException("--val " + validation + " leaves no training images (the split has " + train.size() + ")");
        }
        DomainClassifier.Config net = new DomainClassifier.Config(1, train.h(), train.classNames().size(), new ArrayList<>(widths),
                features, dropout, !noBatchNorm);
        String description = String.format(Locale.ROOT, "%s training split (%d images at %s, found via %s; %s): %d for training,"
                + " %d held out for validation; random shifts up to ±%d px; test split (%d images) for test accuracy and floors",
                ds.name(), train.size(), ds.location(), ds.source(), ds.terms(), train.size() - validation, validation, shift, test.size());
        ClassifierTraining task = new ClassifierTraining(new ClassifierTraining.Config(net, batch, lr, lrMin, epochs, validation, shift,
                description), train);
        int spe = ClassifierTraining.stepsPerEpoch(train.size(), validation, batch);
        long steps = (long) spe * epochs;
        Trainer trainer = seedQuiet.applyTo(Trainer.builder())
                .setRunDir(out)
                .setSteps(steps)
                .optCheckpointEvery(spe)
                .optValidateEvery(spe)
                .optLogEvery(Math.max(1, spe / 10))
                .optStopAt(stopAtEpoch > 0 ? (long) spe * stopAtEpoch : 0)
                .optCommand(TrainRunOptions.commandLine(spec))
                .build();
        Trainer.Result r = trainer.fit(task);
        var o = spec.commandLine().getOut();
        Float val = r.lastMetrics().get("val_acc");
        o.printf(Locale.ROOT, "%s at epoch %d/%d (step %d/%d, %.0f s in all)%s; checkpoint %s%n",
                r.completed() ? "finished" : "stopped", r.step() / spe, epochs, r.step(), steps, r.wallSeconds(),
                val == null ? "" : String.format(Locale.ROOT, ", validation accuracy %.4f", val), r.checkpoint());
        if (!r.completed()) {
            return stopAtEpoch > 0 ? ExitCodes.OK : ExitCodes.INTERRUPTED;
        }
        Path target = export != null ? export : out.resolve("evaluator");
        ModelMeta meta = EvaluatorExport.export(r.checkpoint(), target, train, test,
                new EvaluatorExport.Options(floorImages, kidReference, seedQuiet.seed), seedQuiet.quiet ? null : System.err);
        var m = meta.metrics();
        o.printf(Locale.ROOT, "test accuracy %.4f; real-vs-real floors: FD %.4f, KID %.5f ± %.5f (%d vs %d images); evaluator %s%n",
                m.get("test_accuracy"), m.get("fd_train_vs_test"), m.get("kid_train_vs_test"), m.get("kid_train_vs_test_std"),
                m.get("floor_images").intValue(), m.get("floor_images").intValue(), target);
        return ExitCodes.OK;
    }
}
