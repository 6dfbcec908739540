package retouch.nn.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import retouch.RetouchException;
import retouch.data.LabeledImages;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.nn.ImageTensors;
import retouch.nn.Scalars;
import retouch.nn.store.Architectures;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Adam;
import retouch.nn.train.LrSchedule;
import retouch.nn.train.StepContext;
import retouch.nn.train.TrainContext;
import retouch.nn.train.TrainingTask;

/**
 * Trains a {@link Vae} (or CVAE) on a labeled 28×28-style image set by maximising the ELBO:
 * loss = E_q[-log p(x|z)] + β·KL(q(z|x) ‖ N(0, I)), one reparameterised sample per image, per-image
 * sums averaged over the batch (so the loss is the negative ELBO in nats when β = 1).
 *
 * <p>The training images live in one native array (data stays native, see DESIGN); batches are
 * gathered there. With {@code binarize}, each batch is re-binarised by sampling every pixel as
 * Bernoulli(gray level) ("dynamic binarisation", the standard protocol for binarised MNIST; it also
 * curbs over-fitting on a small training set). β ramps linearly from 0 over {@code warmupSteps}
 * (KL annealing) when that is positive; with {@code betaStart} above β it instead falls from there
 * to β, which keeps z from carrying the class early in CVAE training, so the decoder learns to
 * read the label. Validation: the negative ELBO on held-out training images.
 */
public final class VaeTraining implements TrainingTask {

    /** Settings of one run; recorded in model.json. */
    public record Config(boolean conditional, int latent, int width, Likelihood likelihood, boolean binarize,
                         float beta, long warmupSteps, int batch, float lr, float lrMin, long steps,
                         int heldOut, String dataDescription, float betaStart, boolean labelEverywhere) {
        /** The original settings: β ramps from 0, label at the linear layers only. */
        public Config(boolean conditional, int latent, int width, Likelihood likelihood, boolean binarize,
                      float beta, long warmupSteps, int batch, float lr, float lrMin, long steps,
                      int heldOut, String dataDescription) {
            this(conditional, latent, width, likelihood, binarize, beta, warmupSteps, batch, lr, lrMin, steps, heldOut,
                    dataDescription, 0f, false);
        }
    }

    private final Config cfg;
    /** Images as floats in [0,1], N×C×S×S, with labels (all 0 for unlabeled sets). */
    private record Split(float[] pixels, int size, int[] labels) {}

    private final Split train;
    private final Split validation;
    private final int channels;
    private final int imageSize;
    private final List<String> classNames;
    private NDArray pool;
    private int[] poolLabels;
    private Vae vae;
    private Adam adam;
    private retouch.nn.eval.DomainClassifier guide;
    private float guideWeight;
    private String guideName;

    /**
     * Adds a label-consistency loss (conditional models): a frozen classifier that Retouch trained
     * on the same domain scores the decoder's mean images, of the training images and of z drawn
     * from N(0, I) with random labels, and {@code weight}·cross-entropy with the intended label
     * joins the loss. Why: a VAE's mean image is blurred, and blur erases what tells a coat or a
     * shirt from a pullover (a classifier calls 64 % of real coats something else after a Gaussian
     * blur of σ 0.8 px), so without it coat and shirt samples come out as pullovers whatever the
     * label says. Use a classifier other than the evaluator that will score the model.
     */
    public VaeTraining withLabelGuide(retouch.nn.eval.DomainClassifier classifier, float weight, String name) {
        if (!cfg.conditional()) throw new RetouchException("a label guide needs a conditional VAE (train cvae)");
        if (!(weight > 0)) throw new RetouchException("the label-guide weight must be positive, got " + weight);
        this.guide = classifier;
        this.guideWeight = weight;
        this.guideName = name;
        return this;
    }

    /** {@code images} is the training split; its last {@code cfg.heldOut()} images are held out for validation. */
    public VaeTraining(Config cfg, LabeledImages images) {
        this(cfg, images.floats(), images.size(), 1, checkSquare(images), images.labels(), images.classNames());
    }

    private static int checkSquare(LabeledImages images) {
        if (images.h() != images.w()) throw new RetouchException("VAE training needs square images, got " + images.h() + "x" + images.w());
        return images.h();
    }

