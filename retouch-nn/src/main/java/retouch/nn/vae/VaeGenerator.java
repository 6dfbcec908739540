package retouch.nn.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.nn.ImageTensors;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.synth.ImageGenerator;
import retouch.nn.synth.Sampling;

/**
 * A trained {@link Vae} for use: sampling from the prior, reconstructing images and
 * interpolating between them in latent space. Safe for concurrent callers: every call works in
 * its own child {@code NDManager}.
 */
public final class VaeGenerator implements ImageGenerator {

    private final LoadedModel model;
    private final Vae vae;

    private final ClassLatentPrior classPrior;

    private VaeGenerator(LoadedModel model) {
        this.model = model;
        this.vae = (Vae) model.block();
        this.classPrior = ClassLatentPrior.of(model.meta(), vae.latent());
    }

    /** Loads a VAE model file (folder or zip). */
    public static VaeGenerator load(Path location) {
        return new VaeGenerator(ModelFile.load(location, Vae.ARCHITECTURE));
    }

    /** Wraps an already loaded VAE model (takes ownership). */
    public static VaeGenerator of(LoadedModel model) {
        if (!(model.block() instanceof Vae)) {
            throw new RetouchException(model.location() + " is not a VAE");
        }
        return new VaeGenerator(model);
    }

    @Override
    public ModelMeta meta() {
        return model.meta();
    }

    /** The network (for evaluation code). */
    public Vae vae() {
        return vae;
    }

    /** The manager holding the weights; open child managers from it. */
    public NDManager manager() {
        return model.manager();
    }

    /** Standard-normal latents scaled by {@code temperature}, from a seeded Java generator (engine-independent). */
    public static float[] latents(int n, int latent, long seed, float temperature) {
        Random r = new Random(seed);
        float[] z = new float[n * latent];
        for (int i = 0; i < z.length; i++) z[i] = (float) r.nextGaussian() * temperature;
        return z;
    }

    @Override
    public int latentSize() {
        return vae.latent();
    }

    @Override
    public float[] latents(int n, long seed, float temperature) {
        return latents(n, vae.latent(), seed, temperature);
    }

    @Override
    public List<Image> sample(int n, int label, long seed, float temperature) {
        Sampling.checkCount(n);
        int[] labels = labelsFor(n, label);
        // A fitted class prior draws each sample's z from its class's region of latent space.
        float[] z = classPrior != null ? classPrior.latents(labels, seed, temperature) : latents(n, vae.latent(), seed, temperature);
        return decode(z, labels);
    }

    /** Decodes latent rows ({@code labels.length} × latent, row-major) to mean images. */
    @Override
    public List<Image> decode(float[] z, int[] labels) {
        int n = labels.length;
        List<Image> out = new ArrayList<>(n);
        Sampling.inChunks(n, model.manager(), (m, from, to) -> {
            float[] part = java.util.Arrays.copyOfRange(z, from * vae.latent(), to * vae.latent());
            NDArray zs = m.create(part, new Shape(to - from, vae.latent()));
            NDArray logits = vae.decode(new ParameterStore(m, false), zs, onehot(m, java.util.Arrays.copyOfRange(labels, from, to)), false);
            out.addAll(ImageTensors.toImages(vae.likelihood().mean(logits)));
        });
        return out;
    }

    /**
     * The posterior means E[z|x] of {@code images} (each resized to the model's size and turned
     * gray/RGB as the model needs); rows of the result are latents.
     */
    @Override
    public float[] encode(List<Image> images, int[] labels) {
        int n = images.size();
        float[] out = new float[n * vae.latent()];
        Sampling.inChunks(n, model.manager(), (m, from, to) -> {
            List<Image> part = new ArrayList<>();
            for (int i = from; i < to; i++) part.add(fit(images.get(i)));
            NDArray x = ImageTensors.toBatch(m, part);
            NDList q = vae.encode(new ParameterStore(m, false), x, onehot(m, java.util.Arrays.copyOfRange(labels, from, to)), false);
            float[] mu = q.get(0).toFloatArray();
            System.arraycopy(mu, 0, out, from * vae.latent(), mu.length);
        });
        return out;
    }

    /** Encodes then decodes: the VAE's reconstruction of each image at the model's size. */
    @Override
    public List<Image> reconstruct(List<Image> images, int[] labels) {
        return decode(encode(images, labels), labels);
    }

    /** {@code image} as the model's input: gray or RGB as the model reads, resized (area/bicubic) to its size. */
    @Override
    public Image fit(Image image) {
        return Sampling.fit(image, vae.channels(), vae.size());
    }

    @Override
    public boolean canEncode() {
        return true;
    }

    private NDArray onehot(NDManager m, int[] labels) {
        return vae.classes() > 0 ? Vae.oneHot(m, labels, vae.classes()) : null;
    }

    /** Labels for {@code n} samples: {@code label} repeated, or all classes in turn when it is -1. */
    public int[] labelsFor(int n, int label) {
        return Sampling.labels(n, label, vae.classes(), model.location());
    }

    @Override
    public void close() {
        model.close();
    }
}
