package retouch.nn.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import retouch.RetouchException;
import retouch.data.LabeledImages;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Adam;
import retouch.nn.train.LrSchedule;
import retouch.nn.train.Seeds;
import retouch.nn.train.StepContext;
import retouch.nn.train.TrainContext;
import retouch.nn.train.TrainingTask;

/**
 * Trains a {@link DomainClassifier} on a labeled set (MNIST, Fashion-MNIST) with the shared
 * {@link retouch.nn.train.Trainer}: softmax cross-entropy, Adam with cosine decay, optional
 * random shifts of up to ±{@code shift} pixels (zero padding), a held-out part of the training
 * split for validation accuracy (run it every epoch). The test split is not touched here; see
 * {@link EvaluatorExport}.
 *
 * <p>Epochs are seeded permutations: step s belongs to epoch (s−1)/stepsPerEpoch, whose order
 * depends only on (seed, epoch), so a resumed run sees exactly the batches an uninterrupted one
 * would. Data stay native (DESIGN "keep data native"): the training images are one padded uint8
 * array and the labels one int64 array in the run's manager; a batch is gathered and shifted on the
 * native side, only its indices cross from Java.
 */
public final class ClassifierTraining implements TrainingTask {

    /**
     * Settings of one run; recorded in model.json.
     *
     * @param net          network shape
     * @param batch        images per step
     * @param lr           peak learning rate (Adam, cosine decay to lrMin)
     * @param lrMin        final learning rate
     * @param epochs       passes over the training part
     * @param validation   images held out of the training split for validation
     * @param shift        maximum random shift in pixels (0 = no augmentation)
     * @param dataDescription what the data are, for model.json
     */
    public record Config(DomainClassifier.Config net, int batch, float lr, float lrMin, int epochs, int validation, int shift,
                         String dataDescription) {}

    private final Config cfg;
    private final LabeledImages all;
    private final List<String> classNames;
    private DomainClassifier net;
    private Adam adam;
    private long seed;
    private int trainCount;
    private int stepsPerEpoch;
    private NDArray trainPool;
    private NDArray trainLabels;
    private NDArray valImages;
    private int[] valLabels;
    private int permEpoch = -1;
    private int[] perm;

    /** A task over the training split {@code train} (its first {@code validation} images after a seeded shuffle are held out). */
    public ClassifierTraining(Config cfg, LabeledImages train) {
        this.cfg = cfg;
        this.all = train;
        this.classNames = train.classNames();
        if (train.h() != cfg.net().imageSize() || train.w() != cfg.net().imageSize() || cfg.net().channels() != 1) {
            throw new RetouchException("the classifier is set up for " + cfg.net().channels() + "x" + cfg.net().imageSize() + "x"
                    + cfg.net().imageSize() + " images but the data are 1x" + train.h() + "x" + train.w());
        }
        if (train.size() - cfg.validation() < cfg.batch()) {
            throw new RetouchException("only " + (train.size() - cfg.validation()) + " training images after holding out "
                    + cfg.validation() + " for validation; need at least one batch of " + cfg.batch());
        }
    }

    /** Optimisation steps per epoch for {@code trainSize} images, {@code validation} held out. */
    public static int stepsPerEpoch(int trainSize, int validation, int batch) {
        return Math.max(1, (trainSize - validation) / batch);
    }

    /** The meta of the model this task trains. */
    public ModelMeta meta() {
        return cfg.net().toMeta().labels(classNames)
                .hyper("batch", cfg.batch()).hyper("lr", cfg.lr()).hyper("lr_min", cfg.lrMin())
                .hyper("epochs", cfg.epochs()).hyper("validation_images", cfg.validation()).hyper("shift", cfg.shift())
                .hyper("optimizer", "adam, cosine decay").trainingData(cfg.dataDescription()).build();
    }

    @Override
    public void init(TrainContext ctx) {
        seed = ctx.seed();
        net = new DomainClassifier(cfg.net());
        int s = cfg.net().imageSize();
        net.initialize(ctx.manager(), DataType.FLOAT32, new Shape(1, cfg.net().channels(), s, s));
        trainCount = all.size() - cfg.validation();
        stepsPerEpoch = stepsPerEpoch(all.size(), cfg.validation(), cfg.batch());
        long total = (long) stepsPerEpoch * cfg.epochs();
        adam = Adam.builder().optLearningRate(LrSchedule.cosine(cfg.lr(), cfg.lrMin(), total)).build(net);
        ctx.setModel(meta(), net);
        ctx.addOptimizer("adam", adam);
        LabeledImages shuffled = all.shuffled(Seeds.mix(seed, -2));
        LabeledImages val = shuffled.subset(0, cfg.validation());
        LabeledImages train = shuffled.subset(cfg.validation(), all.size());
        trainPool = padded(ctx.manager(), train, cfg.shift());
        long[] labels = new long[trainCount];
        for (int i = 0; i < trainCount; i++) {
            labels[i] = train.label(i);
        }
        trainLabels = ctx.manager().create(labels);
        valImages = padded(ctx.manager(), val, 0);
        valLabels = val.labels().clone();
    }

