package retouch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.degrade.Masks;
import retouch.baseline.ClassicalMethod;
import retouch.baseline.ClassicalMethods;
import retouch.data.Datasets;
import retouch.data.ImageFolder;
import retouch.degrade.Degradation;
import retouch.degrade.DegradationSpec;
import retouch.degrade.Degraded;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.metrics.Ssim;
import retouch.nn.restore.ModelRestorer;

/**
 * {@code retouch eval}: degrade every clean image of a set, restore it with each method, and
 * report PSNR/SSIM per image and on average. Degradations are seeded per image, so every method
 * sees exactly the same inputs and reruns give the same table.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate restoration methods on a folder of clean images.",
                "Protocol: clean x in [0,1]; degraded y from --degrade (noise unclipped);",
                "PSNR (peak 1) and SSIM of the clipped output, mean over the set."},
        footer = {"%nMethods: 'noisy' (the degraded input itself), the classical methods",
                "  nlm, bm3d, tv, gaussian, median, telea, ns, bicubic, nearest, and trained models (name or path,",
                "  including TorchScript files: --methods nlm,my-model.pt), and pnp[:DENOISER] (plug-and-play",
                "  deblurring told the degradation's Gaussian or motion blur; default denoiser denoise-gray).",
                "%nExamples:",
                "  retouch eval --set set12 --task denoise --sigma 15,25,50 --methods noisy,nlm,tv",
                "  retouch eval --set set12 --task denoise --sigma 25 --methods nlm,denoise-gray --blind",
                "  retouch eval --set photos/ --degrade blur:gauss:1.6,noise:gauss:5 --methods noisy,median --json",
                "  retouch eval --set set12 --task deblur --methods noisy,deblur-gray,pnp",
                "  retouch eval --set set12 --degrade mask:free:0.1-0.3 --methods telea,ns --strips runs/eval",
                ExitCodes.HELP_FOOTER})
public final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--set", required = true, paramLabel = "DIR|NAME",
            description = "Folder of clean images, or a named set (set12, kodak24, set5, train400, cbsd432).")
    String set;

    @Option(names = "--data", paramLabel = "PATH", description = "Where named sets live (see README, Data).")
    Path data;

    @Option(names = "--degrade", paramLabel = "SPEC", description = "Degradation chain (see 'retouch degrade --help').")
    String degrade;

    @Option(names = "--task", completionCandidates = TaskNames.class, description = "Shorthand for the degradation of one of: ${COMPLETION-CANDIDATES}."
            + " denoise needs --sigma; jpeg scores qualities 10, 20, 30 and 40; deblur Gaussian blur σ 1.6 + noise σ 2 (blur:gauss:1.6,noise:gauss:2);"
            + " inpaint free-form holes over 10-30 %% (mask:free:0.1-0.3).")
    String task;

    @Option(names = "--sigma", split = ",", paramLabel = "S", description = "Noise levels for --task denoise, e.g. 15,25,50.")
    List<Double> sigmas;

    @Option(names = "--methods", split = ",", defaultValue = "noisy,nlm", description = "Comma-separated methods. Default: ${DEFAULT-VALUE}.")
    List<String> methods;

    @Option(names = "--gray", description = "Convert images to gray first (the gray denoising protocol).")
    boolean gray;

    @Option(names = "--quantize", description = "Round degraded inputs to 8 bits, as users' files are.")
    boolean quantize;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the degradations. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N images (0 = all).")
    int limit;

    @Option(names = "--strips", paramLabel = "DIR", description = "Write a before/after strip of the first image per degradation.")
    Path strips;

    @Option(names = "--grid-images", paramLabel = "N", defaultValue = "0",
            description = "With --strips, also write a grid of the first N images (rows) by method (columns, then the clean image).")
    int gridImages;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Option(names = "--blind", description = "Do not tell denoisers the true σ: they estimate it from the image.")
    boolean blind;

    @Option(names = "--tile", defaultValue = "512", description = "Tile side for trained models. Default: ${DEFAULT-VALUE}.")
    int tile;

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

    /** A classical method by name, else a trained model by name or path. */
    private ClassicalMethod resolve(String name, List<AutoCloseable> models) {
        if (ClassicalMethods.NAMES.contains(name.toLowerCase(java.util.Locale.ROOT))) return ClassicalMethods.byName(name);
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("pnp") || lower.startsWith("pnp:")) {
            // Plug-and-play deblurring with a denoiser (default: the shipped one), told the blur of the degradation.
            String denoiser = lower.equals("pnp") ? "denoise-gray" : name.substring(4);
            return new retouch.nn.restore.PnpDeblurrer(resolve(denoiser, models), name);
        }
        try {
            // A TorchScript model that keeps the size is told the SR task, so it gets the bicubic upscale.
            String srTask = task != null && task.toLowerCase(java.util.Locale.ROOT).startsWith("sr") ? task.toLowerCase(java.util.Locale.ROOT) : null;
            ModelRestorer r = retouch.nn.torchscript.TorchScriptModel.isTorchScript(name)
                    ? ModelRestorer.open(name, settingsOptions.toSettings(tile), srTask, 0)
                    : ModelRestorer.open(name, settingsOptions.toSettings(tile));
            models.add(r);
            return r;
        } catch (RetouchException e) {
            throw new RetouchException("method '" + name + "' is neither noisy, a classical method (" + String.join(", ", ClassicalMethods.NAMES)
                    + ") nor a usable model: " + e.getMessage());
        }
    }

    private Integer run(List<AutoCloseable> models) {
        List<Degradation> degradations = degradations();
        List<ClassicalMethod> resolved = new ArrayList<>();
        for (String m : methods) {
            resolved.add(isInputMethod(m) ? null : resolve(m, models));
        }
        if (gridImages < 0) throw new RetouchException("--grid-images must be 0 or more, not " + gridImages);
        ImageFolder folder = folder();
        int n = limit > 0 ? Math.min(limit, folder.size()) : folder.size();
        List<Map<String, Object>> results = new ArrayList<>();
        var out = spec.commandLine().getOut();
        try (Progress bar = new Progress("eval", (long) n * degradations.size(), "img")) {
            for (int di = 0; di < degradations.size(); di++) {
                Degradation deg = degradations.get(di);
                double[][] psnr = new double[methods.size()][n];
                double[][] ssim = new double[methods.size()][n];
                // Inpainting: PSNR over the hole pixels only (NaN for an image whose mask has no hole).
                double[][] hole = new double[methods.size()][n];
                boolean anyHole = false;
                List<String> names = new ArrayList<>();
                List<Image> gridTiles = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Image clean = folder.read(i);
                    if (gray) clean = clean.toGray();
                    // Per-image seed: every method sees the same degraded input.
                    Degraded d = deg.applyWithMask(clean, new SplittableRandom(seed * 1_000_003L + i));
                    Image degraded = quantize ? d.image().quantize8() : d.image();
                    int scale = Math.max(1, Math.round((float) clean.width() / degraded.width()));
                    // the grid takes the first N images of the first image's size
                    boolean inGrid = i < gridImages && (gridTiles.isEmpty()
                            || (gridTiles.get(0).height() == clean.height() && gridTiles.get(0).width() == clean.width()));
                    List<Image> panels = new ArrayList<>();
                    List<String> captions = new ArrayList<>();
                    for (int mi = 0; mi < methods.size(); mi++) {
                        Image restored = restore(resolved.get(mi), methods.get(mi), degraded, d.mask(), scale, blind ? Double.NaN : sigmaOf(deg),
                                retouch.degrade.Deconvolution.blurOf(deg));
                        if (restored.height() != clean.height() || restored.width() != clean.width()) {
                            throw new RetouchException("method " + methods.get(mi) + " gives " + restored.width() + "x" + restored.height()
                                    + " for a " + clean.width() + "x" + clean.height() + " image; for super-resolution compare bicubic, not noisy");
                        }
                        Image clipped = restored.clip();
                        int border = scale > 1 ? scale : 0;
                        psnr[mi][i] = Psnr.of(clean, clipped, border);
                        ssim[mi][i] = Ssim.of(clean, clipped, 1.0, border);
                        hole[mi][i] = d.mask() != null && Masks.coverage(d.mask()) > 0 ? Psnr.inMask(clean, clipped, d.mask()) : Double.NaN;
                        anyHole |= !Double.isNaN(hole[mi][i]);
                        if (inGrid) gridTiles.add(clipped);
                        if (i == 0) {
                            panels.add(clipped);
                            captions.add(Double.isNaN(hole[mi][i]) ? String.format("%s %.2f dB", methods.get(mi), psnr[mi][i])
                                    : String.format("%s hole %.2f dB", methods.get(mi), hole[mi][i]));
                        }
                    }
                    if (inGrid) gridTiles.add(clean);
                    if (i == 0 && strips != null) {
                        panels.add(clean);
                        captions.add("clean");
                        Path p = strips.resolve(String.format("strip-%d-%s.png", di, safe(deg.spec())));
                        Grids.writeStrip(panels, captions, p);
                    }
                    names.add(folder.relative(i).toString());
                    bar.step(deg.spec());
                }
                if (strips != null && !gridTiles.isEmpty()) {
                    Grids.writeGrid(gridTiles, methods.size() + 1, 2, 1f,
                            strips.resolve(String.format("grid-%d-%s.png", di, safe(deg.spec()))));
                }
                for (int mi = 0; mi < methods.size(); mi++) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("degrade", deg.spec());
                    r.put("method", methods.get(mi));
                    r.put("psnr", Json.round(mean(psnr[mi]), 4));
                    r.put("ssim", Json.round(mean(ssim[mi]), 6));
                    if (anyHole) r.put("hole_psnr", Json.round(meanFinite(hole[mi]), 4));
                    List<Map<String, Object>> per = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("image", names.get(i));
                        e.put("psnr", Json.round(psnr[mi][i], 4));
                        e.put("ssim", Json.round(ssim[mi][i], 6));
                        if (!Double.isNaN(hole[mi][i])) e.put("hole_psnr", Json.round(hole[mi][i], 4));
                        per.add(e);
                    }
                    r.put("images", per);
                    results.add(r);
                }
                if (!json) printTable(out, deg.spec(), names, psnr, ssim);
                if (!json && anyHole) {
                    StringBuilder row = new StringBuilder(String.format("%-24s", "mean hole PSNR (dB)"));
                    for (int mi = 0; mi < methods.size(); mi++) row.append(String.format(" %18.2f", meanFinite(hole[mi])));
                    out.println(row);
                }
            }
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

    private static boolean isInputMethod(String m) {
        return m.equalsIgnoreCase("noisy") || m.equalsIgnoreCase("input") || m.equalsIgnoreCase("degraded");
    }

    private Image restore(ClassicalMethod m, String name, Image degraded, Image mask, int scale, double sigma, Degradation blur) {
        if (m == null) return degraded;
        ClassicalMethod.Params p = ClassicalMethod.Params.ofSigma(sigma).withScale(scale).withBlur(blur);
        if (mask != null) p = p.withMask(mask);
        if ((name.equalsIgnoreCase("telea") || name.equalsIgnoreCase("ns")) && mask == null) {
            throw new RetouchException("method " + name + " needs holes: use a mask degradation, e.g. --degrade mask:free:0.1-0.3");
        }
        return m.apply(degraded, p);
    }

    /** The σ of a fixed Gaussian noise step, given to denoisers as non-blind knowledge; NaN otherwise. */
    private static double sigmaOf(Degradation d) {
        String s = d.spec();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("noise:gauss:([0-9.]+)(?![-0-9.])").matcher(s);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private List<Degradation> degradations() {
        if (degrade != null && task != null) throw new RetouchException("give either --degrade or --task, not both");
        List<Degradation> list = new ArrayList<>();
        if (degrade != null) {
            list.add(DegradationSpec.parse(degrade));
        } else if (task != null) {
            // the task registry says what each task is scored on ('|' separates the columns of a table)
            retouch.nn.task.RestorationTask t = retouch.nn.task.RestorationTasks.find(task);
            if (t == null) {
                throw new RetouchException("unknown --task '" + task + "': use " + String.join(", ", retouch.nn.task.RestorationTasks.ids())
                        + " (or --degrade SPEC)");
            }
            if (t.id().equals("denoise")) {
                if (sigmas == null || sigmas.isEmpty()) throw new RetouchException("--task denoise needs --sigma, e.g. --sigma 15,25,50");
                for (double s : sigmas) list.add(DegradationSpec.parse("noise:gauss:" + fmt(s)));
            } else {
                for (String spec : t.evalDegradation().split("\\|")) list.add(DegradationSpec.parse(spec));
            }
        } else {
            throw new RetouchException("say how to degrade the clean images: --degrade SPEC or --task denoise --sigma 25");
        }
        return list;
    }

    private ImageFolder folder() {
        Path p = Path.of(set);
        if (Files.isDirectory(p)) return ImageFolder.of(p);
        return Datasets.resolve(set, data).images();
    }

    private static String fmt(double s) {
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
    }

    private static String safe(String spec) {
        return spec.replaceAll("[^A-Za-z0-9.-]+", "_");
    }

    private static double meanFinite(double[] v) {
        double s = 0;
        int k = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                s += x;
                k++;
            }
        }
        return k == 0 ? Double.NaN : s / k;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private void printTable(java.io.PrintWriter out, String deg, List<String> names, double[][] psnr, double[][] ssim) {
        out.printf("%n%s%n", deg);
        StringBuilder head = new StringBuilder(String.format("%-24s", "image"));
        for (String m : methods) head.append(String.format(" %18s", m));
        out.println(head);
        for (int i = 0; i < names.size(); i++) {
            StringBuilder row = new StringBuilder(String.format("%-24s", truncate(names.get(i))));
            for (int mi = 0; mi < methods.size(); mi++) row.append(String.format(" %8.2f / %.4f", psnr[mi][i], ssim[mi][i]));
            out.println(row);
        }
        StringBuilder mean = new StringBuilder(String.format("%-24s", "mean (PSNR dB / SSIM)"));
        for (int mi = 0; mi < methods.size(); mi++) mean.append(String.format(" %8.2f / %.4f", mean(psnr[mi]), mean(ssim[mi])));
        out.println(mean);
    }

    private static String truncate(String s) {
        return s.length() <= 24 ? s : "…" + s.substring(s.length() - 23);
    }
}
