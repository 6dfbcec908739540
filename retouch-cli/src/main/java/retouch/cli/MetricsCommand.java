package retouch.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;
import retouch.metrics.Ssim;

/** {@code retouch metrics}: PSNR and SSIM between a reference and a test image. */
// Help texts: src/main/resources/retouch/cli/MetricsCommand.properties
@Command(name = "metrics", resourceBundle = "retouch.cli.MetricsCommand", mixinStandardHelpOptions = true)
public final class MetricsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", descriptionKey = "A") Path reference;

    @Parameters(index = "1", paramLabel = "B", descriptionKey = "B") Path test;

    @Option(names = "--json") boolean json;

    @Option(names = "--y") boolean luma;

    @Option(names = "--crop", defaultValue = "0", paramLabel = "N") int crop;

    @Mixin ImageOptions imageOptions;

    @Override
    public Integer call() {
        Image a = ImageFiles.read(reference, imageOptions.readOptions());
        Image b = ImageFiles.read(test, imageOptions.readOptions());
        if (a.height() != b.height() || a.width() != b.width()) {
            throw new RetouchException(test + ": size " + b.width() + "x" + b.height() + " differs from " + reference + " ("
                    + a.width() + "x" + a.height() + "); compare images of the same size");
        }
        if (a.channels() != b.channels()) {
            // One gray, one color: compare both as gray rather than refuse.
            a = a.toGray();
            b = b.toGray();
        }
        if (crop < 0 || 2 * crop >= Math.min(a.height(), a.width()) - 10) {
            throw new RetouchException(reference + ": a " + a.width() + "x" + a.height() + " image is too small for SSIM with --crop " + crop
                    + " (it needs 11x11 pixels after the crop)");
        }
        double psnr;
        double ssim;
        if (luma && a.channels() == 3) {
            psnr = Psnr.ofY(a, b, crop);
            ssim = Ssim.ofY(a, b, crop);
        } else {
            psnr = Psnr.of(a, b, crop);
            ssim = Ssim.of(a, b, 1.0, crop);
        }
        var out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("psnr", Json.round(psnr, 6));
            m.put("ssim", Json.round(ssim, 8));
            out.println(Json.write(m));
        } else {
            out.printf("PSNR %.4f dB%nSSIM %.6f%n", psnr, ssim);
        }
        return ExitCodes.OK;
    }
}
