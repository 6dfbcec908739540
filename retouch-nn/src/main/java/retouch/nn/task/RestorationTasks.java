package retouch.nn.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import retouch.RetouchException;
import retouch.nn.inpaint.UNetRestorer;
import retouch.nn.restore.BlindDeblurRestorer;
import retouch.nn.restore.EdsrNet;
import retouch.nn.restore.NetworkRestorer;
import retouch.nn.restore.SuperResolutionRestorer;

/**
 * The registry of restoration tasks: every front door lists and validates tasks from here, so
 * they cannot drift apart. Adding a task is one definition (a {@link RestorationTask}, e.g. in a
 * class of its own as {@link JpegTask}) and one {@link #register} line below.
 */
public final class RestorationTasks {
    private static final Map<String, RestorationTask> TASKS = new LinkedHashMap<>();

    static {
        register(new RestorationTask("denoise", "denoising", List.of("denoising"), 1, List.of("nlm", "bm3d", "tv", "gaussian", "median"),
                "denoise-gray", "denoise-color", "noise:gauss:25", "Gaussian noise of a level drawn per patch", true, NetworkRestorer::new));
        register(new RestorationTask("deblur", "deblurring", List.of("deblurring"), 1, List.of(),
                "deblur-gray", null, "blur:gauss:1.6,noise:gauss:2",
                "Gaussian (sigma 0.5-3) or linear motion (5-21 px) blur, then mild Gaussian noise", true, BlindDeblurRestorer::new));
        register(JpegTask.TASK);
        for (int s = 2; s <= 4; s++) {
            register(new RestorationTask("sr" + s, "x" + s + " super-resolution", s == 2 ? List.of("sr", "super-resolve") : List.of(), s,
                    List.of("bicubic", "nearest"), s == 2 ? "sr2-color" : s == 4 ? "sr4-color" : null, null, "down:bicubic:" + s,
                    "MATLAB-style bicubic downscaling by " + s + ", then bicubic upscaling back", true, RestorationTasks::superResolution));
        }
        register(new RestorationTask("inpaint", "inpainting", List.of("inpainting", "gan-inpaint"), 1, List.of("telea", "ns"),
                "inpaint-gray", null, "mask:free:0.1-0.3", "free-form strokes, boxes and irregular masks over the image", false, UNetRestorer::new));
        register(new RestorationTask("deblur-gan", "GAN deblurring", List.of(), 1, List.of(),
                "deblur-gan-gray", null, "blur:gauss:1.6,noise:gauss:2", "Gaussian or motion blur, then mild noise (adversarial training)", false, UNetRestorer::new));
    }

    private RestorationTasks() {}

    /** Super-resolution models run at low resolution ({@link EdsrNet}) or on the bicubic upscale (FFDNet-style). */
    private static retouch.nn.restore.Restorer superResolution(retouch.nn.store.LoadedModel lm, String name, retouch.nn.restore.RestoreSettings s) {
        return EdsrNet.ARCHITECTURE.equals(lm.meta().architecture()) ? new SuperResolutionRestorer(lm, name, s) : new NetworkRestorer(lm, name, s);
    }

    /** Adds a task (its id must be new). */
    public static synchronized void register(RestorationTask task) {
        if (TASKS.containsKey(task.id())) throw new IllegalArgumentException("task " + task.id() + " is registered already");
        TASKS.put(task.id(), task);
    }

    /** Every task, in registration order. */
    public static synchronized List<RestorationTask> all() {
        return Collections.unmodifiableList(new ArrayList<>(TASKS.values()));
    }

    /** Every task's id, in registration order. */
    public static List<String> ids() {
        return all().stream().map(RestorationTask::id).toList();
    }

    /** The task named {@code name} (id or alias, any case), or null. */
    public static RestorationTask find(String name) {
        for (RestorationTask t : all()) if (t.answersTo(name)) return t;
        return null;
    }

    /**
     * The task named {@code name}.
     *
     * @throws RetouchException naming the tasks when none answers to it
     */
    public static RestorationTask get(String name) {
        RestorationTask t = find(name);
        if (t == null) throw new RetouchException("unknown task '" + name + "'; use one of " + String.join(", ", ids()));
        return t;
    }

    /** The output size over the input size of the task named {@code name} (1 for unknown names). */
    public static int scaleOf(String name) {
        RestorationTask t = find(name);
        return t == null ? 1 : t.scale();
    }
}
