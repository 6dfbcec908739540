package retouch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.nn.store.ModelStore;

/** {@code retouch models}: the models Retouch can find, shipped and local. */
@Command(name = "models", mixinStandardHelpOptions = true, subcommands = {ModelsExportCommand.class, ModelsExportTorchScriptCommand.class, ModelsFitPriorCommand.class},
        description = {"List shipped and local models: name, architecture, tasks, size, location.",
                "Search path: -Dretouch.models / RETOUCH_MODELS, the repository's models/, ~/.retouch/models."},
        footer = {"%nExamples:", "  retouch models --json",
                "  retouch models export RUN/checkpoint --to models/NAME --metric set12_sigma25_psnr=29.9",
                "  retouch models export-torchscript denoise-gray -o denoise-gray-s25.pt --sigma 25", ExitCodes.HELP_FOOTER})
public final class ModelsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        List<ModelStore.Entry> entries = ModelStore.list();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ModelStore.Entry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", e.name());
                m.put("architecture", e.architecture());
                m.put("tasks", e.tasks());
                m.put("size_bytes", e.sizeBytes());
                m.put("location", e.location().toString());
                if (e.problem() != null) m.put("problem", e.problem());
                rows.add(m);
            }
            out.println(Json.write(rows));
            return ExitCodes.OK;
        }
        if (entries.isEmpty()) {
            out.println("No models found. Searched: " + ModelStore.searchPath());
            return ExitCodes.OK;
        }
        out.printf("%-22s %-12s %-22s %9s  %s%n", "name", "architecture", "tasks", "size", "location");
        for (ModelStore.Entry e : entries) {
            out.printf("%-22s %-12s %-22s %8.1fM  %s%s%n", e.name(), e.architecture(), String.join(",", e.tasks()),
                    e.sizeBytes() / 1e6, e.location(), e.problem() == null ? "" : "  (unusable: " + e.problem() + ")");
        }
        return ExitCodes.OK;
    }
}
