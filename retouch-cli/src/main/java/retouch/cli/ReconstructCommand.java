package retouch.cli;

import java.nio.file.Path;
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
import retouch.metrics.Psnr;
import retouch.nn.synth.Generators;
import retouch.nn.synth.ImageGenerator;

/** {@code retouch reconstruct}: encode an image with a VAE and decode it again. */
// Help texts: src/main/resources/retouch/cli/ReconstructCommand.properties
@Command(name = "reconstruct", resourceBundle = "retouch.cli.ReconstructCommand", mixinStandardHelpOptions = true)
public final class ReconstructCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", descriptionKey = "IN") Path input;

    @Option(names = {"-o", "--output"}, required = true) Path output;

    @Option(names = "--model", required = true) String model;

    @Option(names = "--label") String label;

    @Option(names = "--strip") boolean strip;

    @Override
    public Integer call() {
        Inputs.requirePng(output);
        try (ImageGenerator g = Generators.load(model)) {
            if (!g.canEncode()) throw new RetouchException(model + " cannot reconstruct an image; use a VAE or GAN generator");
            if (g.conditional() && label == null) throw new RetouchException(model + " is conditional: give the image's --label ("
                    + String.join(", ", g.labels()) + ")");
            int labelIndex = label == null ? -1 : g.labelIndex(label);
            Image in = g.fit(ImageFiles.read(input));
            Image out = g.reconstruct(List.of(in), new int[] {Math.max(labelIndex, 0)}).get(0);
            if (strip) {
                Grids.writeGrid(List.of(in, out), 2, 2, 1f, output);
            } else {
                ImageFiles.writePng(out, output);
            }
            spec.commandLine().getOut().printf(java.util.Locale.ROOT, "wrote %s (%dx%d, PSNR vs input %.2f dB, SSIM %.4f)%n", output, out.width(),
                    out.height(), Psnr.of(in, out), retouch.metrics.Ssim.of(in, out));
        }
        return ExitCodes.OK;
    }
}
