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
// Help texts: src/main/resources/retouch/cli/ModelsCommand.properties
@Command(name = "models",
        resourceBundle = "retouch.cli.ModelsCommand",
        mixinStandardHelpOptions = true,
        subcommands = {ModelsExportCommand.class, ModelsExportTorchScriptCommand.class, ModelsFitPriorCommand.class,
                ModelsCalibrateJpegCommand.class})
public final class ModelsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--json") boolean json;

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
