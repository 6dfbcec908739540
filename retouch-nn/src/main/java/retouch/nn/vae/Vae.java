package retouch.nn.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import retouch.nn.Scalars;
import retouch.nn.blocks.ImageGrid;
import retouch.nn.blocks.Layers;
import retouch.nn.store.ModelFactory;
import retouch.nn.store.ModelMeta;

/**
 * Convolutional variational autoencoder (Kingma &amp; Welling 2014, "Auto-Encoding Variational
 * Bayes"), and its conditional form (CVAE, Sohn et al. 2015) when {@code classes > 0}: the one-hot
 * label joins the encoder's features before q(z|x,y) and the latent code before p(x|z,y).
 *
 * <p>Encoder: per stage a stride-2 3×3 convolution (LeakyReLU 0.2), widths doubling from
 * {@code width}; flatten; a linear layer to the mean and log-variance of a diagonal Gaussian
 * q(z|x). Decoder: linear → reshape to the smallest grid → per stage nearest ×2 upsampling + 3×3
 * convolution (ReLU) → a 3×3 convolution to the per-pixel parameters (logits) of p(x|z). There is
 * no transposed convolution in the PyTorch engine of DJL, so upsampling is resize-convolution.
 *
 * <p>Hyper-parameters: {@code size} (28, 32 or 64; 28 uses a 7×7 grid and two stages, powers of
 * two a 4×4 grid), {@code latent} (z dimensions), {@code width} (channels of the first stage),
 * {@code classes} (0 = unconditional), {@code likelihood} (see {@link Likelihood}). With
 * "gaussian" the block holds one learned log-σ shared by all pixels.
 *
 * <p>Inputs {@code (x)} or {@code (x, onehot)}; {@link #forward} returns {@code (mu, logvar, logits)}
 * with z = mu (for shape inference and reconstruction). Training uses {@link #encode} /
 * {@link #decode} with a sampled z.
 */
public final class Vae extends AbstractBlock {

    /** The architecture name in {@code model.json}. */
    public static final String ARCHITECTURE = "vae";

    /** Rebuilds the block from a model file's meta. */
    public static final ModelFactory FACTORY = ModelFactory.of(Vae::of, ModelFactory::imageAndLabel);

    private final int channels;
    private final ImageGrid grid;
    private final int latent;
    private final int classes;
    private final int topWidth;
    private final Likelihood likelihood;
    private final SequentialBlock encoderConv;
    private final Block encoderHead;
    private final Block decoderHead;
    private final SequentialBlock decoderConv;
    private final Parameter logScale;
    private final boolean softClamp;
    private final Parameter classMeans;
    /** Decoder stages when the label also enters every decoder convolution (else null; {@link #decoderConv} is used). */
    private final Block[] labelStages;

    /** A VAE; see the class comment for the meaning of each option. */
    public Vae(int channels, int size, int latent, int width, int classes, Likelihood likelihood) {
        this(channels, size, latent, width, classes, likelihood, true);
    }

    /** As above; {@code softClamp} false reproduces models trained with the earlier hard log-variance clip. */
    public Vae(int channels, int size, int latent, int width, int classes, Likelihood likelihood, boolean softClamp) {
        this(channels, size, latent, width, classes, likelihood, softClamp, false);
    }

    /**
     * As above; {@code classPrior} (conditional models only) gives each class its own learned prior
     * mean, p(z|y) = N(m_y, I). It is implemented as a shift of the decoder's input, z + m_y, so
     * the encoder's output, the KL term and sampling stay those of a standard-normal latent.
     */
    public Vae(int channels, int size, int latent, int width, int classes, Likelihood likelihood, boolean softClamp,
               boolean classPrior) {
        this(channels, size, latent, width, classes, likelihood, softClamp, classPrior, false);
    }

