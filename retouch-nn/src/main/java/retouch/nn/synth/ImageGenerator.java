package retouch.nn.synth;

import java.util.List;
import retouch.image.Image;
import retouch.nn.store.ModelMeta;

/**
 * A loaded image synthesis model (VAE decoder or GAN generator): turns seeds, and for
 * conditional models a class label, into images in [0, 1]. Obtain one with
 * {@link Generators#load(String)}; close it to free native memory. Implementations are safe for
 * concurrent callers (each call works in its own native memory scope).
 */
public interface ImageGenerator extends AutoCloseable {

    /** The model's meta (architecture, labels, figures). */
    ModelMeta meta();

    /** Class names a conditional model accepts, index = label; empty for unconditional models. */
    default List<String> labels() {
        return meta().labels();
    }

    /**
     * The latent-noise scale to sample at when the caller does not say: the model's
     * {@code sample_temperature} (measured at training time to give better samples, e.g. a VAE
     * whose prior is wider than what its decoder handles well), else 1.
     */
    default float defaultTemperature() {
        return (float) meta().doubleParam("sample_temperature", 1.0);
    }

    /** Whether {@link #sample} needs a label. */
    default boolean conditional() {
        return !labels().isEmpty();
    }

    /**
     * Draws {@code n} images.
     *
     * @param n how many (1..10,000)
     * @param label class index for conditional models (0..labels-1), or -1 for unconditional
     *     models; a conditional model given -1 cycles through its classes
     * @param seed the same seed gives the same images
     * @param temperature scale of the latent noise (1 = the prior; smaller = safer, less varied)
     */
    List<Image> sample(int n, int label, long seed, float temperature);

    /** Dimensions of the latent code z. */
    int latentSize();

    /**
     * The latent codes {@link #sample} uses for {@code seed}: {@code n × latentSize()} values,
     * row-major (standard normal scaled by {@code temperature}).
     */
    float[] latents(int n, long seed, float temperature);

    /** Images for given latent rows ({@code labels.length × latentSize()}); labels are ignored by unconditional models. */
    List<Image> decode(float[] z, int[] labels);

    /** The class index for a user-given label name or number (case-insensitive), with a clear error otherwise. */
    default int labelIndex(String label) {
        if (!conditional()) {
            throw new retouch.RetouchException(meta().name() + " is an unconditional model; drop --label (conditional models: cvae-*, cgan-*)");
        }
        return new retouch.data.LabeledImages(new byte[0], 0, 1, 1, new int[0], labels()).classIndex(label);
    }

    /**
     * Whether {@link #encode} works: VAEs encode with their encoder, GAN generators by optimising z
     * (projection); others cannot start from a user's image.
     */
    default boolean canEncode() {
        return false;
    }

    /** {@code image} as the model sees it: gray or RGB as it makes, resized (area/bicubic) to its size. */
    default Image fit(Image image) {
        int size = meta().intParam("size", 28);
        return Sampling.fit(image, meta().outputChannels(), size);
    }

    /**
     * Latent rows for {@code images} (fitted with {@link #fit} first), such that {@link #decode}
     * gives them back as closely as the model can; {@code labels} for conditional models.
     */
    default float[] encode(List<Image> images, int[] labels) {
        throw new retouch.RetouchException(meta().name() + " cannot start from an image; use a VAE or GAN generator");
    }

    /** Each image's closest image the model can make (its size; see {@link #fit}). */
    default List<Image> reconstruct(List<Image> images, int[] labels) {
        return decode(encode(images, labels), labels);
    }

    /**
     * {@code steps} images along the straight line between the latents of {@code a} and
     * {@code b} (both ends included).
     */
    default List<Image> interpolate(Image a, Image b, int steps, int label) {
        if (steps < 2 || steps > 1000) throw new retouch.RetouchException("--steps must be between 2 and 1000, got " + steps);
        int classes = labels().size();
        int[] two = Sampling.labels(2, label, classes, meta().name());
        float[] z = encode(List.of(a, b), two);
        int d = latentSize();
        float[] line = new float[steps * d];
        for (int s = 0; s < steps; s++) {
            float t = s / (float) (steps - 1);
            for (int j = 0; j < d; j++) line[s * d + j] = (1 - t) * z[j] + t * z[d + j];
        }
        return decode(line, Sampling.labels(steps, label, classes, meta().name()));
    }

    /**
     * "More like this one": {@code n} images whose latents are the image's own plus seeded noise
     * of scale {@code spread} (0 = the reconstruction every time; 1 = as varied as the prior).
     */
    default List<Image> sampleLike(Image image, int n, int label, long seed, float spread) {
        Sampling.checkCount(n);
        if (!(spread >= 0 && spread <= 2)) throw new retouch.RetouchException("--spread must be in [0, 2], got " + spread);
        int classes = labels().size();
        int[] one = Sampling.labels(1, Math.max(label, classes > 0 ? 0 : -1), classes, meta().name());
        float[] z0 = encode(List.of(image), one);
        int d = latentSize();
        float[] z = latents(n, seed, spread);
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) z[i * d + j] += z0[j];
        return decode(z, Sampling.labels(n, classes == 0 ? -1 : one[0], classes, meta().name()));
    }

    @Override
    void close();
}
