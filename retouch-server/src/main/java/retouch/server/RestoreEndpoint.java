package retouch.server;

import retouch.restore.RestoreParams;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import retouch.RetouchException;
import retouch.nn.restore.RestoreSettings;
import retouch.nn.task.RestorationTask;
import retouch.nn.task.RestorationTasks;
import retouch.api.Retouch;
import retouch.nn.restore.ClassicalRestorer;
import retouch.nn.restore.Restorer;
import retouch.degrade.Degradation;
import retouch.degrade.DegradationSpec;
import retouch.degrade.Masks;
import retouch.image.Image;
import retouch.image.ImageInfo;

/**
 * {@code POST /v1/restore}: multipart form with {@code image} (file), {@code task}, optional
 * {@code mask} (file, white = hole), {@code sigma} (0-255 or "auto"), {@code model} (name),
 * {@code method} (a classical method instead of a model) and {@code blur} (task deblur: the known
 * blur, "gauss:S" or "motion:LENGTH:ANGLE", deblurred by plug-and-play with a denoising model).
 * Answers a PNG; headers say what ran.
 *
 * <p>The cheap checks (form, field values, image header, pixel budget, model name) run on the
 * HTTP thread and fail fast; decoding, the model and encoding run in the bounded {@link WorkQueue}.
 */
record RestoreEndpoint(ServerConfig config, ModelCatalog catalog, WorkQueue queue, Path tmpDir) {
    /** Tasks the endpoint accepts: the task registry's (aliases are accepted too). */
    static final List<String> TASKS = RestorationTasks.ids();

    /** Classical methods allowed per task (first = the fallback where one is used automatically). */
    static final Map<String, List<String>> CLASSICAL = byTask(RestorationTask::classicalMethods);

    private static final Map<String, String> TASK_WORDS = byTask(RestorationTask::label);

    private static <T> Map<String, T> byTask(java.util.function.Function<RestorationTask, T> f) {
        Map<String, T> m = new LinkedHashMap<>();
        for (RestorationTask t : RestorationTasks.all()) m.put(t.id(), f.apply(t));
        return m;
    }

    /** What runs for a request: a model or a classical method, and a note for the client. */
    record Plan(String task, ModelCatalog.Entry model, Restorer classical, String note, Degradation blur) {
        Plan(String task, ModelCatalog.Entry model, Restorer classical, String note) {
            this(task, model, classical, note, null);
        }

        String methodName() { return model != null ? model.name() : classical.name(); }

        String kind() { return model != null ? "model" : "classical"; }
    }

    void handle(Context ctx) throws Exception {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        try (Multipart form = Multipart.parse(ctx, tmpDir, config.maxUploadBytes())) {
            Multipart.Upload image = form.requireFile("image", "attach the picture to restore, e.g. curl -F image=@photo.png");
            String task = parseTask(form.field("task"));
            double sigma = parseSigma(form.field("sigma"));
            RestoreSettings settings = parseSettings(form);
            Degradation blur = parseBlur(form.field("blur"), task);
            ImageInfo info = Uploads.probe(image, config.maxPixels());
            Plan plan = blur == null ? plan(task, form.field("model"), form.field("method"), info.imageChannels() == 3)
                    : deblurPlan(blur, form.field("model"), form.field("method"));
            int scale = scaleOf(task);
            if (info.pixels() * scale * scale > config.maxPixels()) {
                throw new ApiException(413, "image_too_large", String.format(Locale.ROOT,
                        "the x%d result of a %dx%d image would have %.1f megapixels, above this server's limit of %.1f",
                        scale, info.width(), info.height(), info.pixels() * scale * scale / 1e6, config.maxPixels() / 1e6));
            }
            Multipart.Upload mask = null;
            if (task.equals("inpaint")) {
                mask = form.requireFile("mask", "inpainting needs a mask image (white = hole to fill, black = keep), e.g. curl -F mask=@mask.png");
                Uploads.probe(mask, config.maxPixels());
            }
            Multipart.Upload maskUpload = mask;
            int bitDepth = info.bitDepth() == 16 ? 16 : 8;
            long t0 = System.nanoTime();
            Result result = queue.run(() -> {
                try {
                    return run(plan, image, maskUpload, sigma, scale, bitDepth, settings);
                } catch (RetouchException e) {
                    // found while restoring (e.g. too small to estimate its noise): bad input, naming the upload
                    String m = String.valueOf(e.getMessage());
                    throw ApiException.badRequest("bad_input", m.contains(image.describe()) ? m : image.describe() + ": " + m);
                }
            }, deadline);
            byte[] png = result.png();
            ctx.header("X-Retouch-Task", task);
            ctx.header("X-Retouch-Method", plan.methodName());
            ctx.header("X-Retouch-Method-Kind", plan.kind());
            if (plan.note() != null) ctx.header("X-Retouch-Note", plan.note());
            if (info.note() != null) ctx.header("X-Retouch-Input-Note", info.note()); // e.g. the first of a TIFF's pages was used
            if (info.orientation() != 1) ctx.header("X-Retouch-Orientation", Integer.toString(info.orientation())); // applied: the result is upright
            ctx.header("X-Retouch-Sigma", Double.isNaN(sigma) ? "auto" : Double.toString(sigma));
            if (blur != null) ctx.header("X-Retouch-Blur", blur.spec());
            if (result.estimatedBlur() != null) ctx.header("X-Retouch-Blur-Estimate", result.estimatedBlur());
            ctx.header("X-Retouch-Elapsed-Ms", Long.toString((System.nanoTime() - t0) / 1_000_000));
            ctx.contentType("image/png").result(png);
        }
    }