    /**
     * As above; {@code labelEverywhere} (conditional models only) also feeds the one-hot label to
     * every decoder convolution, as {@code classes} constant channels concatenated to its input
     * (model.json {@code "conditioning": "stages"}; the default {@code "head"} gives the label to the
     * linear layers only).
     */
    public Vae(int channels, int size, int latent, int width, int classes, Likelihood likelihood, boolean softClamp,
               boolean classPrior, boolean labelEverywhere) {
        super((byte) 1);
        this.softClamp = softClamp;
        this.grid = ImageGrid.of(size, "VAE");
        this.channels = channels;
        this.latent = latent;
        this.classes = classes;
        this.likelihood = likelihood;
        int stages = grid.stages();
        SequentialBlock enc = new SequentialBlock();
        int w = width;
        for (int s = 0; s < stages; s++) {
            enc.add(Layers.conv(w, 3, 2, true)).add(Layers.leakyRelu(0.2f));
            if (s < stages - 1) w = Math.min(w * 2, 512);
        }
        enc.add(Blocks.batchFlattenBlock());
        this.topWidth = w;
        this.encoderConv = addChildBlock("encoder", enc);
        this.encoderHead = addChildBlock("encoder_head", Linear.builder().setUnits(2L * latent).build());
        this.decoderHead = addChildBlock("decoder_head", Linear.builder().setUnits(grid.units(topWidth)).build());
        if (labelEverywhere && classes > 0) {
            // Separate children, because the label channels join between them.
            this.labelStages = new Block[stages + 1];
            for (int s = 0; s < stages; s++) {
                w = Math.max(w / 2, width);
                labelStages[s] = addChildBlock("decoder_stage" + s, Layers.upsampleConv(s == stages - 1 ? width : w, 2));
            }
            labelStages[stages] = addChildBlock("decoder_out", Layers.conv(channels, 3, true));
            this.decoderConv = null;
        } else {
            SequentialBlock dec = new SequentialBlock();
            for (int s = 0; s < stages; s++) {
                w = Math.max(w / 2, width);
                dec.add(Layers.upsampleConv(s == stages - 1 ? width : w, 2)).add(Layers.relu());
            }
            dec.add(Layers.conv(channels, 3, true));
            this.decoderConv = addChildBlock("decoder", dec);
            this.labelStages = null;
        }
        this.logScale = likelihood == Likelihood.GAUSSIAN
                ? addParameter(Parameter.builder().setName("log_scale").setType(Parameter.Type.BIAS).optShape(new Shape(1)).build())
                : null;
        // Why a class prior: with the label only concatenated, the decoder learned to read the class
        // from z and ignore the label (labels of samples ~ chance). Separate prior means tie the
        // class to the region of latent space that samples are drawn from.
        this.classMeans = classPrior && classes > 0
                ? addParameter(Parameter.builder().setName("class_means").setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(classes, latent)).optInitializer(new ai.djl.training.initializer.NormalInitializer(1f)).build())
                : null;
    }

    /** The VAE described by {@code meta}'s hyper-parameters. */
    public static Vae of(ModelMeta meta) {
        return new Vae(meta.inputChannels(), meta.intParam("size", 28), meta.intParam("latent", 16),
                meta.intParam("width", 32), meta.intParam("classes", 0),
                Likelihood.parse(meta.stringParam("likelihood", "bernoulli")),
                "soft".equals(meta.stringParam("logvar_clamp", "hard")),
                "class".equals(meta.stringParam("prior", "standard")),
                "stages".equals(meta.stringParam("conditioning", "head")));
    }

    public int latent() { return latent; }

    public int classes() { return classes; }

    public int size() { return grid.size(); }

    public int channels() { return channels; }

    public Likelihood likelihood() { return likelihood; }

    /** The learned log σ of the Gaussian likelihood (shape (1)), or null for other likelihoods. */
    public NDArray logScale(ParameterStore ps, NDManager manager) {
        if (logScale == null) return null;
        // A view in the caller's manager, so arithmetic on it does not allocate in the weights' manager.
        NDArray v = ps.getValue(logScale, manager.getDevice(), true).reshape(1);
        v.attach(manager);
        return v;
    }

    /** q(z|x[,y]): returns (mu, logvar), each N×latent. {@code onehot} is null for unconditional models. */
    public NDList encode(ParameterStore ps, NDArray x, NDArray onehot, boolean training) {
        NDArray f = encoderConv.forward(ps, new NDList(x), training).singletonOrThrow();
        if (classes > 0) f = f.concat(onehot, 1);
        NDArray h = encoderHead.forward(ps, new NDList(f), training).singletonOrThrow();
        NDList parts = h.split(2, 1);
        // Keep log-variances in a range where exp() cannot overflow. A hard clip has no gradient at
        // its bounds: a unit pushed there once stays there (seen: every unit stuck at -12, +170 nats
        // of KL). Newer models use a soft bound 10·tanh(x/10), which keeps a gradient everywhere.
        NDArray logvar = softClamp ? Scalars.mul(Scalars.div(parts.get(1), 10f).tanh(), 10f) : parts.get(1).clip(-12, 8);
        return new NDList(parts.get(0), logvar);
    }

    /** p(x|z[,y]): the per-pixel logits, N×C×size×size. */
    public NDArray decode(ParameterStore ps, NDArray z, NDArray onehot, boolean training) {
        if (classMeans != null) {
            NDArray means = ps.getValue(classMeans, z.getDevice(), training);
            z = z.add(onehot.matMul(means));
        }
        NDArray in = classes > 0 ? z.concat(onehot, 1) : z;
        NDArray h = decoderHead.forward(ps, new NDList(in), training).singletonOrThrow();
        h = ai.djl.nn.Activation.relu(h.reshape(grid.shape(h.getShape().get(0), topWidth)));
        if (labelStages == null) return decoderConv.forward(ps, new NDList(h), training).singletonOrThrow();
        for (int s = 0; s < labelStages.length; s++) {
            // Nearest upsampling of constant label planes gives the same planes, so they can join before it.
            h = labelStages[s].forward(ps, new NDList(withLabelPlanes(h, onehot)), training).singletonOrThrow();
            if (s < labelStages.length - 1) h = ai.djl.nn.Activation.relu(h);
        }
        return h;
    }

    /** {@code h} (N×C×H×W) with the one-hot label appended as {@code classes} constant planes. */
    private NDArray withLabelPlanes(NDArray h, NDArray onehot) {
        Shape s = h.getShape();
        NDArray planes = onehot.reshape(s.get(0), classes, 1, 1).broadcast(new Shape(s.get(0), classes, s.get(2), s.get(3)));
        return h.concat(planes, 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray onehot = classes > 0 ? inputs.get(1) : null;
        NDList q = encode(ps, inputs.get(0), onehot, training);
        NDArray logits = decode(ps, q.get(0), onehot, training);
        if (logScale != null) {
            // Touch the parameter so it is initialised and saved with the block.
            ps.getValue(logScale, inputs.get(0).getDevice(), training);
        }
        return new NDList(q.get(0), q.get(1), logits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {new Shape(n, latent), new Shape(n, latent), new Shape(n, channels, grid.size(), grid.size())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        long n = x.get(0);
        encoderConv.initialize(manager, dataType, x);
        long flat = encoderConv.getOutputShapes(new Shape[] {x})[0].get(1);
        encoderHead.initialize(manager, dataType, new Shape(n, flat + classes));
        decoderHead.initialize(manager, dataType, new Shape(n, (long) latent + classes));
        Shape h = grid.shape(n, topWidth);
        if (labelStages == null) {
            decoderConv.initialize(manager, dataType, h);
            return;
        }
        // Each stage sees its input plus the label planes; chaining shapes by hand (a SequentialBlock
        // would hand every stage the previous stage's output shape, without the label channels).
        for (Block stage : labelStages) {
            Shape in = new Shape(n, h.get(1) + classes, h.get(2), h.get(3));
            stage.initialize(manager, dataType, in);
            h = stage.getOutputShapes(new Shape[] {in})[0];
        }
    }

    /** One-hot rows for class indices, N×classes, in {@code manager}. */
    public static NDArray oneHot(NDManager manager, int[] labels, int classes) {
        float[] v = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) v[i * classes + labels[i]] = 1f;
        return manager.create(v, new Shape(labels.length, classes));
    }

    /** Meta for a VAE with these options (tasks: generate, reconstruct). */
    public static ModelMeta.Builder meta(int channels, int size, int latent, int width, List<String> labels, Likelihood likelihood) {
        return ModelMeta.builder(ARCHITECTURE)
                .channels(channels, channels)
                .hyper("size", size)
                .hyper("latent", latent)
                .hyper("width", width)
                .hyper("classes", labels.size())
                .hyper("likelihood", likelihood.id())
                .hyper("logvar_clamp", "soft")
                .hyper("prior", "standard")
                .labels(labels)
                .valueRange(0, 1)
                .tasks("generate", "reconstruct");
    }
}