    /** The images as one N×1×(S+2p)×(S+2p) uint8 array, zero-padded by {@code pad}. */
    static NDArray padded(NDManager manager, LabeledImages set, int pad) {
        int h = set.h(), w = set.w(), ph = h + 2 * pad, pw = w + 2 * pad;
        byte[] px = new byte[set.size() * ph * pw];
        for (int i = 0; i < set.size(); i++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(set.pixels(), (i * h + y) * w, px, (i * ph + y + pad) * pw + pad, w);
            }
        }
        return manager.create(ByteBuffer.wrap(px), new Shape(set.size(), 1, ph, pw), DataType.UINT8);
    }

    private int[] permutation(int epoch) {
        if (epoch != permEpoch) {
            int[] p = new int[trainCount];
            for (int i = 0; i < p.length; i++) {
                p[i] = i;
            }
            SplittableRandom r = new SplittableRandom(Seeds.mix(seed, 1_000_000L + epoch));
            for (int i = p.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            perm = p;
            permEpoch = epoch;
        }
        return perm;
    }

    /** A training batch: images (N×1×S×S float in [0,1], shifted) and labels (int64), in {@code m}. */
    private NDList batch(NDManager m, long step, java.util.Random r) {
        int epoch = (int) ((step - 1) / stepsPerEpoch);
        int pos = (int) ((step - 1) % stepsPerEpoch) * cfg.batch();
        int[] p = permutation(epoch);
        int b = cfg.batch(), sh = cfg.shift(), span = 2 * sh + 1, size = cfg.net().imageSize();
        // group the batch by shift so each group is one gather and one crop
        List<List<Integer>> groups = new ArrayList<>();
        for (int g = 0; g < span * span; g++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < b; i++) {
            groups.get(sh == 0 ? 0 : r.nextInt(span * span)).add(p[pos + i]);
        }
        NDList images = new NDList();
        long[] order = new long[b];
        int k = 0;
        for (int g = 0; g < groups.size(); g++) {
            List<Integer> members = groups.get(g);
            if (members.isEmpty()) {
                continue;
            }
            long[] idx = new long[members.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = members.get(i);
                order[k++] = idx[i];
            }
            int dy = g / span, dx = g % span;
            NDArray rows = trainPool.get(m, new NDIndex("{}", m.create(idx)));
            images.add(rows.get(new NDIndex(":, :, {}:{}, {}:{}", dy, dy + size, dx, dx + size)));
        }
        NDArray x = (images.size() == 1 ? images.head() : NDArrays.concat(images)).toType(DataType.FLOAT32, false).div(255f);
        NDArray y = trainLabels.get(m, new NDIndex("{}", m.create(order)));
        return new NDList(x, y);
    }

    @Override
    public Map<String, Float> step(StepContext ctx) {
        NDList xy = batch(ctx.manager(), ctx.step(), ctx.random());
        NDArray labels = xy.get(1);
        float loss;
        float acc;
        try (GradientCollector gc = ctx.newGradientCollector()) {
            NDArray logits = net.forward(ctx.parameterStore(), new NDList(xy.get(0)), true).singletonOrThrow();
            NDArray l = crossEntropy(logits, labels, cfg.net().classes());
            gc.backward(l);
            loss = l.getFloat();
            acc = logits.argMax(1).eq(labels).toType(DataType.FLOAT32, false).mean().getFloat();
        }
        adam.update();
        Map<String, Float> metrics = new LinkedHashMap<>();
        metrics.put("loss", loss);
        metrics.put("train_acc", acc);
        metrics.put("lr", adam.lastLearningRate());
        return metrics;
    }

    /** Mean softmax cross-entropy of logits (N×K) against int64 labels (N). */
    static NDArray crossEntropy(NDArray logits, NDArray labels, int classes) {
        return logits.logSoftmax(1).mul(labels.oneHot(classes)).sum(new int[] {1}).neg().mean();
    }

    @Override
    public Map<String, Float> validate(StepContext ctx) {
        int n = valLabels.length;
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("epoch", (float) Math.ceil(ctx.step() / (double) stepsPerEpoch));
        if (n == 0) {
            return out;
        }
        int correct = 0;
        for (int from = 0; from < n; from += 500) {
            int to = Math.min(n, from + 500);
            try (NDManager m = ctx.manager().newSubManager()) {
                NDArray x = valImages.get(m, new NDIndex("{}:{}", from, to)).toType(DataType.FLOAT32, false).div(255f);
                NDArray logits = net.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
                long[] pred = logits.argMax(1).toLongArray();
                for (int i = 0; i < pred.length; i++) {
                    if (pred[i] == valLabels[from + i]) {
                        correct++;
                    }
                }
            }
        }
        out.put("val_acc", correct / (float) n);
        return out;
    }
}
