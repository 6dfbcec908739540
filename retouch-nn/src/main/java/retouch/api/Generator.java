package retouch.api;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import retouch.RetouchException;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.nn.store.ModelMeta;
import retouch.nn.synth.Generators;
import retouch.nn.synth.ImageGenerator;

/**
 * The Java front door to Retouch's image generators (VAE decoders, GAN generators): load once,
 * sample many times, close.
 *
 * <pre>{@code
 * try (Generator g = Generator.load("cgan-fmnist")) {
 *     List<BufferedImage> shoes = g.sample(16, "sneaker", 42);   // label by name ...
 *     List<BufferedImage> sevens = g.sample(8, 7, 42);           // ... or by index
 *     BufferedImage grid = g.grid(64, -1, 0);                   // every class in turn, as one picture
 * }
 * }</pre>
 *
 * <p>A thin layer over {@link ImageGenerator} / {@link Generators}: it adds Java2D images, label
 * names, grids and argument checks. The same seed gives the same images. Instances are safe for
 * concurrent callers (each call works in its own native memory scope); closing frees the model's
 * native memory.
 */
public final class Generator implements AutoCloseable {
    /** Most images one call may ask for. */
    public static final int MAX_SAMPLES = 10_000;

    private final ImageGenerator generator;
    private final String name;

    private Generator(ImageGenerator generator, String name) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.name = name;
    }

    /**
     * Loads a generator by model-store name (e.g. "cgan-fmnist") or model folder / .zip.
     *
     * @throws RetouchException when the model is missing, broken or not a generator
     */
    public static Generator load(String nameOrPath) {
        ImageGenerator g = Generators.load(nameOrPath);
        return of(g);
    }

    /** Wraps an already loaded generator (or one of your own); closing the facade closes it. */
    public static Generator of(ImageGenerator generator) {
        ModelMeta meta = generator.meta();
        String n = meta != null && meta.name() != null ? meta.name() : meta != null ? meta.architecture() : "generator";
        return new Generator(generator, n);
    }

    /** The model's name. */
    public String name() {
        return name;
    }

    /** The model's model.json. */
    public ModelMeta meta() {
        return generator.meta();
    }

    /** Class names of a conditional model (index = label); empty for an unconditional one. */
    public List<String> labels() {
        return generator.labels();
    }

    /** Whether the model draws images of a chosen class. */
    public boolean conditional() {
        return generator.conditional();
    }

    /** The wrapped generator. */
    public ImageGenerator generator() {
        return generator;
    }

    /**
     * Draws {@code n} images of class {@code label} as 8-bit Java2D images.
     *
     * @param label class index (0..labels-1); -1 for unconditional models, or to cycle through the
     *     classes of a conditional one
     * @param seed the same seed gives the same images
     */
    public List<BufferedImage> sample(int n, int label, long seed) {
        return toBuffered(sampleImages(n, label, seed, generator.defaultTemperature()));
    }

    /**
     * Draws {@code n} images of the class named {@code label} (a class name, case-insensitive, or
     * its index; {@code null} or empty: as label -1).
     */
    public List<BufferedImage> sample(int n, String label, long seed) {
        return sample(n, labelIndex(label), seed);
    }

    /**
     * Draws {@code n} images as {@link Image}s in [0, 1].
     *
     * @param temperature latent-noise scale (1 = the prior; smaller = safer, less varied)
     */
    public List<Image> sampleImages(int n, int label, long seed, float temperature) {
        if (n < 1 || n > MAX_SAMPLES) throw new RetouchException("number of images must be from 1 to " + MAX_SAMPLES + ", not " + n);
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new RetouchException("temperature must be a positive number, not " + temperature);
        }
        List<String> labels = labels();
        if (label < -1 || (labels.isEmpty() ? label > -1 : label >= labels.size())) {
            throw new RetouchException(labels.isEmpty()
                    ? "model '" + name + "' is unconditional: it takes no label (use -1)"
                    : "label " + label + " is out of range for model '" + name + "': use 0.." + (labels.size() - 1) + " or a name of " + labels);
        }
        return generator.sample(n, label, seed, temperature);
    }

    /**
     * The class index for a label name or number (case-insensitive); {@code null}/blank gives -1.
     *
     * @throws RetouchException naming the valid labels when it matches none
     */
    public int labelIndex(String label) {
        if (label == null || label.isBlank()) return -1;
        return generator.labelIndex(label.trim());
    }

    /**
     * {@code n} samples laid out as one picture: rows of ceil(sqrt(n)) tiles with 2-pixel white
     * gutters.
     */
    public BufferedImage grid(int n, int label, long seed) {
        return ImageFiles.toBufferedImage(gridImage(sampleImages(n, label, seed, generator.defaultTemperature())));
    }

    /** Whether the model can start from a user's picture (VAE: its encoder; GAN: projection by optimisation). */
    public boolean canEncode() {
        return generator.canEncode();
    }

    /**
     * The closest image the model can make to {@code picture} (at the model's size; made gray/RGB
     * and resized as the model needs). {@code label}: the picture's class for conditional models, else -1.
     */
    public BufferedImage reconstruct(BufferedImage picture, int label) {
        requireEncoder();
        int[] labels = {Math.max(label, 0)};
        return ImageFiles.toBufferedImage(generator.reconstruct(List.of(generator.fit(ImageFiles.fromBufferedImage(picture))), labels).get(0));
    }

    /**
     * "More like this one": {@code n} images near {@code picture}'s latent code, seeded noise of scale
     * {@code spread} added (0 = its reconstruction each time, 1 = as varied as the prior).
     */
    public List<BufferedImage> like(BufferedImage picture, int n, int label, long seed, float spread) {
        requireEncoder();
        if (n < 1 || n > MAX_SAMPLES) throw new RetouchException("number of images must be from 1 to " + MAX_SAMPLES + ", not " + n);
        return toBuffered(generator.sampleLike(ImageFiles.fromBufferedImage(picture), n, label, seed, spread));
    }

    /** {@code steps} images along the line between the latent codes of two pictures, ends included. */
    public List<BufferedImage> interpolate(BufferedImage a, BufferedImage b, int steps, int label) {
        requireEncoder();
        return toBuffered(generator.interpolate(generator.fit(ImageFiles.fromBufferedImage(a)), generator.fit(ImageFiles.fromBufferedImage(b)),
                steps, label));
    }

    private void requireEncoder() {
        if (!generator.canEncode()) throw new RetouchException("model '" + name + "' cannot start from a picture; use a VAE or GAN generator");
    }

    /** Lays out samples as {@link #grid} does. */
    public static Image gridImage(List<Image> samples) {
        int cols = (int) Math.ceil(Math.sqrt(samples.size()));
        return Grids.grid(samples, cols, 2, 1f);
    }

    private static List<BufferedImage> toBuffered(List<Image> images) {
        List<BufferedImage> out = new ArrayList<>(images.size());
        for (Image im : images) out.add(ImageFiles.toBufferedImage(im));
        return out;
    }

    /** Frees the model's native memory. */
    @Override
    public void close() {
        generator.close();
    }

    @Override
    public String toString() {
        return "Generator[" + name + "]";
    }
}
