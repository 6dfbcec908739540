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
// Help texts: src/main/resources/retouch/cli/TrainClassifierCommand.properties
@Command(name = "classifier", resourceBundle = "retouch.cli.TrainClassifierCommand", mixinStandardHelpOptions = true)
public final class TrainClassifierCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data", defaultValue = "mnist") String data;

    @Option(names = "--download") boolean download;

    @Option(names = "--out", required = true) Path out;

    @Option(names = "--export") Path export;

    @Option(names = "--epochs", defaultValue = "20") int epochs;

    @Option(names = "--batch", defaultValue = "64") int batch;

    @Option(names = "--lr", defaultValue = "1e-3") float lr;

    @Option(names = "--lr-min", defaultValue = "1e-5") float lrMin;

    @Option(names = "--val", defaultValue = "1000") int validation;

    @Option(names = "--shift", defaultValue = "2") int shift;

    @Option(names = "--widths", defaultValue = "32,64", split = ",") List<Integer> widths;

    @Option(names = "--features", defaultValue = "128") int features;

    @Option(names = "--dropout", defaultValue = "0.5") float dropout;

    @Option(names = "--no-batch-norm") boolean noBatchNorm;

    @Option(names = "--limit", defaultValue = "0") int limit;

    @Option(names = "--test-limit", defaultValue = "0") int testLimit;

    @Option(names = "--floor-images", defaultValue = "10000") int floorImages;

    @Option(names = "--kid-reference", defaultValue = "2000") int kidReference;

    @Option(names = "--stop-at-epoch", defaultValue = "0") int stopAtEpoch;

    @Option(names = "--pretext") String pretext;

    @Option(names = "--size", defaultValue = "64") int size;

    @Mixin SeedQuietOptions seedQuiet;

    @Override
    public Integer call() throws IOException {
        if (epochs < 1 || batch < 1 || validation < 0 || shift < 0 || shift > 8) {
            throw new RetouchException("need --epochs >= 1, --batch >= 1, --val >= 0 and --shift 0..8");
        }
        LabeledImages train, test, floorTrain = null;
        String dataName, dataWhere;
        if (pretext != null) {
            // Unlabeled photos: learn which way up each is; FD/KID then compare upright images.
            if (!pretext.equals("rotation")) throw new RetouchException("--pretext must be 'rotation', got '" + pretext + "'");
            java.nio.file.Path asPath = java.nio.file.Path.of(data);
            retouch.data.ImageFolder folder = java.nio.file.Files.isDirectory(asPath) && !Datasets.NAMES.contains(data)
                    ? retouch.data.ImageFolder.of(asPath) : Datasets.resolve(data, null).images();
            int trainCount = limit > 0 ? Math.min(limit, folder.size()) : folder.size() * 9 / 10;
            int testCount = Math.min(testLimit > 0 ? testLimit : 1000, folder.size() - trainCount);
            if (testCount < 10) throw new RetouchException("--limit " + limit + " leaves " + testCount + " images of " + folder.size() + " for the test split");
            retouch.data.SquareImages all = retouch.data.SquareImages.load(folder, size, 1, trainCount + testCount);
            int plane = size * size;
            retouch.data.SquareImages first = new retouch.data.SquareImages(java.util.Arrays.copyOfRange(all.pixels(), 0, trainCount * plane),
                    trainCount, 1, size);
            retouch.data.SquareImages rest = new retouch.data.SquareImages(java.util.Arrays.copyOfRange(all.pixels(), trainCount * plane,
                    (trainCount + testCount) * plane), testCount, 1, size);
            train = retouch.data.RotationPretext.turned(first);
            floorTrain = retouch.data.RotationPretext.upright(first);
            test = retouch.data.RotationPretext.upright(rest);
            dataName = data + " (rotation pretext: image i turned by (i mod 4) quarter turns, gray " + size + "px; images " + trainCount
                    + " to " + (trainCount + testCount - 1) + " upright as the test split)";
            dataWhere = folder.root().toString();
        } else {
            Dataset ds = Datasets.resolve(data, null, download);
            if (!ds.isLabeled()) {
                throw new RetouchException("dataset " + data + " has no labels; the classifier trains on mnist, fashion-mnist or IDX files,"
                        + " or on photos with --pretext rotation");
            }
            train = ds.train();
            test = ds.test();
            dataName = ds.name();
            dataWhere = ds.location() + ", found via " + ds.source() + "; " + ds.terms();
        }
        if (pretext == null && limit > 0 && limit < train.size()) {
            train = train.subset(0, limit);
        }
        if (pretext == null && testLimit > 0 && testLimit < test.size()) {
            test = test.subset(0, testLimit);
        }
        if (validation >= train.size()) {
            throw new RetouchException("--val " + validation + " leaves no training images (the split has " + train.size() + ")");
        }
        DomainClassifier.Config net = new DomainClassifier.Config(1, train.h(), train.classNames().size(), new ArrayList<>(widths),
                features, dropout, !noBatchNorm);
        String description = String.format(Locale.ROOT, "%s training split (%d images at %s): %d for training,"
                + " %d held out for validation; random shifts up to ±%d px; test split (%d images) for test accuracy and floors",
                dataName, train.size(), dataWhere, train.size() - validation, validation, shift, test.size());
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
        ModelMeta meta = EvaluatorExport.export(r.checkpoint(), target, floorTrain != null ? floorTrain : train, test,
                new EvaluatorExport.Options(floorImages, kidReference, seedQuiet.seed), seedQuiet.quiet ? null : System.err);
        var m = meta.metrics();
        o.printf(Locale.ROOT, "test accuracy %.4f; real-vs-real floors: FD %.4f, KID %.5f ± %.5f (%d vs %d images); evaluator %s%n",
                m.get("test_accuracy"), m.get("fd_train_vs_test"), m.get("kid_train_vs_test"), m.get("kid_train_vs_test_std"),
                m.get("floor_images").intValue(), m.get("floor_images").intValue(), target);
        return ExitCodes.OK;
    }
}
