package retouch.cli;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.degrade.Degradation;
import retouch.degrade.DegradationSpec;
import retouch.degrade.Degraded;
import retouch.image.Image;
import retouch.image.ImageFiles;

/** {@code retouch degrade}: applies a seeded degradation chain to one image. */
@Command(name = "degrade", mixinStandardHelpOptions = true,
        description = "Damage an image reproducibly: noise, blur, downsampling, JPEG, holes.",
        footer = {"%nSpecs (comma-separated, applied left to right):",
                "  noise:gauss:25  noise:gauss:0-55  noise:poisson:30  noise:sp:0.05",
                "  blur:gauss:1.6  blur:motion:15:45  down:bicubic:4  jpeg:40",
                "  mask:box:0.25  mask:boxes:3  mask:free:0.1-0.3  mask:file:m.png",
                "%nExamples:",
                "  retouch degrade photo.png -o noisy.png --degrade noise:gauss:25 --seed 1",
                "  retouch degrade photo.png -o holes.png --degrade mask:free:0.1-0.3 --mask-out mask.png",
                "%nThe output is an 8-bit PNG (values rounded and clipped), or 16-bit with --bits 16.",
                ExitCodes.HELP_FOOTER})
public final class DegradeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "Input image (PNG, JPEG, BMP, GIF).")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.png", description = "Output PNG.")
    Path output;

    @Option(names = {"-d", "--degrade"}, required = true, paramLabel = "SPEC", description = "Degradation chain, e.g. blur:gauss:1.6,noise:gauss:15,jpeg:40")
    String degradeSpec;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (same seed, same output). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--mask-out", paramLabel = "MASK.png", description = "Also write the hole mask (white = missing) for mask specs.")
    Path maskOut;

    @Option(names = "--bits", defaultValue = "8", description = "Output bit depth, 8 or 16. Default: ${DEFAULT-VALUE}.")
    int bits;

    @Mixin ImageOptions imageOptions;

    @Override
    public Integer call() {
        Degradation degradation = DegradationSpec.parse(degradeSpec);
        Inputs.requirePng(output);
        if (maskOut != null) Inputs.requirePng(maskOut);
        if (bits != 8 && bits != 16) throw new retouch.RetouchException("--bits must be 8 or 16, not " + bits);
        Image clean = ImageFiles.read(input, imageOptions.readOptions());
        Degraded d = degradation.applyWithMask(clean, new SplittableRandom(seed));
        if (maskOut != null && !d.hasMask()) {
            throw new retouch.RetouchException("--mask-out needs a mask degradation (mask:box, mask:boxes, mask:free, mask:file) in --degrade");
        }
        ImageFiles.writePng(d.image(), output, bits);
        if (maskOut != null) ImageFiles.writePng(d.mask(), maskOut, 8);
        spec.commandLine().getOut().printf("%s -> %s (%s, %s, seed %d)%n", input, output, degradation.spec(), d.image().shapeString(), seed);
        return ExitCodes.OK;
    }
}
