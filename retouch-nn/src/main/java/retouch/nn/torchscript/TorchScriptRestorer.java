package retouch.nn.torchscript;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.nn.restore.TaskDegradation;
import retouch.tile.Tiler;

/**
 * Runs a {@link TorchScriptModel} on an image of any size the way native models run: overlapping
 * tiles with blended seams (memory bounded by the tile, not the image), a gray model on an RGB
 * image per channel, an RGB model on a gray image on the gray replicated into three channels.
 *
 * <p>The task decides the input: {@code denoise}, {@code deblur} and {@code jpeg} give the image itself (the
 * model must keep the size); {@code srK} gives the low-resolution image to a model that upscales
 * by K itself, or — to a model that keeps the size, as Retouch's own SR networks do — the bicubic
 * upscale by K.
 */
public final class TorchScriptRestorer implements retouch.nn.restore.Restorer {
    /** Tasks {@code --task} accepts for TorchScript models. */
    public static final List<String> TASKS = retouch.nn.task.RestorationTasks.all().stream()
            .filter(retouch.nn.task.RestorationTask::imageToImage).map(retouch.nn.task.RestorationTask::id).toList();

    private final TorchScriptModel model;
    private final String task;
    private final Tiler tiler;
    private final int runScale;
    private volatile Runnable onTile = () -> {};

    /**
     * @param task one of {@link #TASKS}, or {@code null} to use the task recorded in the file or,
     *     failing that, the probed scale (1: denoise, K: srK)
     */
    public TorchScriptRestorer(TorchScriptModel model, String task, int tile) {
        this.model = model;
        this.task = resolveTask(model, task);
        int k = TaskDegradation.scaleOf(this.task);
        if (k == 0 && model.scale() != 1) {
            throw new RetouchException("TorchScript model " + model.path() + " upscales by " + model.scale() + ", so it cannot " + this.task
                    + "; use --task sr" + model.scale());
        }
        if (k != 0 && model.scale() != 1 && model.scale() != k) {
            throw new RetouchException("TorchScript model " + model.path() + " upscales by " + model.scale() + ", not by " + k
                    + "; use --task sr" + model.scale());
        }
        this.runScale = model.scale();
        this.tiler = new Tiler(tile, Math.min(32, tile / 4), model.multiple());
    }

    private static String resolveTask(TorchScriptModel model, String task) {
        if (task != null) {
            String t = task.toLowerCase(Locale.ROOT);
            if (!TASKS.contains(t)) {
                throw new RetouchException("unknown --task '" + task + "' for a TorchScript model: use " + String.join(", ", TASKS));
            }
            return t;
        }
        String recorded = model.recordedTask();
        if (recorded != null && TASKS.contains(recorded) && (model.scale() == 1 || recorded.equals("sr" + model.scale()))) {
            return recorded;
        }
        return model.scale() == 1 ? "denoise" : "sr" + model.scale();
    }

    /** The file's name. */
    @Override
    public String name() {
        return model.path().getFileName().toString();
    }

    /** The task this restorer runs. */
    @Override
    public String task() {
        return task;
    }

    public TorchScriptModel model() {
        return model;
    }

    /** The model takes the image alone: a noise level cannot reach it (bake it in at export). */
    @Override
    public boolean takesNoiseLevel() {
        return false;
    }

    /** A summary in place of model.json: architecture "torchscript", channels and task. */
    @Override
    public retouch.nn.store.ModelMeta meta() {
        int c = model.channels();
        return retouch.nn.store.ModelMeta.builder("torchscript").name(name()).channels(c, c).tasks(task).build();
    }

    @Override
    public retouch.nn.restore.Restoration restore(Image degraded, retouch.restore.RestoreParams params,
                                                  retouch.nn.restore.RestoreSettings settings) {
        return retouch.nn.restore.Restoration.of(restore(degraded));
    }

    @Override
    public long passes(Image image, retouch.nn.restore.RestoreSettings settings) {
        return passes(image);
    }

    /** Restores {@code degraded}; super-resolution returns it upscaled by the task's factor. */
    public Image restore(Image degraded) {
        int k = TaskDegradation.scaleOf(task);
        Image in = k != 0 && runScale == 1
                ? TaskDegradation.prepareInput(task, degraded, degraded.height() * k, degraded.width() * k)
                : degraded;
        return run(in).clip();
    }

    private Image run(Image in) {
        int mc = model.channels();
        if (mc == 1 && in.channels() == 3) {
            List<Image> planes = new ArrayList<>();
            for (int c = 0; c < 3; c++) planes.add(runSameChannels(in.channel(c)));
            return Image.stack(planes.toArray(new Image[0]));
        }
        Image x = in.channels() == mc ? in : in.toRgb();
        Image out = runSameChannels(x);
        return in.channels() == out.channels() ? out : out.toGray();
    }

    private Image runSameChannels(Image in) {
        return tiler.apply(in, t -> {
            Image out = model.forward(t);
            onTile.run();
            return out;
        }, runScale);
    }

    /** Network passes (tiles × channel passes) for an image of this shape, for a progress bar. */
    public long passes(Image image) {
        int k = TaskDegradation.scaleOf(task);
        int up = k != 0 && runScale == 1 ? k : 1;
        int perPlane = tiler.tileCount(image.height() * up, image.width() * up);
        return model.channels() == 1 && image.channels() == 3 ? 3L * perPlane : perPlane;
    }

    /** Called after every tile; replaces the previous listener. */
    @Override
    public void onTile(Runnable listener) {
        this.onTile = listener == null ? () -> {} : listener;
    }

    @Override
    public void close() {
        model.close();
    }
}
