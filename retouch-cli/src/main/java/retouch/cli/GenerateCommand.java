package retouch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.nn.synth.Generators;
import retouch.nn.synth.ImageGenerator;

/** {@code retouch generate}: images from a VAE or GAN, as one grid PNG or one PNG per sample. */
// Help texts: src/main/resources/retouch/cli/GenerateCommand.properties
@Command(name = "generate", resourceBundle = "retouch.cli.GenerateCommand", mixinStandardHelpOptions = true)
public final class GenerateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true) String model;

    @Option(names = "-n", defaultValue = "64") int n;

    @Option(names = "--seed", defaultValue = "1") long seed;

    @Option(names = "--label") String label;

    @Option(names = {"--temperature", "-t"}) Float temperature;

    @Option(names = {"-o", "--output"}) Path output;

    @Option(names = "--out-dir") Path outDir;

    @Option(names = "--cols", defaultValue = "0") int cols;

    @Option(names = "--like", paramLabel = "IMAGE") Path like;

    @Option(names = "--spread", defaultValue = "0.5") float spread;

    @Override
    public Integer call() {
        if ((output == null) == (outDir == null)) throw new RetouchException("give either -o GRID.png or --out-dir DIR");
        if (n < 1 || n > 100_000) throw new RetouchException("-n must be 1..100000, got " + n);
        if (temperature != null && (!(temperature > 0) || temperature > 10)) {
            throw new RetouchException("--temperature must be in (0, 10], got " + temperature);
        }
        if (output != null) Inputs.requirePng(output);
        try (ImageGenerator g = Generators.load(model)) {
            int labelIndex = label == null ? -1 : g.labelIndex(label);
            List<Image> images;
            String what;
            if (like != null) {
                if (!g.canEncode()) throw new RetouchException(model + " cannot start from an image (--like needs a VAE or GAN generator)");
                images = g.sampleLike(ImageFiles.read(like), n, labelIndex, seed, spread);
                what = "like " + like + ", spread " + spread;
            } else {
                images = g.sample(n, labelIndex, seed, temperature != null ? temperature : g.defaultTemperature());
                what = label == null ? (g.conditional() ? "all classes" : "unconditional") : "label " + g.labels().get(labelIndex);
            }
            if (output != null) {
                int c = cols > 0 ? cols : g.conditional() && labelIndex < 0 ? Math.min(n, g.labels().size())
                        : (int) Math.ceil(Math.sqrt(n));
                Grids.writeGrid(images, c, 2, 1f, output);
                spec.commandLine().getOut().printf("wrote %s (%d images, %s, seed %d)%n", output, n, what, seed);
            } else {
                try {
                    Files.createDirectories(outDir);
                } catch (java.io.IOException e) {
                    throw new RetouchException("cannot create " + outDir + ": " + e.getMessage());
                }
                for (int i = 0; i < images.size(); i++) {
                    ImageFiles.writePng(images.get(i), outDir.resolve(String.format(Locale.ROOT, "sample-%05d.png", i)));
                }
                spec.commandLine().getOut().printf("wrote %d PNGs to %s (%s, seed %d)%n", n, outDir, what, seed);
            }
        }
        return ExitCodes.OK;
    }
}
