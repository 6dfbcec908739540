package retouch.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import retouch.RetouchException;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.nn.ImageTensors;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Adam;
import retouch.nn.train.LrSchedule;
import retouch.nn.train.StepContext;
import retouch.nn.train.TrainContext;
import retouch.nn.train.TrainingTask;
import retouch.nn.vae.Vae;

/**
 * Trains a {@link DcganGenerator} against a spectrally normalised {@link DcganDiscriminator}
 * (projection discriminator when conditional). One trainer step = {@code nDis} discriminator
 * updates, then one generator update. The exported model is an exponential moving average (EMA)
 * of the generator's weights (Yazıcı et al. 2019), which gives steadier, better samples than the
 * raw generator; the raw G and D are checkpointed beside it so a run resumes exactly.
 *
 * <p>Engine pitfalls handled here (DESIGN): the generator step also fills D's gradients, which
 * are cleared explicitly afterwards; one gradient collector at a time; all temporaries in the
 * step's child manager (the EMA update closes its own).
 */
public final class GanTraining implements TrainingTask {

    /** Scores a batch of EMA samples (e.g. FD/KID against a domain evaluator) for the log. */
    @FunctionalInterface
    public interface SampleScorer {
        /** @param labels intended labels, or null for unconditional samples */
        Map<String, Float> score(List<Image> samples, int[] labels);
    }

    /** Settings of one run; recorded in model.json. */
    public record Config(int channels, int size, boolean conditional, int latent, int gWidth, int dWidth, GanLoss loss,
                         int nDis, float lrG, float lrD, float beta1, float beta2, int batch, long steps, float emaDecay,
                         int scoreSamples, String dataDescription, float auxWeight, DiffAugment augment) {

        /** The settings without differentiable augmentation. */
        public Config(int channels, int size, boolean conditional, int latent, int gWidth, int dWidth, GanLoss loss,
                      int nDis, float lrG, float lrD, float beta1, float beta2, int batch, long steps, float emaDecay,
                      int scoreSamples, String dataDescription, float auxWeight) {
            this(channels, size, conditional, latent, gWidth, dWidth, loss, nDis, lrG, lrD, beta1, beta2, batch, steps, emaDecay,
                    scoreSamples, dataDescription, auxWeight, DiffAugment.none());
        }

        /** The settings without an auxiliary classifier loss. */
        public Config(int channels, int size, boolean conditional, int latent, int gWidth, int dWidth, GanLoss loss,
                      int nDis, float lrG, float lrD, float beta1, float beta2, int batch, long steps, float emaDecay,
                      int scoreSamples, String dataDescription) {
            this(channels, size, conditional, latent, gWidth, dWidth, loss, nDis, lrG, lrD, beta1, beta2, batch, steps, emaDecay,
                    scoreSamples, dataDescription, 0f);
        }

        boolean auxiliary() {
            return conditional && auxWeight > 0;
        }
    }

    private final Config cfg;
    private final GanData data;
    private final SampleScorer scorer;
    private DcganGenerator g;
    private DcganGenerator ema;
    private DcganDiscriminator d;
    private Adam adamG;
    private Adam adamD;
    private AdaptiveAugment adaptive;
    /** Step after which both learning rates fall linearly to 0 at the last step; 0 = constant rates. */
    private long decayFrom;

    public GanTraining(Config cfg, GanData data, SampleScorer scorer) {
        this.cfg = cfg;
        this.data = data;
        this.scorer = scorer;
    }

    /**
     * Drives the augmentation probability by D's overfitting instead of applying every transform
     * always (ADA); {@link AdaptiveAugment#TARGET} and {@link AdaptiveAugment#SPEED_IMAGES} are the paper's settings.
     */
    public GanTraining adaptAugmentation(float target, long speedImages) {
        this.adaptive = new AdaptiveAugment(cfg.augment(), target, cfg.batch(), speedImages);
        return this;
    }

    /**
     * Lets both learning rates fall linearly from step {@code from} to 0 at the run's last step
     * (call before training starts; 0 keeps them constant).
     */
    public GanTraining decayLearningRates(long from) {
        if (from < 0 || (from > 0 && from >= cfg.steps())) {
            throw new RetouchException("the learning-rate decay must start before the last step (" + cfg.steps() + "), not at " + from);
        }
        this.decayFrom = from;
        return this;
    }

    private LrSchedule schedule(float lr) {
        return decayFrom > 0 ? LrSchedule.linearDecay(lr, decayFrom, cfg.steps()) : LrSchedule.constant(lr);
    }

