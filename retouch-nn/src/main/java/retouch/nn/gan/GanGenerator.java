package retouch.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import retouch.nn.vae.Vae;

/**
 * A trained GAN generator (the EMA weights) for use. Optional truncation (Brock et al. 2019):
 * latent components beyond ±t are redrawn, trading variety for fidelity. Safe for concurrent
 * callers (a child {@code NDManager} per call).
 */
public final class GanGenerator implements ImageGenerator {

    private final LoadedModel model;
    private final DcganGenerator g;
    private volatile float truncation;
    /** Adam steps of a projection: enough for PSNR to level off on 64×64 faces. */
    public static final int DEFAULT_PROJECTION_STEPS = 300;
    private volatile int projectionSteps = DEFAULT_PROJECTION_STEPS;

    private GanGenerator(LoadedModel model) {
        this.model = model;
        this.g = (DcganGenerator) model.block();
    }

    /** Loads a GAN generator model file (folder or zip). */
    public static GanGenerator load(Path location) {
        return new GanGenerator(ModelFile.load(location, DcganGenerator.ARCHITECTURE));
    }

    @Override
    public ModelMeta meta() {
        return model.meta();
    }

    /** Sets the truncation threshold t (0 = none); later {@link #latents} redraw components with |z| > t. */
    public GanGenerator withTruncation(float t) {
        if (t < 0 || (t > 0 && t < 0.05f)) throw new RetouchException("--truncation must be 0 (off) or at least 0.05, got " + t);
        this.truncation = t;
        return this;
    }

    @Override
    public int latentSize() {
        return g.latent();
    }

    @Override
    public float[] latents(int n, long seed, float temperature) {
        Random r = new Random(seed);
        float t = truncation;
        float[] z = new float[n * g.latent()];
        for (int i = 0; i < z.length; i++) {
            double v = r.nextGaussian();
            while (t > 0 && Math.abs(v) > t) v = r.nextGaussian();
            z[i] = (float) v * temperature;
        }
        return z;
    }

    @Override
    public List<Image> sample(int n, int label, long seed, float temperature) {
        Sampling.checkCount(n);
        int[] labels = Sampling.labels(n, label, g.classes(), model.location());
        return decode(latents(n, seed, temperature), labels);
    }

    @Override
    public List<Image> decode(float[] z, int[] labels) {
        int n = labels.length, d = g.latent();
        List<Image> out = new ArrayList<>(n);
        Sampling.inChunks(n, model.manager(), (m, from, to) -> {
            NDArray zs = m.create(Arrays.copyOfRange(z, from * d, to * d), new Shape(to - from, d));
            NDList in = g.classes() > 0 ? new NDList(zs, Vae.oneHot(m, Arrays.copyOfRange(labels, from, to), g.classes())) : new NDList(zs);
            NDArray x = g.forward(new ParameterStore(m, false), in, false).singletonOrThrow();
            out.addAll(ImageTensors.toImages(x.add(1f).mul(0.5f).clip(0f, 1f)));
        });
        return out;
    }

    @Override
    public boolean canEncode() {
        return true;
    }

    @Override
    public Image fit(Image image) {
        return Sampling.fit(image, g.channels(), g.size());
    }

    /**
     * Projection by optimisation ({@link GanProjection}: best of 64 seeded codes, then 300 Adam
     * steps on z against the pixel MSE). Deterministic for an image; a few seconds per 64×64 image.
     */
    @Override
    public synchronized float[] encode(List<Image> images, int[] labels) {
        List<Image> fitted = new ArrayList<>(images.size());
        for (Image im : images) fitted.add(fit(im));
        int d = g.latent();
        float[] out = new float[images.size() * d];
        GanProjection projection = new GanProjection(g, projectionSteps, 0.05f);
        Sampling.inChunks(images.size(), model.manager(), (m, from, to) -> {
            float[] z = projection.project(m, fitted.subList(from, to), Arrays.copyOfRange(labels, from, to), 0);
            System.arraycopy(z, 0, out, from * d, z.length);
        });
        return out;
    }

    /** Sets the Adam steps {@link #encode} takes (default {@value #DEFAULT_PROJECTION_STEPS}; 0 = best random code). */
    public GanGenerator withProjectionSteps(int steps) {
        if (steps < 0 || steps > 100_000) throw new RetouchException("projection steps must be 0..100000, got " + steps);
        this.projectionSteps = steps;
        return this;
    }

    @Override
    public void close() {
        model.close();
    }
}
