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
// Help texts: src/main/resources/retouch/cli/DegradeCommand.properties
@Command(name = "degrade", resourceBundle = "retouch.cli.DegradeCommand", mixinStandardHelpOptions = true)
public final class DegradeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", descriptionKey = "IN") Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.png") Path output;

    @Option(names = {"-d", "--degrade"}, required = true, paramLabel = "SPEC") String degradeSpec;

    @Option(names = "--seed", defaultValue = "0") long seed;

    @Option(names = "--mask-out", paramLabel = "MASK.png") Path maskOut;

    @Option(names = "--bits", defaultValue = "8") int bits;

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