    /** Meta of the exported (EMA) generator. */
    public ModelMeta meta() {
        ModelMeta.Builder b = ModelMeta.builder(DcganGenerator.ARCHITECTURE)
                .channels(cfg.channels(), cfg.channels())
                .hyper("size", cfg.size())
                .hyper("latent", cfg.latent())
                .hyper("width", cfg.gWidth())
                .hyper("classes", cfg.conditional() ? data.classNames().size() : 0)
                .hyper("d_width", cfg.dWidth())
                .hyper("loss", cfg.loss().id())
                .hyper("n_dis", cfg.nDis())
                .hyper("lr_g", cfg.lrG())
                .hyper("lr_d", cfg.lrD())
                .hyper("betas", List.of(cfg.beta1(), cfg.beta2()))
                .hyper("batch", cfg.batch())
                .hyper("ema_decay", cfg.emaDecay())
                .hyper("spectral_norm", true)
                .hyper("aux_weight", cfg.auxiliary() ? cfg.auxWeight() : 0f)
                .hyper("augment", cfg.augment().id());
        if (decayFrom > 0) b.hyper("lr_decay_from", decayFrom);
        if (adaptive != null) b.hyper("augment_p", "adaptive");
        else if (cfg.augment().enabled() && cfg.augment().probability() < 1) b.hyper("augment_p", cfg.augment().probability());
        return b.labels(cfg.conditional() ? data.classNames() : List.of())
                .valueRange(-1, 1)
                .tasks("generate")
                .trainingData(cfg.dataDescription())
                .build();
    }

    private ModelMeta discriminatorMeta() {
        return ModelMeta.builder(DcganDiscriminator.ARCHITECTURE).channels(cfg.channels(), 1)
                .hyper("size", cfg.size()).hyper("width", cfg.dWidth())
                .hyper("classes", cfg.conditional() ? data.classNames().size() : 0)
                .hyper("aux_classifier", cfg.auxiliary()).build();
    }

    @Override
    public void init(TrainContext ctx) {
        ModelMeta meta = meta();
        NDManager m = ctx.manager();
        g = (DcganGenerator) retouch.nn.store.Architectures.buildInitialized(meta, m);
        ema = (DcganGenerator) retouch.nn.store.Architectures.buildInitialized(meta, m);
        d = (DcganDiscriminator) retouch.nn.store.Architectures.buildInitialized(discriminatorMeta(), m);
        copy(g, ema);
        adamG = Adam.builder().optLearningRate(schedule(cfg.lrG())).optBeta1(cfg.beta1()).optBeta2(cfg.beta2()).build(g);
        adamD = Adam.builder().optLearningRate(schedule(cfg.lrD())).optBeta1(cfg.beta1()).optBeta2(cfg.beta2()).build(d);
        ctx.setModel(meta, ema).addBlock("generator", g).addBlock("discriminator", d)
                .addOptimizer("adam_g", adamG).addOptimizer("adam_d", adamD);
        data.load(m);
    }

    private NDArray onehot(NDManager m, int[] labels) {
        return cfg.conditional() ? Vae.oneHot(m, labels, data.classNames().size()) : null;
    }

    private NDList inputs(NDArray first, NDArray onehot) {
        return onehot == null ? new NDList(first) : new NDList(first, onehot);
    }

    private int[] randomLabels(Random r) {
        int[] y = new int[cfg.batch()];
        int classes = data.classNames().size();
        for (int i = 0; i < y.length; i++) y[i] = cfg.conditional() ? r.nextInt(classes) : 0;
        return y;
    }

    @Override
    public Map<String, Float> step(StepContext ctx) {
        NDManager m = ctx.manager();
        Random r = ctx.random();
        ParameterStore ps = ctx.parameterStore();
        float lossD = 0, realScore = 0, fakeScore = 0;
        for (int k = 0; k < cfg.nDis(); k++) {
            GanData.Batch real = data.batch(m, r, cfg.batch());
            int[] yFake = randomLabels(r);
            NDArray ohFake = onehot(m, yFake);
            NDArray fake = g.forward(ps, inputs(m.randomNormal(new Shape(cfg.batch(), cfg.latent())), ohFake), true)
                    .singletonOrThrow().stopGradient();
            try (GradientCollector gc = ctx.newGradientCollector()) {
                NDArray ohReal = onehot(m, real.labels());
                NDList outReal = d.forward(ps, inputs(cfg.augment().apply(m, real.images(), r), ohReal), true);
                NDArray sReal = outReal.get(0);
                NDArray sFake = d.forward(ps, inputs(cfg.augment().apply(m, fake, r), ohFake), true).get(0);
                NDArray l = cfg.loss().discriminator(sReal, sFake);
                if (cfg.auxiliary()) {
                    // AC-GAN: D's class head learns the labels of real images only.
                    l = l.add(crossEntropy(outReal.get(1), ohReal).mul(cfg.auxWeight()));
                }
                gc.backward(l);
                lossD += l.getFloat() / cfg.nDis();
                realScore += sReal.mean().getFloat() / cfg.nDis();
                if (adaptive != null) adaptive.observe(sReal.sign().mean().getFloat());
                fakeScore += sFake.mean().getFloat() / cfg.nDis();
            }
            adamD.update();
        }
        float lossG;
        NDArray oh = onehot(m, randomLabels(r));
        try (GradientCollector gc = ctx.newGradientCollector()) {
            NDArray fake = g.forward(ps, inputs(m.randomNormal(new Shape(cfg.batch(), cfg.latent())), oh), true).singletonOrThrow();
            // D's weights are frozen for this pass: gradients flow through D into G only.
            NDList outFake = d.forward(new FrozenParameterStore(m), inputs(cfg.augment().apply(m, fake, r), oh), true);
            NDArray l = cfg.loss().generator(outFake.get(0));
            if (cfg.auxiliary()) {
                // ... and G is rewarded when that head recognises the intended class in its samples.
                l = l.add(crossEntropy(outFake.get(1), oh).mul(cfg.auxWeight()));
            }
            gc.backward(l);
            lossG = l.getFloat();
        }
        adamG.update();
        adamD.zeroGradients(); // cheap safety: nothing from the G step may reach the next D update
        emaUpdate(ctx.step());
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("loss_d", lossD);
        out.put("loss_g", lossG);
        out.put("d_real", realScore);
        out.put("d_fake", fakeScore);
        if (adaptive != null) out.put("aug_p", adaptive.probability());
        return out;
    }

