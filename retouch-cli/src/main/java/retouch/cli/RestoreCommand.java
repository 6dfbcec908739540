package retouch.cli;

import retouch.restore.RestoreParams;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.baseline.ClassicalMethods;
import retouch.degrade.Masks;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.image.LoadedImage;
import retouch.nn.restore.ClassicalRestorer;
import retouch.nn.restore.PnpDeblurrer;
import retouch.nn.restore.Restoration;
import retouch.nn.restore.Restorer;
import retouch.nn.restore.Restorers;

/** {@code retouch restore}: restores one image or a folder of images. */
// Help texts: src/main/resources/retouch/cli/RestoreCommand.properties
@Command(name = "restore", resourceBundle = "retouch.cli.RestoreCommand", mixinStandardHelpOptions = true)
public final class RestoreCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "IN", descriptionKey = "IN") List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT") Path output;

    @Option(names = {"-m", "--method"}, completionCandidates = MethodNames.class) String method;

    @Option(names = "--model", paramLabel = "NAME|PATH") String model;

    @Option(names = "--task", paramLabel = "TASK", completionCandidates = TaskNames.class) String task;

    @Option(names = "--channels", defaultValue = "0", paramLabel = "1|3") int channels;

    @Option(names = "--tile", defaultValue = "512") int tile;

    @Option(names = "--sigma", paramLabel = "S|auto", defaultValue = "auto") String sigma;

    @Option(names = "--blur-sigma", paramLabel = "S") Double blurSigma;

    @Option(names = "--blur", paramLabel = "gauss:S|motion:LENGTH:ANGLE") String blur;

    @Option(names = "--mask", paramLabel = "MASK.png") Path mask;

    @Option(names = "--scale", defaultValue = "2") int scale;
    @Option(names = "--jpeg-quality", paramLabel = "Q|auto", defaultValue = "auto",
            description = "--task jpeg: the quality (1-100) the photo was saved at; auto (default) reads it from the pixels") String jpegQuality;

    @Option(names = "--radius", defaultValue = "0") int radius;

    @Option(names = "--overwrite") boolean overwrite;

    @Mixin ImageOptions imageOptions;

    @Mixin RestoreSettingsOptions settingsOptions;

    /** The shipped model each task uses when neither --model nor --method is given. */
    static final java.util.Map<String, String> DEFAULT_MODELS = new java.util.TreeMap<>(retouch.nn.store.ModelStore.DEFAULT_FOR_TASK);

    static final class MethodNames implements Iterable<String> {
        @Override public java.util.Iterator<String> iterator() { return ClassicalMethods.NAMES.iterator(); }
    }

    @Override
    public Integer call() {
        if (method != null && task != null) {
            throw new RetouchException("--task picks or describes a model (a shipped one, or a TorchScript file given with --model x.pt); "
                    + "a classical --method does its own task: drop --task");
        }
        if (blurSigma != null || blur != null) return plugAndPlay();
        boolean taskDefault = method == null && model == null && task != null;
        if (taskDefault) {
            model = DEFAULT_MODELS.get(task.toLowerCase(java.util.Locale.ROOT));
            if (model == null) {
                throw new RetouchException("unknown task '" + task + "'; choose one of " + String.join(", ", DEFAULT_MODELS.keySet()));
            }
            try {
                retouch.nn.store.ModelStore.resolve(model);
            } catch (RetouchException e) {
                throw new RetouchException("no model for --task " + task + ": '" + model + "' is not installed (see 'retouch models'); "
                        + "give one with --model" + (task.equalsIgnoreCase("jpeg") ? " (train one: retouch train restore --task jpeg)"
                                : ", or use a classical method" + (task.equals("inpaint") ? " (--method telea)" : ""))
                        + (task.equalsIgnoreCase("deblur") ? "; for a known blur use --blur-sigma S or --blur motion:LENGTH:ANGLE" : ""));
            }
        }
        if ((method == null) == (model == null)) {
            throw new RetouchException("say how to restore: --method NAME (classical), --model NAME|PATH (trained) or --task TASK (shipped model), one of them");
        }
        checkTile();
        if (model == null && channels != 0) {
            throw new RetouchException("--task and --channels describe a TorchScript model; give it with --model x.pt");
        }
        // the task's shipped model; RGB photos go to its colour model where one is shipped (denoise-color)
        try (Restorer restorer = model == null ? ClassicalRestorer.byName(method)
                : taskDefault && channels == 0 ? Restorers.forTask(task, settingsOptions.toSettings(tile))
                : Restorers.open(model, settingsOptions.toSettings(tile), task, channels)) {
            if (!restorer.takesNoiseLevel() && !Double.isNaN(parseSigma(sigma))) {
                throw new RetouchException("TorchScript models take only the image, so --sigma does not apply; "
                        + "bake the noise level into the model (e.g. 'retouch models export-torchscript MODEL -o x.pt --sigma 25')");
            }
            return run(restorer, null);
        }
    }

    /** --blur-sigma / --blur: non-blind deblurring with a trained denoiser as the prior. */
    private Integer plugAndPlay() {
        if (blurSigma != null && blur != null) throw new RetouchException("give the blur once: --blur-sigma S or --blur SPEC");
        if (blurSigma != null && !(blurSigma > 0 && blurSigma <= 25)) {
            throw new UsageException("--blur-sigma must be in (0, 25] pixels, not " + blurSigma);
        }
        retouch.degrade.Degradation knownBlur = blurSigma != null ? new retouch.degrade.GaussianBlur(blurSigma) : parseBlur(blur);
        if (method != null) throw new RetouchException("--blur-sigma/--blur deblur with a trained denoiser; drop --method " + method);
        if (task != null && !task.equalsIgnoreCase("deblur")) throw new RetouchException("--blur-sigma/--blur are for --task deblur, not " + task);
        if (mask != null) throw new RetouchException("--mask is for inpainting; drop it with --blur-sigma/--blur");
        checkTile();
        String denoiserName = model != null ? model : DEFAULT_MODELS.get("denoise");
        // no --model: the shipped denoiser with its colour route (denoise-color is the prior for RGB photos)
        try (Restorer denoiser = model != null ? Restorers.open(model, settingsOptions.toSettings(tile))
                : Restorers.forTask("denoise", settingsOptions.toSettings(tile))) {
            if (!denoiser.takesNoiseLevel() || !denoiser.task().equals("denoise")) {
                throw new RetouchException("--blur-sigma/--blur need a Retouch denoising model as --model (it is told each noise level); "
                        + denoiserName + " is " + (!denoiser.takesNoiseLevel() ? "a TorchScript file" : "a " + denoiser.task() + " model")
                        + ": use --model denoise-gray or leave --model out");
            }
            return run(new PnpDeblurrer(denoiser, "plug-and-play deblurring of " + knownBlur.spec()), knownBlur);
        }
    }

    /** Largest --tile: one 4096² tile already needs several GB in the larger networks. */
    static final int MAX_TILE = 4096;

    private void checkTile() {
        if (tile < 32 || tile > MAX_TILE) {
            throw new UsageException("--tile must be from 32 to " + MAX_TILE + " pixels, not " + tile + " (256 suits most machines)");
        }
    }

    /** gauss:S or motion:LENGTH:ANGLE, as in degradation specs without the "blur:" prefix. */
    private static retouch.degrade.Degradation parseBlur(String spec) {
        try {
            return retouch.degrade.DegradationSpec.parseBlur(spec);
        } catch (IllegalArgumentException e) {
            throw new RetouchException("--blur " + spec + ": " + e.getMessage());
        }
    }

    /** Restores every input with {@code m}; {@code knownBlur} (or null) is handed to non-blind deblurring. */
    private Integer run(Restorer m, retouch.degrade.Degradation knownBlur) {
        double s = parseSigma(sigma);
        int jpegQualityValue = parseJpegQuality(jpegQuality);
        if (jpegQualityValue > 0 && !m.task().equals("jpeg")) {
            throw new UsageException("--jpeg-quality is for --task jpeg, not " + m.task() + "; drop it");
        }
        if (m.task().equals("inpaint") && mask == null) {
            throw new RetouchException((m.meta() != null ? "model " : "method ") + m.name()
                    + " fills holes: give the hole mask with --mask MASK.png (white = missing)");
        }
        if (scale < 1 || scale > 8) throw new UsageException("--scale must be between 1 and 8, not " + scale);
        if (radius < 0 || radius > 100) throw new UsageException("--radius must be from 0 (method default) to 100 pixels, not " + radius);
        boolean maskFolder = mask != null && java.nio.file.Files.isDirectory(mask);
        Image maskPicture = mask == null || maskFolder ? null : ImageFiles.read(mask, imageOptions.readOptions()).toGray();
        List<Path> files = Inputs.expand(inputs);
        boolean singleFileArg = inputs.size() == 1 && !java.nio.file.Files.isDirectory(inputs.get(0));
        List<Inputs.Target> targets = Inputs.targetsFor(files, output, singleFileArg);
        if (m.task().equals("jpeg") && targets.get(0).folder() != null) {
            // saving a JPEG repair as JPEG again would put back the artefacts just removed
            targets = targets.stream().map(Inputs.Target::asPng).toList();
            spec.commandLine().getErr().println("note: JPEG repairs are written as PNG (lossless) into " + output);
        }
        FolderResume.removeTemporaries(targets);
        int skipped = 0;
        try (Progress bar = new Progress("restore", files.size(), "img")) {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                if (!overwrite && targets.get(i).folder() != null && FolderResume.done(file, targets.get(i).resolve(ImageFiles.probe(file)))) {
                    skipped++; // restored by an earlier run (results are written whole, so a present one is complete)
                    bar.step(file.getFileName().toString());
                    continue;
                }
                LoadedImage in = ImageFiles.readWithAlpha(file, imageOptions.readOptions());
                Image degraded = in.hasAlpha() ? ImageFiles.read(file, imageOptions.readOptions()) : in.image();
                RestoreParams p = RestoreParams.ofSigma(s).withRadius(radius).withScale(scale)
                        .withBlur(knownBlur).withJpegQuality(jpegQualityValue);
                Image restored;
                try {
                    Path maskFile = maskFolder ? maskFor(file) : mask;
                    Image picture = maskFolder ? ImageFiles.read(maskFile, imageOptions.readOptions()).toGray() : maskPicture;
                    if (picture != null) p = p.withMask(Masks.forPhoto(picture, degraded.height(), degraded.width(), String.valueOf(maskFile)));
                    long passes = files.size() == 1 ? m.passes(degraded) : 0;
                    if (passes > 4) {
                        // One big image: show progress over its tiles instead.
                        try (Progress tiles = new Progress(file.getFileName().toString(), passes, "tile")) {
                            m.onTile(() -> tiles.step(""));
                            restored = apply(m, degraded, p, file);
                        }
                    } else {
                        restored = apply(m, degraded, p, file);
                    }
                } catch (RetouchException e) {
                    // a problem found while restoring (e.g. too small to estimate the noise): name the file
                    if (e instanceof UsageException || String.valueOf(e.getMessage()).startsWith(file.toString())) throw e;
                    throw new RetouchException(file + ": " + e.getMessage(), e);
                }
                Path out = targets.get(i).resolve(in.info());
                ImageFiles.write(restored, out, in.info().bitDepth() == 16 ? 16 : 8);
                if (in.info().note() != null) notes.add(file.getFileName() + ": " + in.info().note());
                bar.step(file.getFileName().toString());
                if (files.size() == 1) {
                    spec.commandLine().getOut().printf("%s -> %s (%s)%n", file, out,
                            m.nameFor(degraded));
                }
            }
        }
        for (String note : notes) spec.commandLine().getErr().println(note);
        if (skipped > 0) {
            spec.commandLine().getOut().printf("restored %d images into %s (%s); %d already there were skipped (--overwrite redoes them)%n",
                    files.size() - skipped, output, m.name(), skipped);
        } else if (files.size() > 1) {
            spec.commandLine().getOut().printf("restored %d images into %s (%s)%n", files.size(), output, m.name());
        }
        return ExitCodes.OK;
    }

    /**
     * With {@code --mask DIR}: the mask of {@code image} is the file in DIR with the image's name
     * (photo.jpg → DIR/photo.png, DIR/photo.jpg, …, or DIR/photo_mask.png), so a folder of photos can
     * be inpainted with one mask each.
     */
    private Path maskFor(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        for (String candidate : List.of(stem + ".png", name, stem + "_mask.png", stem + ".jpg", stem + ".bmp", stem + ".tif")) {
            Path f = mask.resolve(candidate);
            if (java.nio.file.Files.isRegularFile(f)) return f;
        }
        throw new RetouchException(image + ": no mask for it in " + mask + "; with --mask DIR each image needs a mask of the same name ("
                + stem + ".png or " + stem + "_mask.png), or give one mask file for all with --mask MASK.png");
    }

    /** What blind deblurring found per image, printed after the progress bar. */
    private final List<String> notes = new java.util.ArrayList<>();

    /** Restores one image; blind deblurring also says which blur it found and undid. */
    private Image apply(Restorer m, Image degraded, RestoreParams p, Path file) {
        Restoration r = m.restore(degraded, p, m.settings());
        if (r.note() != null) notes.add(file.getFileName() + ": " + r.note());
        return r.image();
    }

    static double parseSigma(String s) {
        if (s == null || s.equalsIgnoreCase("auto")) return Double.NaN;
        try {
            double v = Double.parseDouble(s);
            if (!(v >= 0 && v <= 255)) throw new NumberFormatException(); // also NaN and infinities
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException("--sigma must be a number from 0 to 255 (noise level on the 8-bit scale) or 'auto', not '" + s + "'");
        }
    }

    /** --jpeg-quality: 1-100, or auto (0: estimated from each photo's pixels). */
    static int parseJpegQuality(String q) {
        if (q == null || q.equalsIgnoreCase("auto")) return 0;
        try {
            int v = Integer.parseInt(q.trim());
            if (v < 1 || v > 100) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException("--jpeg-quality must be a whole number from 1 to 100 (the quality the JPEG was saved at) or 'auto', not '" + q + "'");
        }
    }
}
