package retouch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.nn.synth.Generators;
import retouch.nn.synth.ImageGenerator;

/** {@code retouch interpolate}: a strip of images along a straight line in latent space. */
// Help texts: src/main/resources/retouch/cli/InterpolateCommand.properties
@Command(name = "interpolate", resourceBundle = "retouch.cli.InterpolateCommand", mixinStandardHelpOptions = true)
public final class InterpolateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..2", paramLabel = "IMAGE", descriptionKey = "IMAGE") List<Path> images = new ArrayList<>();

    @Option(names = "--model", required = true) String model;

    @Option(names = "--seed-a") Long seedA;

    @Option(names = "--seed-b") Long seedB;

    @Option(names = "--label") String label;

    @Option(names = "--steps", defaultValue = "10") int steps;

    @Option(names = {"-o", "--output"}, required = true) Path output;

    @Override
    public Integer call() {
        if (steps < 2 || steps > 1000) throw new RetouchException("--steps must be 2..1000, got " + steps);
        Inputs.requirePng(output);
        boolean fromImages = !images.isEmpty();
        if (fromImages && images.size() != 2) throw new RetouchException("give two images (A.png B.png), or --seed-a/--seed-b");
        if (!fromImages && (seedA == null || seedB == null)) throw new RetouchException("give two images, or both --seed-a and --seed-b");
        try (ImageGenerator g = Generators.load(model)) {
            int labelIndex = label != null ? g.labelIndex(label) : g.conditional() ? 0 : -1;
            List<Image> strip;
            if (fromImages) {
                if (!g.canEncode()) {
                    throw new RetouchException(model + " cannot start from images; use --seed-a/--seed-b, or a VAE or GAN generator");
                }
                Image a = g.fit(ImageFiles.read(images.get(0)));
                Image b = g.fit(ImageFiles.read(images.get(1)));
                strip = new ArrayList<>();
                strip.add(a);
                strip.addAll(g.interpolate(a, b, steps, labelIndex));
                strip.add(b);
            } else {
                int d = g.latentSize();
                float[] za = g.latents(1, seedA, 1f), zb = g.latents(1, seedB, 1f);
                float[] line = new float[steps * d];
                int[] labels = new int[steps];
                for (int s = 0; s < steps; s++) {
                    float t = s / (float) (steps - 1);
                    for (int j = 0; j < d; j++) line[s * d + j] = (1 - t) * za[j] + t * zb[j];
                    labels[s] = Math.max(labelIndex, 0);
                }
                strip = g.decode(line, labels);
            }
            Grids.writeGrid(strip, strip.size(), 2, 1f, output);
            spec.commandLine().getOut().printf("wrote %s (%d images)%n", output, strip.size());
        }
        return ExitCodes.OK;
    }
}