    /**
     * Unlabeled images (e.g. RGB faces), {@code n × channels × size × size} floats in [0,1]; the last
     * {@code cfg.heldOut()} are held out for validation. Unconditional models only.
     */
    public static VaeTraining ofImages(Config cfg, float[] pixels, int n, int channels, int size) {
        if (cfg.conditional()) throw new RetouchException("a folder of images has no labels; train an unconditional VAE ('train vae')");
        return new VaeTraining(cfg, pixels, n, channels, size, new int[n], List.of("image"));
    }

    private VaeTraining(Config cfg, float[] pixels, int n, int channels, int size, int[] labels, List<String> classNames) {
        if (size != 28 && size != 32 && size != 64) {
            throw new RetouchException("VAE training needs square 28, 32 or 64 pixel images, got " + size + "x" + size);
        }
        int held = Math.min(cfg.heldOut(), n / 5);
        if (n - held < cfg.batch()) {
            throw new RetouchException("only " + n + " training images; need at least one batch of " + cfg.batch());
        }
        this.cfg = cfg;
        this.channels = channels;
        this.imageSize = size;
        this.classNames = classNames;
        int plane = channels * size * size;
        this.train = new Split(java.util.Arrays.copyOfRange(pixels, 0, (n - held) * plane), n - held,
                java.util.Arrays.copyOfRange(labels, 0, n - held));
        this.validation = new Split(java.util.Arrays.copyOfRange(pixels, (n - held) * plane, n * plane), held,
                java.util.Arrays.copyOfRange(labels, n - held, n));
    }

    /** The model meta this run writes. */
    public ModelMeta meta() {
        List<String> labels = cfg.conditional() ? classNames : List.of();
        ModelMeta.Builder b = Vae.meta(channels, imageSize, cfg.latent(), cfg.width(), labels, cfg.likelihood());
        if (cfg.conditional() && cfg.labelEverywhere()) b.hyper("conditioning", "stages");
        if (cfg.betaStart() != 0f) b.hyper("beta_start", cfg.betaStart());
        if (guide != null) b.hyper("label_guide", guideName).hyper("label_guide_weight", guideWeight);
        return b
                .hyper("binarized", cfg.binarize())
                .hyper("beta", cfg.beta())
                .hyper("warmup_steps", cfg.warmupSteps())
                .hyper("batch", cfg.batch())
                .hyper("lr", cfg.lr())
                .hyper("lr_min", cfg.lrMin())
                .hyper("held_out", validation.size())
                .trainingData(cfg.dataDescription())
                .build();
    }

    @Override
    public void init(TrainContext ctx) {
        ModelMeta meta = meta();
        vae = (Vae) Architectures.buildInitialized(meta, ctx.manager());
        adam = Adam.builder().optLearningRate(ctx.schedule(LrSchedule.cosine(cfg.lr(), cfg.lrMin(), cfg.steps()))).build(vae);
        ctx.setModel(meta, vae).addOptimizer("adam", adam);
        pool = ctx.manager().create(train.pixels(), new Shape(train.size(), channels, imageSize, imageSize));
        poolLabels = train.labels();
    }

    private NDArray onehot(NDManager m, int[] labels) {
        return cfg.conditional() ? Vae.oneHot(m, labels, classNames.size()) : null;
    }

    /** -ELBO terms per image: (reconstruction NLL, KL), each shape N, then the posterior means (N×latent). */
    static NDList elboTerms(Vae vae, ParameterStore ps, NDArray x, NDArray onehot, boolean training) {
        NDManager m = x.getManager();
        NDList q = vae.encode(ps, x, onehot, training);
        NDArray mu = q.get(0), logvar = q.get(1);
        NDArray z = mu.add(Scalars.mul(logvar, 0.5f).exp().mul(m.randomNormal(mu.getShape())));
        NDArray logits = vae.decode(ps, z, onehot, training);
        NDArray rec = vae.likelihood().nll(logits, x, vae.logScale(ps, m));
        NDArray kl = logvar.add(1f).sub(mu.square()).sub(logvar.exp()).sum(new int[] {1});
        kl = Scalars.mul(kl, -0.5f); // not kl.mul(-0.5f): see Scalars
        return new NDList(rec, kl, mu, logits);
    }

    /** Mean cross-entropy of the guide classifier's view of mean images {@code x} against one-hot labels. */
    private NDArray guideLoss(NDManager m, NDArray x, NDArray onehot) {
        NDArray logits = guide.forwardBoth(new retouch.nn.gan.FrozenParameterStore(m), x, false).get(1);
        return logits.logSoftmax(1).mul(onehot).sum(new int[] {1}).mean().neg();
    }

