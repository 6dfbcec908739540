package retouch.cli;

import retouch.restore.RestoreParams;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import retouch.baseline.ClassicalMethods;
import retouch.degrade.DegradationSpec;
import retouch.degrade.Degraded;
import retouch.image.AtomicFiles;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;
import retouch.metrics.Ssim;
import retouch.nn.restore.ClassicalRestorer;
import retouch.nn.restore.PnpDeblurrer;
import retouch.nn.restore.Restorer;
import retouch.nn.restore.Restorers;
import retouch.nn.store.ModelStore;

/**
 * {@code retouch demo}: the main job on bundled data. Damages the bundled CC0 photos (noise, holes),
 * restores them with the best method available, writes before/after strips and prints PSNR/SSIM.
 */
// Help texts: src/main/resources/retouch/cli/DemoCommand.properties
@Command(name = "demo", resourceBundle = "retouch.cli.DemoCommand", mixinStandardHelpOptions = true)
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", defaultValue = "runs/demo") Path out;

    @Option(names = "--seed", defaultValue = "1") long seed;

    /**
     * One demo case: a sample photo, how it is damaged, the classical restorers compared on it,
     * and the shipped model that is used too when it is installed.
     */
    private record Case(String name, String sample, String degrade, List<String> methods, String model) {}

    /** The "model" of the deblurring case: plug-and-play with the shipped denoiser, told the blur. */
    private static final String PNP = "pnp";

    private static final List<Case> CASES = List.of(
            new Case("denoise-gray", "camera.png", "noise:gauss:25", List.of("nlm", "tv"), "denoise-gray"),
            new Case("denoise-color", "chelsea.png", "noise:gauss:25", List.of("nlm"), "denoise-color"),
            // The blur is known here, as after 'retouch degrade': plug-and-play deblurring with the denoiser.
            new Case("deblur", "camera.png", "blur:gauss:1.6,noise:gauss:2", List.of(), PNP),
            new Case("inpaint", "camera.png", "mask:free:0.1-0.2", List.of("telea", "ns"), "inpaint-gray"),
            new Case("inpaint-color", "chelsea.png", "mask:free:0.1-0.2", List.of("telea"), "inpaint-gray"));

    /** Shipped generators the demo samples from when installed. */
    private static final List<String> GENERATORS = List.of("gan-faces", "cgan-fmnist", "gan-fmnist", "vae-fmnist");

    /** The restorers of a case: its classical methods, then its model when one is installed. */
    private static List<Restorer> restorers(Case c, List<AutoCloseable> toClose) {
        List<Restorer> list = new ArrayList<>();
        for (String name : c.methods()) list.add(ClassicalRestorer.byName(name));
        if (PNP.equals(c.model())) {
            if (installed("deblur-gray")) { // the blind network first, for comparison
                Restorer blind = Restorers.open("deblur-gray", 256);
                toClose.add(blind);
                list.add(blind);
            }
            if (installed("denoise-gray")) {
                Restorer r = Restorers.open("denoise-gray", 256);
                toClose.add(r);
                list.add(new PnpDeblurrer(r, PNP));
            }
        } else if (c.model() != null && (installed(c.model()) || installed(grayFallback(c.model())))) {
            Restorer r = Restorers.open(installed(c.model()) ? c.model() : grayFallback(c.model()), 256);
            toClose.add(r);
            list.add(r);
        }
        return list;
    }

    /** The gray model a colour one falls back to (denoise-color → denoise-gray, on the opponent colour planes). */
    private static String grayFallback(String model) {
        return model.endsWith("-color") ? model.substring(0, model.length() - "-color".length()) + "-gray" : model;
    }

    private static boolean installed(String model) {
        try {
            ModelStore.resolve(model);
            return true;
        } catch (retouch.RetouchException e) {
            return false;
        }
    }

    @Override
    public Integer call() throws Exception {
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            return run(toClose);
        } finally {
            for (AutoCloseable c : toClose) c.close();
        }
    }

    private Integer run(List<AutoCloseable> toClose) throws IOException {
        var o = spec.commandLine().getOut();
        Files.createDirectories(out);
        List<Map<String, Object>> summary = new ArrayList<>();
        o.printf("%-14s %-22s %-10s %10s %8s%n", "case", "degradation", "method", "PSNR dB", "SSIM");
        for (Case c : CASES) {
            Image clean = sample(c.sample());
            var degradation = DegradationSpec.parse(c.degrade());
            Degraded d = degradation.applyWithMask(clean, new SplittableRandom(seed));
            var blur = retouch.degrade.Deconvolution.blurOf(degradation); // told to plug-and-play deblurring
            // What a user has: an 8-bit file.
            Image degraded = d.image().quantize8();
            List<Image> panels = new ArrayList<>(List.of(degraded));
            List<String> captions = new ArrayList<>();
            double inPsnr = Psnr.of(clean, degraded.clip());
            double inSsim = Ssim.of(clean, degraded.clip());
            captions.add(String.format("input %.2f dB", inPsnr));
            o.printf("%-14s %-22s %-10s %10.2f %8.4f%n", c.name(), c.degrade(), "input", inPsnr, inSsim);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("case", c.name());
            entry.put("sample", c.sample());
            entry.put("degrade", c.degrade());
            entry.put("input", Map.of("psnr", Json.round(inPsnr, 4), "ssim", Json.round(inSsim, 6)));
            Map<String, Object> methods = new LinkedHashMap<>();
            for (Restorer m : restorers(c, toClose)) {
                String name = m.name();
                RestoreParams p = RestoreParams.defaults();
                if (d.hasMask()) p = p.withMask(d.mask());
                p = p.withBlur(blur);
                long t0 = System.nanoTime();
                Image restored = m.apply(degraded, p).clip();
                double secs = (System.nanoTime() - t0) / 1e9;
                double ps = Psnr.of(clean, restored);
                double ss = Ssim.of(clean, restored);
                panels.add(restored);
                captions.add(d.hasMask() ? String.format("%s hole %.2f dB", name, Psnr.inMask(clean, restored, d.mask()))
                        : String.format("%s %.2f dB", name, ps));
                o.printf("%-14s %-22s %-10s %10.2f %8.4f%n", c.name(), c.degrade(), name, ps, ss);
                methods.put(name, Map.of("psnr", Json.round(ps, 4), "ssim", Json.round(ss, 6), "seconds", Json.round(secs, 3)));
            }
            panels.add(clean);
            captions.add("original");
            Path strip = out.resolve(c.name() + ".png");
            Grids.writeStrip(panels, captions, strip);
            entry.put("methods", methods);
            entry.put("strip", strip.toString());
            summary.add(entry);
        }
        for (String gen : GENERATORS) {
            if (!installed(gen)) continue;
            try (retouch.nn.synth.ImageGenerator g = retouch.nn.synth.Generators.load(gen)) {
                // Conditional models: one column per class; otherwise an 8×8 grid.
                int cols = g.conditional() ? g.labels().size() : 8;
                Path grid = out.resolve("generated-" + gen + ".png");
                Grids.writeGrid(g.sample(cols * 8, -1, seed, g.defaultTemperature()), cols, 2, 1f, grid);
                o.printf("generated %d images with %s -> %s%n", cols * 8, gen, grid);
                summary.add(Map.of("case", "generate", "model", gen, "grid", grid.toString()));
            }
        }
        AtomicFiles.writeString(out.resolve("summary.json"), Json.write(summary));
        o.printf("%nWrote %d before/after strips and summary.json to %s%n", CASES.size(), out.toAbsolutePath());
        return ExitCodes.OK;
    }

    /** A bundled sample photo (CC0, see samples/README.md), read from the jar. */
    static Image sample(String name) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/samples/" + name)) {
            if (in == null) throw new IllegalStateException("bundled sample " + name + " missing from the jar");
            Path tmp = Files.createTempFile("retouch-sample", ".png");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return ImageFiles.read(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
