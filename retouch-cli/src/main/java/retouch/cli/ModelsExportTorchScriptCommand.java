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
// Help texts: src/main/resources/retouch/cli/ModelsExportTorchScriptCommand.properties
@Command(name = "export-torchscript",
        resourceBundle = "retouch.cli.ModelsExportTorchScriptCommand",
        mixinStandardHelpOptions = true)
public final class ModelsExportTorchScriptCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", descriptionKey = "MODEL") String source;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.pt") Path output;

    @Option(names = "--sigma", paramLabel = "S") Double sigma;

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
