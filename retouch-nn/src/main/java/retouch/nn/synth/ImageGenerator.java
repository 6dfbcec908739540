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

    /** Whether {@link #sample} needs a label. */
    /**
     * The latent-noise scale to sample at when the caller does not say: the model's
     * {@code sample_temperature} (measured at training time to give better samples, e.g. a VAE
     * whose prior is wider than what its decoder handles well), else 1.
     */
    default float defaultTemperature() {
        return (float) meta().doubleParam("sample_temperature", 1.0);
    }

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

    @Override
    void close();
}
