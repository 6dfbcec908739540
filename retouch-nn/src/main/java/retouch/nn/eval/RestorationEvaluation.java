package retouch.nn.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import retouch.RetouchException;
import retouch.restore.RestoreParams;
import retouch.data.ImageFolder;
import retouch.degrade.Deconvolution;
import retouch.degrade.Degradation;
import retouch.degrade.DegradationSpec;
import retouch.degrade.Degraded;
import retouch.degrade.Masks;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.metrics.Ssim;
import retouch.nn.restore.Restorer;
import retouch.nn.task.RestorationTask;
import retouch.nn.task.RestorationTasks;

/**
 * The restoration evaluation protocol — degrade each clean image (seeded per image, so every
 * method sees the same input), restore it with each method, score the clipped result against the
 * clean image — as one reusable piece: {@code retouch eval} runs a whole set through
 * {@link #run}, the Spark job scores image by image with {@link #degrade}, {@link #restore} and
 * {@link #score}, and tests call either.
 *
 * <p>Scores: PSNR (peak 1) and SSIM; for super-resolution the literature's protocol (reference cut
 * to a multiple of the scale, PSNR/SSIM of the BT.601 luma of colour images with {@code scale}
 * border pixels cropped); for inpainting also the PSNR over the hole pixels alone.
 */
public final class RestorationEvaluation {

    /**
     * How inputs are made and what restorers are told.
     *
     * @param seed seed of the degradations (image i uses {@code seed · 1000003 + i})
     * @param gray convert clean images to gray first (the gray protocol)
     * @param quantize round degraded inputs to 8 bits, as users' files are
     * @param blind do not tell denoisers the true σ: they estimate it
     */
    public record Protocol(long seed, boolean gray, boolean quantize, boolean blind) {}

    /**
     * One degraded input.
     *
     * @param clean the reference
     * @param input what the restorers get
     * @param mask the holes (inpainting) or {@code null}
     * @param scale the super-resolution factor (1 otherwise)
     * @param sigma the noise level restorers are told, NaN when blind or unknown
     * @param blur the degradation's blur, for plug-and-play deblurring, or {@code null}
     */
    public record Case(Image clean, Image input, Image mask, int scale, double sigma, Degradation blur) {}

    /** Scores of one restored image; {@code holePsnr} is NaN when the case has no hole. */
    public record Score(double psnr, double ssim, double holePsnr) {}

    /** A method of a table: a name and its restorer, {@code null} for the degraded input itself. */
    public record Method(String name, Restorer restorer) {}

    /**
     * One degradation's table.
     *
     * @param degrade the degradation's spec
     * @param images image names (relative to the set's folder)
     * @param methods method names, in column order
     * @param scores per method, per image
     */
    public record Table(String degrade, List<String> images, List<String> methods, Score[][] scores) {
        /** Whether any image had a hole (the table then reports hole PSNR). */
        public boolean hasHoles() {
            for (Score[] row : scores) for (Score s : row) if (!Double.isNaN(s.holePsnr())) return true;
            return false;
        }

        /** Mean PSNR of method {@code m}. */
        public double meanPsnr(int m) {
            return mean(scores[m], Score::psnr);
        }

        /** Mean SSIM of method {@code m}. */
        public double meanSsim(int m) {
            return mean(scores[m], Score::ssim);
        }

        /** Mean hole PSNR of method {@code m} over the images that have a hole (NaN if none). */
        public double meanHolePsnr(int m) {
            return mean(scores[m], Score::holePsnr);
        }

        private static double mean(Score[] row, java.util.function.ToDoubleFunction<Score> f) {
            double s = 0;
            int k = 0;
            for (Score x : row) {
                double v = f.applyAsDouble(x);
                if (!Double.isNaN(v)) {
                    s += v;
                    k++;
                }
            }
            return k == 0 ? Double.NaN : s / k;
        }
    }

    private RestorationEvaluation() {}

    /** Names that stand for the degraded input itself: noisy, input, degraded. */
    public static boolean isInput(String method) {
        String m = method.toLowerCase(Locale.ROOT);
        return m.equals("noisy") || m.equals("input") || m.equals("degraded");
    }