    /** The PNG, and for blind deblurring the blur that was estimated (spec) or null. */
    private record Result(byte[] png, String estimatedBlur) {}

    private Result run(Plan plan, Multipart.Upload image, Multipart.Upload maskUpload, double sigma, int scale, int bitDepth,
                       RestoreSettings settings) {
        Image in = Uploads.read(image, config.maxPixels(), 1f);
        Image out;
        String estimatedBlur = null;
        if (plan.model() != null) {
            Retouch r = catalog.restorer(plan.model());
            if (maskUpload != null) {
                try {
                    out = r.inpaint(in, Uploads.read(maskUpload, config.maxPixels(), 0f), settings);
                } catch (RetouchException e) {
                    throw ApiException.badRequest("bad_input", e.getMessage());
                }
            } else if (plan.blur() != null) {
                out = r.deblur(in, plan.blur(), sigma);
            } else if (r.task().equals("deblur") && !r.meta().architecture().equals("torchscript")) {
                Retouch.Deblurred d = r.deblurBlind(in, sigma, settings);
                out = d.image();
                if (d.estimate() != null) estimatedBlur = d.estimate().blur().spec() + (d.estimate().isBlurred() ? "" : " (not measurable: network output)");
            } else {
                out = r.restore(in, sigma, settings);
            }
        } else {
            RestoreParams p = RestoreParams.ofSigma(sigma).withScale(Math.max(1, scale));
            try {
                if (maskUpload != null) {
                    Image maskPicture = Uploads.read(maskUpload, config.maxPixels(), 0f);
                    p = p.withMask(Masks.forPhoto(maskPicture, in.height(), in.width(), "'mask' (the uploaded file)"));
                }
                out = plan.classical().apply(in, p);
            } catch (RetouchException e) {
                throw ApiException.badRequest("bad_input", e.getMessage());
            }
        }
        return new Result(Uploads.png(out, bitDepth), estimatedBlur);
    }

    /**
     * The form's restore settings (quality, refine, ensemble, deblur_mode, inpaint_scales,
     * colour_route; absent fields leave the choice to the model), tile side from the server's config.
     */
    RestoreSettings parseSettings(Multipart form) {
        try {
            return new RestoreSettings(form.field("quality"), form.field("refine"), intField(form, "ensemble"), form.field("deblur_mode"),
                    intField(form, "inpaint_scales"), form.field("colour_route"), 0);
        } catch (RetouchException e) {
            throw ApiException.badRequest("bad_parameter", e.getMessage());
        }
    }

