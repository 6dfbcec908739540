package retouch.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.torchscript.TorchScriptExport;

/**
 * {@code retouch models export-torchscript}: writes a Retouch model as a TorchScript file for
 * PyTorch, libtorch or DJL users (and for {@code retouch restore --model x.pt}). No Python needed.
 */
@Command(name = "export-torchscript", mixinStandardHelpOptions = true,
        description = {"Write a Retouch model (dncnn, ffdnet, tiny-cnn) as a TorchScript file for",
                "PyTorch (torch.jit.load, 1.8 or later), libtorch, DJL or 'retouch restore --model x.pt'.",
                "The file takes one input: forward(x), x N×C×H×W float32 in [0,1]. It is loaded back",
                "and checked against the Retouch model (max difference 1e-4) before it is written."},
        footer = {"%nFFDNet models take the noise level as a second input; the file bakes one in:",
                "  --sigma S, stored as the attribute noise_level = S/255 (PyTorch users may change it).",
                "  The blind sigma estimation of 'retouch restore' is not part of the file.",
                "  Super-resolution models take the bicubic-upscaled image.",
                "%nExamples:",
                "  retouch models export-torchscript denoise-gray -o dg-s25.pt --sigma 25",
                "  retouch models export-torchscript runs/dncnn/checkpoint -o dncnn.pt",
                "  python3 tools/torchscript_check.py dg-s25.pt      (look at it in PyTorch)",
                ExitCodes.HELP_FOOTER})
public final class ModelsExportTorchScriptCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name, folder or zip.")
    String source;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.pt", description = "TorchScript file to write (replaced atomically).")
    Path output;

    @Option(names = "--sigma", paramLabel = "S", description = "FFDNet only: noise level (0-255) to bake in; required for denoising and deblurring models.")
    Double sigma;

    @Override
    public Integer call() throws Exception {
        try (LoadedModel m = ModelFile.load(source, null)) {
            TorchScriptExport.Result r = TorchScriptExport.export(m, output, sigma == null ? Double.NaN : sigma);
            String level = Double.isNaN(r.sigma()) ? "" : String.format(", sigma %s baked in", fmt(r.sigma()));
            float d = r.maxDifference();
            spec.commandLine().getOut().printf("exported %s (%s, %s%s) to %s as TorchScript: %d tensors, "
                            + "largest difference from Retouch on a probe image %s%n",
                    m.meta().name() != null ? m.meta().name() : source, r.architecture(), r.task(), level, output, r.tensors(),
                    d == 0 ? "0" : String.format("%.1e", d));
        }
        return ExitCodes.OK;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