    @Override
    public void saveState(Path dir) throws IOException {
        if (adaptive != null) adaptive.save(dir.resolve("adaptive-augment.txt"));
    }

    @Override
    public void loadState(Path dir) throws IOException {
        if (adaptive != null) adaptive.load(dir.resolve("adaptive-augment.txt"));
    }

    /** Mean cross-entropy of class logits against one-hot targets. */
    private static NDArray crossEntropy(NDArray logits, NDArray onehot) {
        return logits.logSoftmax(1).mul(onehot).sum(new int[] {1}).mean().neg();
    }

    /** ema ← β·ema + (1-β)·g over all parameters (BatchNorm running statistics included); β warms up as (1+t)/(10+t). */
    private void emaUpdate(long step) {
        float beta = Math.min(cfg.emaDecay(), (1f + step) / (10f + step));
        List<Parameter> src = g.getParameters().values();
        List<Parameter> dst = ema.getParameters().values();
        for (int i = 0; i < dst.size(); i++) {
            NDArray e = dst.get(i).getArray();
            try (NDArray scaled = src.get(i).getArray().mul(1 - beta)) {
                e.muli(beta).addi(scaled);
            }
        }
    }

    private static void copy(Block from, Block to) {
        List<Parameter> a = from.getParameters().values(), b = to.getParameters().values();
        for (int i = 0; i < a.size(); i++) {
            b.get(i).getArray().set(a.get(i).getArray().toFloatArray());
        }
    }

    /** {@code n} EMA samples in [0,1] with labels cycling through the classes; seeded (same noise every time). */
    List<Image> emaSamples(NDManager parent, int n, long seed, int[] labels) {
        List<Image> out = new java.util.ArrayList<>(n);
        for (int from = 0; from < n; from += 500) {
            int to = Math.min(n, from + 500);
            try (NDManager m = parent.newSubManager()) {
                float[] z = retouch.nn.vae.VaeGenerator.latents(n, cfg.latent(), seed, 1f);
                NDArray zs = m.create(java.util.Arrays.copyOfRange(z, from * cfg.latent(), to * cfg.latent()), new Shape(to - from, cfg.latent()));
                NDArray x = ema.forward(new ParameterStore(m, false), inputs(zs, onehot(m, java.util.Arrays.copyOfRange(labels, from, to))), false)
                        .singletonOrThrow();
                out.addAll(ImageTensors.toImages(x.add(1f).mul(0.5f).clip(0f, 1f)));
            }
        }
        return out;
    }

    private int[] cyclingLabels(int n) {
        int[] y = new int[n];
        int classes = data.classNames().size();
        for (int i = 0; i < n; i++) y[i] = cfg.conditional() ? i % classes : 0;
        return y;
    }

    @Override
    public Map<String, Float> validate(StepContext ctx) {
        if (scorer == null || cfg.scoreSamples() <= 0) return Map.of();
        int[] labels = cyclingLabels(cfg.scoreSamples());
        List<Image> samples = emaSamples(ctx.manager(), cfg.scoreSamples(), 4321, labels);
        return scorer.score(samples, cfg.conditional() ? labels : null);
    }

    @Override
    public void writeSamples(StepContext ctx, Path file) throws IOException {
        int cols = cfg.conditional() ? data.classNames().size() : 8;
        int n = cols * 8;
        Grids.writeGrid(emaSamples(ctx.manager(), n, 1234, cyclingLabels(n)), cols, 2, 1f, file);
    }
}
