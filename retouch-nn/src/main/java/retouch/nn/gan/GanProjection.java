package retouch.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import retouch.image.Image;
import retouch.nn.ImageTensors;
import retouch.nn.vae.Vae;

/**
 * Projects images into a GAN generator's latent space by optimisation (Zhu et al. 2016, "Generative
 * Visual Manipulation on the Natural Image Manifold"; the GAN-inversion baseline): start each image
 * from the best of {@value #CANDIDATES} seeded random codes, then Adam on z to minimise the pixel
 * MSE between G(z) and the image plus a small pull of |z|² towards the prior's typical set. A GAN
 * has no encoder; an optimised z reconstructs far better than any z drawn at random, and it is
 * deterministic for a given image and seed.
 */
public final class GanProjection {

    /** Random codes tried per image before optimising. */
    static final int CANDIDATES = 64;

    private final DcganGenerator g;
    private final int steps;
    private final float learningRate;

    /**
     * @param steps Adam steps on z (0 = best random candidate only)
     * @param learningRate Adam step size on z
     */
    public GanProjection(DcganGenerator g, int steps, float learningRate) {
        this.g = g;
        this.steps = steps;
        this.learningRate = learningRate;
    }

    /**
     * Latent rows for {@code images} (already at the model's size and channels, in [0,1]), in a
     * child of {@code weights}; {@code labels} are used by conditional models.
     */
    public float[] project(NDManager weights, List<Image> images, int[] labels, long seed) {
        int n = images.size(), d = g.latent();
        float[] z = new float[n * d];
        try (NDManager m = weights.newSubManager()) {
            NDArray target = ImageTensors.toBatch(m, images).mul(2f).sub(1f);
            NDArray onehot = g.classes() > 0 ? Vae.oneHot(m, labels, g.classes()) : null;
            startFromBestCandidate(m, target, labels, seed, z);
            float[] mom = new float[z.length], vel = new float[z.length];
            float b1 = 0.9f, b2 = 0.999f;
            for (int t = 1; t <= steps; t++) {
                float[] grad;
                try (NDManager step = m.newSubManager()) {
                    NDArray zs = step.create(z, new Shape(n, d));
                    zs.setRequiresGradient(true);
                    try (GradientCollector gc = step.getEngine().newGradientCollector()) {
                        NDArray x = forward(step, zs, onehot);
                        // Sum over images of their mean squared error: each image's code moves as if alone.
                        NDArray mse = x.sub(target).square().reshape(n, -1).mean(new int[] {1}).sum();
                        NDArray prior = retouch.nn.Scalars.mul(zs.square().sum(), 1e-4f / d); // not mul(Number): see Scalars
                        gc.backward(mse.add(prior));
                    }
                    grad = zs.getGradient().toFloatArray();
                }
                // Adam on the codes in Java: a few thousand numbers, no optimiser state in the engine.
                float lrT = (float) (learningRate * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
                for (int i = 0; i < z.length; i++) {
                    mom[i] = b1 * mom[i] + (1 - b1) * grad[i];
                    vel[i] = b2 * vel[i] + (1 - b2) * grad[i] * grad[i];
                    z[i] -= lrT * mom[i] / ((float) Math.sqrt(vel[i]) + 1e-8f);
                }
            }
        }
        return z;
    }

    private NDArray forward(NDManager m, NDArray z, NDArray onehot) {
        NDList in = onehot == null ? new NDList(z) : new NDList(z, onehot);
        return g.forward(new ParameterStore(m, false), in, false).singletonOrThrow();
    }

    /** Fills {@code z} with, per image, the seeded random code whose image is closest in MSE. */
    private void startFromBestCandidate(NDManager m, NDArray target, int[] labels, long seed, float[] z) {
        int n = labels.length, d = g.latent();
        Random r = new Random(seed);
        float[] cands = new float[CANDIDATES * d];
        for (int i = 0; i < cands.length; i++) cands[i] = (float) r.nextGaussian();
        NDArray decoded = null;
        for (int i = 0; i < n; i++) {
            try (NDManager c = m.newSubManager()) {
                // Unconditional: one decode serves every image; conditional: the candidates in the image's class.
                if (decoded == null || g.classes() > 0) {
                    if (decoded != null) decoded.close();
                    int[] same = new int[CANDIDATES];
                    Arrays.fill(same, labels[i]);
                    NDArray onehot = g.classes() > 0 ? Vae.oneHot(c, same, g.classes()) : null;
                    decoded = forward(c, c.create(cands, new Shape(CANDIDATES, d)), onehot);
                    decoded.attach(m);
                }
                NDArray one = target.get(i).expandDims(0);
                float[] err = decoded.sub(one).square().reshape(CANDIDATES, -1).mean(new int[] {1}).toFloatArray();
                int best = 0;
                for (int k = 1; k < CANDIDATES; k++) if (err[k] < err[best]) best = k;
                System.arraycopy(cands, best * d, z, i * d, d);
            }
        }
    }
}