    /**
     * The degradations a task is scored on ({@link RestorationTask#evalDegradation()}; a table per
     * entry), denoising at each of {@code sigmas}.
     */
    public static List<Degradation> degradationsFor(String task, List<Double> sigmas) {
        RestorationTask t = RestorationTasks.find(task);
        if (t == null) {
            throw new RetouchException("unknown --task '" + task + "': use " + String.join(", ", RestorationTasks.ids()) + " (or --degrade SPEC)");
        }
        List<Degradation> list = new ArrayList<>();
        if (t.id().equals("denoise")) {
            if (sigmas == null || sigmas.isEmpty()) throw new RetouchException("--task denoise needs --sigma, e.g. --sigma 15,25,50");
            for (double s : sigmas) list.add(DegradationSpec.parse("noise:gauss:" + (s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s))));
        } else {
            for (String spec : t.evalDegradation().split("\\|")) list.add(DegradationSpec.parse(spec));
        }
        return list;
    }

    /** The σ of a fixed Gaussian noise step, told to denoisers as non-blind knowledge; NaN otherwise. */
    public static double sigmaOf(String spec) {
        Matcher m = Pattern.compile("noise:gauss:([0-9.]+)(?![-0-9.])").matcher(spec);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** Degrades image {@code index} of a set as the protocol says. */
    public static Case degrade(Image clean, Degradation deg, int index, Protocol p) {
        Image reference = p.gray() ? clean.toGray() : clean;
        int scale = downscaleFactor(deg);
        if (scale > 1 && (reference.height() % scale != 0 || reference.width() % scale != 0)) {
            // The SR literature's "modcrop": the reference is cut to a multiple of the scale (top
            // left kept) so that the upscaled result has the reference's size.
            reference = reference.crop(0, 0, reference.height() / scale * scale, reference.width() / scale * scale);
        }
        Degraded d = deg.applyWithMask(reference, new SplittableRandom(p.seed() * 1_000_003L + index));
        Image input = p.quantize() ? d.image().quantize8() : d.image();
        return new Case(reference, input, d.mask(), scale, p.blind() ? Double.NaN : sigmaOf(deg.spec()), Deconvolution.blurOf(deg));
    }

    /** The product of the downscaling factors of a degradation (1 when it keeps the size). */
    static int downscaleFactor(Degradation deg) {
        if (deg instanceof retouch.degrade.Downsample down) return down.factor();
        if (deg instanceof retouch.degrade.Chain chain) {
            int f = 1;
            for (Degradation step : chain.steps()) f *= downscaleFactor(step);
            return f;
        }
        return 1;
    }

    /** Restores a case with {@code r} ({@code null}: the input itself); {@code name} is for messages. */
    public static Image restore(Restorer r, String name, Case c) {
        if (r == null) return c.input();
        if (r.task().equals("inpaint") && c.mask() == null) {
            throw new RetouchException("method " + name + " needs holes: use a mask degradation, e.g. --degrade mask:free:0.1-0.3");
        }
        RestoreParams p = RestoreParams.ofSigma(c.sigma()).withScale(c.scale()).withBlur(c.blur());
        if (c.mask() != null) p = p.withMask(c.mask());
        return r.apply(c.input(), p);
    }

    /** Scores a restored image against the case's clean one (clipped first). */
    public static Score score(Case c, Image restored, String name) {
        Image clean = c.clean();
        if (restored.height() != clean.height() || restored.width() != clean.width()) {
            throw new RetouchException("method " + name + " gives " + restored.width() + "x" + restored.height()
                    + " for a " + clean.width() + "x" + clean.height() + " image; for super-resolution compare bicubic, not noisy");
        }
        Image clipped = restored.clip();
        double hole = c.mask() != null && Masks.coverage(c.mask()) > 0 ? Psnr.inMask(clean, clipped, c.mask()) : Double.NaN;
        if (c.scale() > 1) {
            // The SR literature's protocol: BT.601 luma (Y of YCbCr) of colour images, scale border pixels cropped.
            return new Score(Psnr.ofY(clean, clipped, c.scale()), Ssim.ofY(clean, clipped, c.scale()), hole);
        }
        return new Score(Psnr.of(clean, clipped, 0), Ssim.of(clean, clipped, 1.0, 0), hole);
    }

    /**
     * Runs the first {@code n} images of {@code folder} through every degradation and method.
     *
     * @param strips when not null, a before/after strip of the first image per degradation is written there
     *     ({@code strip-D-SPEC.png}), and with {@code gridImages > 0} a grid of the first images by method
     * @param onImage called after each image of each degradation with the degradation's spec
     */
    public static List<Table> run(ImageFolder folder, int n, List<Degradation> degradations, List<Method> methods, Protocol p,
                                  Path strips, int gridImages, Consumer<String> onImage) {
        List<Table> tables = new ArrayList<>();
        for (int di = 0; di < degradations.size(); di++) {
            Degradation deg = degradations.get(di);
            Score[][] scores = new Score[methods.size()][n];
            List<String> names = new ArrayList<>();
            List<Image> gridTiles = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Case c = degrade(folder.read(i), deg, i, p);
                // the grid takes the first N images of the first image's size
                boolean inGrid = i < gridImages && (gridTiles.isEmpty()
                        || (gridTiles.get(0).height() == c.clean().height() && gridTiles.get(0).width() == c.clean().width()));
                List<Image> panels = new ArrayList<>();
                List<String> captions = new ArrayList<>();
                for (int mi = 0; mi < methods.size(); mi++) {
                    Method m = methods.get(mi);
                    Image restored = restore(m.restorer(), m.name(), c).clip(); // clipped once: scored and shown as is
                    Score s = score(c, restored, m.name());
                    scores[mi][i] = s;
                    if (inGrid) gridTiles.add(restored);
                    if (i == 0) {
                        panels.add(restored);
                        captions.add(Double.isNaN(s.holePsnr()) ? String.format("%s %.2f dB", m.name(), s.psnr())
                                : String.format("%s hole %.2f dB", m.name(), s.holePsnr()));
                    }
                }
                if (inGrid) gridTiles.add(c.clean());
                if (i == 0 && strips != null) {
                    panels.add(c.clean());
                    captions.add("clean");
                    Grids.writeStrip(panels, captions, strips.resolve(String.format("strip-%d-%s.png", di, safe(deg.spec()))));
                }
                names.add(folder.relative(i).toString());
                onImage.accept(deg.spec());
            }
            if (strips != null && !gridTiles.isEmpty()) {
                Grids.writeGrid(gridTiles, methods.size() + 1, 2, 1f, strips.resolve(String.format("grid-%d-%s.png", di, safe(deg.spec()))));
            }
            tables.add(new Table(deg.spec(), names, methods.stream().map(Method::name).toList(), scores));
        }
        return tables;
    }

    private static String safe(String spec) {
        return spec.replaceAll("[^A-Za-z0-9.-]+", "_");
    }
}
