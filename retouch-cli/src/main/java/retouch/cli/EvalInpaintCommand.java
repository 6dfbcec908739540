package retouch.cli;

import retouch.restore.RestoreParams;
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
import retouch.data.Dataset;
import retouch.data.Datasets;
import retouch.data.LabeledImages;
import retouch.degrade.MaskDegradation;
import retouch.degrade.Masks;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.nn.eval.GenerativeEvaluator;
import retouch.nn.restore.ClassicalRestorer;
import retouch.nn.restore.Restorer;
import retouch.nn.restore.Restorers;

/**
 * {@code retouch eval-inpaint}: fills a centre hole in every test image of a labeled set (MNIST,
 * Fashion-MNIST) with each method and scores the results as a generator would be scored: FD and KID
 * of the domain evaluator's features against the real test images (next to the real-vs-real
 * floor), plus the hole PSNR. This is where a discriminator should show: L1-trained inpainters
 * blur the hole (fine PSNR, poor FD), GAN-trained ones should look more like real images.
 */
// Help texts: src/main/resources/retouch/cli/EvalInpaintCommand.properties
@Command(name = "eval-inpaint", resourceBundle = "retouch.cli.EvalInpaintCommand", mixinStandardHelpOptions = true)
public final class EvalInpaintCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data", defaultValue = "fashion-mnist") String data;

    @Option(names = "--methods", split = ",", required = true) List<String> methods;

    @Option(names = "--hole", defaultValue = "14") int hole;

    @Option(names = "-n", defaultValue = "10000") int n;

    @Option(names = "--strip", paramLabel = "PNG") Path strip;

    @Option(names = "--evaluator") String evaluatorName;

    @Option(names = "--json") boolean json;

    @Override
    public Integer call() throws Exception {
        Dataset ds = Datasets.resolve(data, null);
        if (!ds.isLabeled()) throw new RetouchException("eval-inpaint needs a labeled set with a domain evaluator (mnist, fashion-mnist), not " + data);
        LabeledImages test = ds.test();
        int count = Math.min(n, test.size());
        if (count < 2) throw new RetouchException("-n must be at least 2");
        if (hole < 1 || hole >= Math.min(test.h(), test.w())) throw new RetouchException("--hole must be between 1 and " + (Math.min(test.h(), test.w()) - 1));
        Image mask = Masks.centerBox(test.h(), test.w(), hole, hole);
        List<Image> clean = new ArrayList<>(count);
        List<Image> damaged = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            clean.add(test.image(i));
            damaged.add(MaskDegradation.applyMask(clean.get(i), mask, 0f));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("data", data);
        doc.put("images", count);
        doc.put("hole", hole + "x" + hole + " centre");
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Image> panels = new ArrayList<>(damaged.subList(0, Math.min(10, count)));
        String evName = evaluatorName != null ? evaluatorName : GenerativeEvaluator.forDataset(data);
        try (GenerativeEvaluator ev = GenerativeEvaluator.load(evName);
             Progress bar = new Progress("eval-inpaint", (long) count * methods.size(), "img")) {
            rows.add(score("input (hole black)", damaged, clean, mask, ev));
            for (String name : methods) {
                List<Image> filled = new ArrayList<>(count);
                try (Restorer m = open(name)) {
                    RestoreParams p = RestoreParams.defaults().withMask(mask);
                    for (Image d : damaged) {
                        filled.add(m.apply(d, p).clip());
                        bar.step(name);
                    }
                }
                rows.add(score(name, filled, clean, mask, ev));
                panels.addAll(filled.subList(0, Math.min(10, count)));
            }
            doc.put("evaluator", ev.name());
            doc.put("fd_real_floor", Json.round(floor, 4));
        }
        doc.put("results", rows);
        panels.addAll(clean.subList(0, Math.min(10, count)));
        if (strip != null) Grids.writeGrid(panels, Math.min(10, count), 2, 1f, strip);
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(doc));
        } else {
            out.printf("%s, first %d test images, %s hole; evaluator %s, real-vs-real FD floor %.2f%n", data, count, doc.get("hole"),
                    doc.get("evaluator"), (Double) doc.get("fd_real_floor"));
            out.printf("%-28s %10s %10s %12s%n", "method", "FD", "KID", "hole PSNR");
            for (Map<String, Object> r : rows) {
                out.printf("%-28s %10.2f %10.4f %12.2f%n", r.get("method"), (Double) r.get("fd"), (Double) r.get("kid"), (Double) r.get("hole_psnr"));
            }
            if (strip != null) out.println("strip: " + strip + " (rows: input, " + String.join(", ", methods) + ", ground truth)");
        }
        return ExitCodes.OK;
    }

    /** A classical inpainting method or an inpainting model by name or path. */
    private static Restorer open(String name) {
        Restorer r = Restorers.isClassical(name) ? ClassicalRestorer.byName(name) : Restorers.open(name, 256);
        if (!r.task().equals("inpaint")) {
            r.close();
            throw new RetouchException((r.meta() != null ? "model " + name + " is trained for " : "method " + name + " does ") + r.task() + ", not inpaint");
        }
        return r;
    }

    private double floor = Double.NaN;

    private Map<String, Object> score(String name, List<Image> images, List<Image> clean, Image mask, GenerativeEvaluator ev) {
        GenerativeEvaluator.Report rep = ev.evaluate(images, null);
        floor = rep.fdFloor();
        double hp = 0;
        for (int i = 0; i < images.size(); i++) hp += Psnr.inMask(clean.get(i), images.get(i), mask) / images.size();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("method", name);
        r.put("fd", Json.round(rep.fd(), 4));
        r.put("kid", Json.round(rep.kid().mean(), 6));
        r.put("kid_std", Json.round(rep.kid().std(), 6));
        r.put("hole_psnr", Json.round(hp, 4));
        return r;
    }
}
