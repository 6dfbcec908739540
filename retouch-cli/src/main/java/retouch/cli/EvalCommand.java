package retouch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.baseline.ClassicalMethods;
import retouch.data.Datasets;
import retouch.data.ImageFolder;
import retouch.degrade.Degradation;
import retouch.degrade.DegradationSpec;
import retouch.nn.eval.RestorationEvaluation;
import retouch.nn.restore.Restorer;
import retouch.nn.restore.Restorers;

/**
 * {@code retouch eval}: degrade every clean image of a set, restore it with each method, and
 * report PSNR/SSIM per image and on average. Degradations are seeded per image, so every method
 * sees exactly the same inputs and reruns give the same table.
 */
// Help texts: src/main/resources/retouch/cli/EvalCommand.properties
@Command(name = "eval", resourceBundle = "retouch.cli.EvalCommand", mixinStandardHelpOptions = true)
public final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--set", required = true, paramLabel = "DIR|NAME") String set;

    @Option(names = "--data", paramLabel = "PATH") Path data;

    @Option(names = "--degrade", paramLabel = "SPEC") String degrade;

    @Option(names = "--task", completionCandidates = TaskNames.class) String task;

    @Option(names = "--sigma", split = ",", paramLabel = "S") List<Double> sigmas;

    @Option(names = "--methods", split = ",", defaultValue = "noisy,nlm") List<String> methods;

    @Option(names = "--gray") boolean gray;

    @Option(names = "--quantize") boolean quantize;

    @Option(names = "--seed", defaultValue = "0") long seed;

    @Option(names = "--limit", defaultValue = "0") int limit;

    @Option(names = "--strips", paramLabel = "DIR") Path strips;

    @Option(names = "--grid-images", paramLabel = "N", defaultValue = "0") int gridImages;

    @Option(names = "--json") boolean json;

    @Option(names = "--blind") boolean blind;

    @Option(names = "--tile", defaultValue = "512") int tile;

    @picocli.CommandLine.Mixin RestoreSettingsOptions settingsOptions;

    @Override
    public Integer call() throws Exception {
        List<AutoCloseable> models = new ArrayList<>();
        try {
            return run(models);
        } finally {
            for (AutoCloseable m : models) m.close();
        }
    }

    /** A classical method, pnp[:DENOISER] or a trained model by name or path; {@code null} for the degraded input itself. */
    private Restorer resolve(String name, List<AutoCloseable> models) {
        if (RestorationEvaluation.isInput(name)) return null;
        try {
            // A TorchScript model that keeps the size is told the SR task, so it gets the bicubic upscale.
            String srTask = task != null && task.toLowerCase(java.util.Locale.ROOT).startsWith("sr") ? task.toLowerCase(java.util.Locale.ROOT) : null;
            Restorer r = Restorers.byName(name, settingsOptions.toSettings(tile), srTask);
            models.add(r);
            return r;
        } catch (RetouchException e) {
            throw new RetouchException("method '" + name + "' is neither noisy, a classical method (" + String.join(", ", ClassicalMethods.NAMES)
                    + ") nor a usable model: " + e.getMessage());
        }
    }

    private Integer run(List<AutoCloseable> models) {
        List<Degradation> degradations = degradations();
        List<RestorationEvaluation.Method> resolved = new ArrayList<>();
        for (String m : methods) resolved.add(new RestorationEvaluation.Method(m, resolve(m, models)));
        if (gridImages < 0) throw new RetouchException("--grid-images must be 0 or more, not " + gridImages);
        ImageFolder folder = folder();
        int n = limit > 0 ? Math.min(limit, folder.size()) : folder.size();
        var out = spec.commandLine().getOut();
        List<RestorationEvaluation.Table> tables;
        try (Progress bar = new Progress("eval", (long) n * degradations.size(), "img")) {
            tables = RestorationEvaluation.run(folder, n, degradations, resolved, new RestorationEvaluation.Protocol(seed, gray, quantize, blind),
                    strips, gridImages, bar::step);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (RestorationEvaluation.Table t : tables) {
            for (int mi = 0; mi < methods.size(); mi++) results.add(row(t, mi));
            if (!json) printTable(out, t);
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("set", folder.root().toString());
            doc.put("images", n);
            doc.put("seed", seed);
            doc.put("quantized_inputs", quantize);
            doc.put("results", results);
            out.println(Json.write(doc));
        }
        return ExitCodes.OK;
    }

    /** The JSON entry of method {@code mi} in one table: means, then each image. */
    private static Map<String, Object> row(RestorationEvaluation.Table t, int mi) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("degrade", t.degrade());
        r.put("method", t.methods().get(mi));
        r.put("psnr", Json.round(t.meanPsnr(mi), 4));
        r.put("ssim", Json.round(t.meanSsim(mi), 6));
        if (t.hasHoles()) r.put("hole_psnr", Json.round(t.meanHolePsnr(mi), 4));
        List<Map<String, Object>> per = new ArrayList<>();
        for (int i = 0; i < t.images().size(); i++) {
            RestorationEvaluation.Score s = t.scores()[mi][i];
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("image", t.images().get(i));
            e.put("psnr", Json.round(s.psnr(), 4));
            e.put("ssim", Json.round(s.ssim(), 6));
            if (!Double.isNaN(s.holePsnr())) e.put("hole_psnr", Json.round(s.holePsnr(), 4));
            per.add(e);
        }
        r.put("images", per);
        return r;
    }

    private List<Degradation> degradations() {
        if (degrade != null && task != null) throw new RetouchException("give either --degrade or --task, not both");
        if (degrade != null) return List.of(DegradationSpec.parse(degrade));
        // the task registry says what each task is scored on
        if (task != null) return RestorationEvaluation.degradationsFor(task, sigmas);
        throw new RetouchException("say how to degrade the clean images: --degrade SPEC or --task denoise --sigma 25");
    }

    private ImageFolder folder() {
        Path p = Path.of(set);
        if (Files.isDirectory(p)) return ImageFolder.of(p);
        return Datasets.resolve(set, data).images();
    }

    private void printTable(java.io.PrintWriter out, RestorationEvaluation.Table t) {
        out.printf("%n%s%n", t.degrade());
        StringBuilder head = new StringBuilder(String.format("%-24s", "image"));
        for (String m : t.methods()) head.append(String.format(" %18s", m));
        out.println(head);
        for (int i = 0; i < t.images().size(); i++) {
            StringBuilder row = new StringBuilder(String.format("%-24s", truncate(t.images().get(i))));
            for (int mi = 0; mi < t.methods().size(); mi++) {
                row.append(String.format(" %8.2f / %.4f", t.scores()[mi][i].psnr(), t.scores()[mi][i].ssim()));
            }
            out.println(row);
        }
        StringBuilder mean = new StringBuilder(String.format("%-24s", "mean (PSNR dB / SSIM)"));
        for (int mi = 0; mi < t.methods().size(); mi++) mean.append(String.format(" %8.2f / %.4f", t.meanPsnr(mi), t.meanSsim(mi)));
        out.println(mean);
        if (t.hasHoles()) {
            StringBuilder row = new StringBuilder(String.format("%-24s", "mean hole PSNR (dB)"));
            for (int mi = 0; mi < t.methods().size(); mi++) row.append(String.format(" %18.2f", t.meanHolePsnr(mi)));
            out.println(row);
        }
    }

    private static String truncate(String s) {
        return s.length() <= 24 ? s : "…" + s.substring(s.length() - 23);
    }
}