    private float betaAt(long step) {
        if (cfg.warmupSteps() <= 0) return cfg.beta();
        float t = Math.min(1f, step / (float) cfg.warmupSteps());
        return cfg.betaStart() + (cfg.beta() - cfg.betaStart()) * t;
    }

    @Override
    public Map<String, Float> step(StepContext ctx) {
        NDManager m = ctx.manager();
        Random r = ctx.random();
        int[] idx = new int[cfg.batch()];
        int[] labels = new int[cfg.batch()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = r.nextInt(train.size());
            labels[i] = poolLabels[idx[i]];
        }
        NDArray x = pool.get(new NDIndex("{}", m.create(idx).toType(DataType.INT64, false)));
        x.attach(m);
        if (cfg.binarize()) x = binarize(x);
        float beta = betaAt(ctx.step());
        float loss, rec, kl, guideCe = 0;
        try (GradientCollector gc = ctx.newGradientCollector()) {
            NDList t = elboTerms(vae, ctx.parameterStore(), x, onehot(m, labels), true);
            NDArray recMean = t.get(0).mean();
            NDArray klMean = t.get(1).mean();
            NDArray l = recMean.add(Scalars.mul(klMean, beta));
            if (guide != null) {
                NDArray own = guideLoss(m, vae.likelihood().mean(t.get(3)), onehot(m, labels));
                int[] drawn = new int[cfg.batch()];
                for (int i = 0; i < drawn.length; i++) drawn[i] = r.nextInt(classNames.size());
                NDArray zPrior = m.randomNormal(new Shape(cfg.batch(), cfg.latent()));
                NDArray fromPrior = vae.likelihood().mean(vae.decode(ctx.parameterStore(), zPrior, onehot(m, drawn), true));
                NDArray ce = own.add(guideLoss(m, fromPrior, onehot(m, drawn)));
                guideCe = ce.getFloat() / 2;
                l = l.add(Scalars.mul(ce, guideWeight));
            }
            gc.backward(l);
            rec = recMean.getFloat();
            kl = klMean.getFloat();
            loss = rec + kl;
        }
        adam.update();
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("loss", loss);
        out.put("rec", rec);
        out.put("kl", kl);
        out.put("beta", beta);
        out.put("lr", adam.lastLearningRate());
        if (guide != null) out.put("guide_ce", guideCe);
        return out;
    }

    /** Samples each pixel as Bernoulli(value) with the engine's generator. */
    static NDArray binarize(NDArray x) {
        return x.getManager().randomUniform(0f, 1f, x.getShape()).lt(x).toType(DataType.FLOAT32, false);
    }

    @Override
    public Map<String, Float> validate(StepContext ctx) {
        if (validation.size() == 0) return Map.of();
        double sum = 0;
        int n = validation.size();
        for (int from = 0; from < n; from += 500) {
            int to = Math.min(n, from + 500);
            try (NDManager m = ctx.manager().newSubManager()) {
                int plane = channels * imageSize * imageSize;
                NDArray x = m.create(java.util.Arrays.copyOfRange(validation.pixels(), from * plane, to * plane),
                        new Shape(to - from, channels, imageSize, imageSize));
                int[] partLabels = java.util.Arrays.copyOfRange(validation.labels(), from, to);
                if (cfg.binarize()) x = binarize(x);
                NDList t = elboTerms(vae, new ParameterStore(m, false), x, onehot(m, partLabels), false);
                sum += t.get(0).add(t.get(1)).sum().getFloat();
            }
        }
        return Map.of("val_neg_elbo", (float) (sum / n));
    }

    @Override
    public void writeSamples(StepContext ctx, Path file) throws IOException {
        int classes = cfg.conditional() ? classNames.size() : 0;
        int cols = classes > 0 ? classes : 8;
        int n = cols * 8;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = classes > 0 ? i % classes : 0;
        try (NDManager m = ctx.manager().newSubManager()) {
            NDArray z = m.create(VaeGenerator.latents(n, cfg.latent(), 1234, 1f), new Shape(n, cfg.latent()));
            NDArray logits = vae.decode(new ParameterStore(m, false), z, onehot(m, labels), false);
            List<Image> images = ImageTensors.toImages(vae.likelihood().mean(logits));
            Grids.writeGrid(images, cols, 2, 1f, file);
        }
    }
}
