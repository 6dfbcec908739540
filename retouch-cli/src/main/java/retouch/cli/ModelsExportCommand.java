package retouch.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;

/**
 * {@code retouch models export}: turns a training checkpoint (or any model) into a named model
 * with its evaluation figures recorded in model.json, e.g. to ship it in models/.
 */
// Help texts: src/main/resources/retouch/cli/ModelsExportCommand.properties
@Command(name = "export", resourceBundle = "retouch.cli.ModelsExportCommand", mixinStandardHelpOptions = true)
public final class ModelsExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", descriptionKey = "MODEL") String source;

    @Option(names = "--to", required = true, paramLabel = "DIR|ZIP") Path target;

    @Option(names = "--metric", paramLabel = "KEY=VALUE") List<String> metrics;

    @Option(names = "--setting", paramLabel = "KEY=VALUE") List<String> settings;

    @Option(names = "--description") String description;

    @Option(names = "--precision", paramLabel = "float32|float16|int8") String precision;

    @Override
    public Integer call() throws Exception {
        Map<String, Double> extra = new LinkedHashMap<>();
        if (metrics != null) {
            for (String kv : metrics) {
                int eq = kv.indexOf('=');
                try {
                    extra.put(kv.substring(0, eq).trim(), Double.parseDouble(kv.substring(eq + 1).trim()));
                } catch (RuntimeException e) {
                    throw new RetouchException("--metric must be KEY=NUMBER, not '" + kv + "'");
                }
            }
        }
        try (LoadedModel m = ModelFile.load(source, null)) {
            String file = target.getFileName().toString();
            String name = file.toLowerCase(java.util.Locale.ROOT).endsWith(".zip") ? file.substring(0, file.length() - 4) : file;
            Map<String, Double> all = new LinkedHashMap<>(m.meta().metrics() == null ? Map.of() : m.meta().metrics());
            all.putAll(extra);
            ModelMeta.Builder b = m.meta().toBuilder().name(name).metrics(all).created(null);
            if (description != null) b.description(description);
            if (settings != null) for (String kv : settings) applySetting(b, kv, m.meta().intParam("fusion_depth", 0) > 0);
            if (precision != null) {
                if (!ModelMeta.PRECISIONS.contains(precision)) {
                    throw new RetouchException("--precision must be one of " + String.join(", ", ModelMeta.PRECISIONS) + ", not '" + precision + "'");
                }
                b.weightsPrecision(precision.equals("float32") ? null : precision);
            }
            ModelMeta written = ModelFile.save(target, b.build(), m.block());
            spec.commandLine().getOut().printf("exported %s (%s, %d parameters) to %s%n", name, written.architecture(),
                    written.parameters().size(), target);
        }
        return ExitCodes.OK;
    }

    /** Only the settings the restorers read, checked here so that a typo fails now and not at load time. */
    private static void applySetting(ModelMeta.Builder b, String kv, boolean hasFusionHead) {
        int eq = kv.indexOf('=');
        String key = eq < 0 ? kv.trim() : kv.substring(0, eq).trim(), value = eq < 0 ? "" : kv.substring(eq + 1).trim();
        switch (key) {
            case "ensemble" -> {
                if (!List.of("1", "2", "4", "8").contains(value)) throw new RetouchException("--setting ensemble must be 1, 2, 4 or 8, not '" + value + "'");
                b.hyper("ensemble", Integer.parseInt(value));
            }
            case "refine" -> {
                if (!value.equals("wiener") && !value.equals("none") && !value.equals("fusion")) {
                    throw new RetouchException("--setting refine must be fusion, wiener or none, not '" + value + "'");
                }
                if (value.equals("fusion") && !hasFusionHead) {
                    throw new RetouchException("--setting refine=fusion needs a model with a fusion head (retouch train fusion); use refine=wiener");
                }
                b.hyper("refine", value);
            }
            default -> throw new RetouchException("--setting " + kv + ": unknown setting '" + key + "'; use ensemble=N or refine=fusion|wiener|none");
        }
    }
}