    private static int intField(Multipart form, String name) {
        String v = form.field(name);
        if (v == null || v.isBlank()) return 0;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad_parameter", name + " must be a whole number, not '" + v + "'");
        }
    }

    static String parseTask(String s) {
        if (s == null) return "denoise";
        RestorationTask t = RestorationTasks.find(s);
        if (t == null) {
            throw ApiException.badRequest("bad_parameter", "task must be one of " + String.join(", ", TASKS) + ", not '" + s + "'");
        }
        return t.id();
    }

    static double parseSigma(String s) {
        if (s == null || s.equalsIgnoreCase("auto")) return Double.NaN;
        try {
            double v = Double.parseDouble(s);
            if (!(v >= 0 && v <= 255)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad_parameter", "sigma must be a number from 0 to 255 (noise level on the 8-bit scale) or 'auto', not '" + s + "'");
        }
    }

    /** The {@code blur} field: only for task deblur, one Gaussian or motion blur. */
    static Degradation parseBlur(String s, String task) {
        if (s == null || s.isBlank()) return null;
        if (!task.equals("deblur")) {
            throw ApiException.badRequest("bad_parameter", "blur is the known blur of task=deblur, not of task=" + task);
        }
        try {
            return DegradationSpec.parseBlur(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad_parameter", "blur '" + s + "': " + e.getMessage());
        }
    }

    /** A known blur runs plug-and-play with a denoising model (the one named, or the first installed). */
    Plan deblurPlan(Degradation blur, String modelName, String methodName) {
        if (methodName != null) {
            throw ApiException.badRequest("bad_parameter", "a known blur is deblurred with a denoising model; drop method=" + methodName);
        }
        ModelCatalog.Entry e = modelName != null ? catalog.find(modelName) : catalog.firstFor("denoise");
        if (e == null) throw new ApiException(404, "no_model", "deblurring a known blur needs a denoising model; " + noModelMessage("denoise"));
        if (!e.tasks().contains("denoise")) {
            throw ApiException.badRequest("wrong_task", "with blur, model must be a denoising model (the prior of plug-and-play deblurring); '"
                    + e.name() + "' does " + String.join("/", e.tasks()) + available("denoise"));
        }
        return new Plan("deblur", e, null, "plug-and-play deblurring of " + blur.spec() + " with the denoiser " + e.name(), blur);
    }

    static int scaleOf(String task) {
        return RestorationTasks.scaleOf(task);
    }

    /** {@link #plan(String, String, String, boolean)} for a gray picture. */
    Plan plan(String task, String modelName, String methodName) {
        return plan(task, modelName, methodName, false);
    }

    /**
     * Decides what runs, or fails with a message saying what is installed and what to send instead.
     *
     * @param colour whether the picture is RGB: without a named model it then goes to the task's
     *     colour model where one is installed ({@link retouch.nn.store.ModelStore#COLOUR_DEFAULT_FOR_TASK}), as
     *     {@code retouch restore} does
     */
    Plan plan(String task, String modelName, String methodName, boolean colour) {
        if (modelName != null && methodName != null) {
            throw ApiException.badRequest("bad_parameter", "give either model or method, not both");
        }
        List<String> classical = CLASSICAL.getOrDefault(task, List.of());
        if (methodName != null) {
            String m = methodName.toLowerCase(Locale.ROOT);
            if (!classical.contains(m)) {
                throw ApiException.badRequest("bad_parameter", "method '" + methodName + "' does not do " + TASK_WORDS.get(task)
                        + (classical.isEmpty() ? "; no classical method does, use a model" : "; use one of " + String.join(", ", classical)));
            }
            return new Plan(task, null, ClassicalRestorer.byName(m), null);
        }
        if (modelName != null) {
            ModelCatalog.Entry e = catalog.find(modelName);
            if (!e.tasks().contains(task)) {
                throw ApiException.badRequest("wrong_task", "model '" + modelName + "' does " + (e.tasks().isEmpty() ? "nothing known" : String.join("/", e.tasks()))
                        + ", not " + task + available(task));
            }
            return modelPlan(task, e);
        }
        ModelCatalog.Entry e = colour ? catalog.colourFor(task) : null;
        if (e == null) e = catalog.firstFor(task);
        if (e != null) return modelPlan(task, e);
        if (task.equals("inpaint")) {
            return new Plan(task, null, ClassicalRestorer.byName("telea"), "no inpainting model is installed; filled with the classical OpenCV Telea method");
        }
        throw new ApiException(404, "no_model", noModelMessage(task));
    }

    private Plan modelPlan(String task, ModelCatalog.Entry e) {
        if (!Retouch.TASKS.contains(task)) {
            throw new ApiException(501, "not_implemented", "task " + task + " cannot run on this server");
        }
        return new Plan(task, e, null, null);
    }

    /** The message for a task without a model. */
    static String noModelMessage(String task) {
        String what = TASK_WORDS.getOrDefault(task, task);
        List<String> classical = CLASSICAL.getOrDefault(task, List.of());
        String alt = classical.isEmpty() ? "" : "; a classical method works without one: method=" + String.join(" or method=", classical);
        return "no " + what + " model is installed on this server" + alt + " (GET /v1/models lists what is installed)";
    }

    private String available(String task) {
        ModelCatalog.Entry e = catalog.firstFor(task);
        return e == null ? "" : "; for " + task + " use model '" + e.name() + "'";
    }

    /** Per task: what a request without model or method would run, for GET /v1/models and the web page. */
    Map<String, Object> taskSummary() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String task : TASKS) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("label", TASK_WORDS.get(task));
            t.put("classical_methods", CLASSICAL.get(task));
            try {
                Plan p = plan(task, null, null);
                t.put("available", true);
                t.put("kind", p.kind());
                t.put("method", p.methodName());
                ModelCatalog.Entry c = catalog.colourFor(task);
                if (c != null && p.model() != null) t.put("method_for_colour", c.name());
                if (p.note() != null) t.put("note", p.note());
            } catch (ApiException e) {
                t.put("available", false);
                t.put("message", e.getMessage());
            }
            out.put(task, t);
        }
        return out;
    }
}
