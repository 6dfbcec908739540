package retouch.nn.restore;

import retouch.baseline.ClassicalMethod;
import retouch.restore.RestoreParams;
import retouch.baseline.ClassicalMethods;
import retouch.image.Image;
import retouch.nn.task.RestorationTask;
import retouch.nn.task.RestorationTasks;

/** A classical method ({@link ClassicalMethods}) as a {@link Restorer}: no model, nothing to close. */
public final class ClassicalRestorer implements Restorer {
    private final ClassicalMethod method;
    private final String task;

    /** @param method the method; its task is the first registered task that lists it (denoise when none does) */
    public ClassicalRestorer(ClassicalMethod method) {
        this.method = method;
        this.task = RestorationTasks.all().stream().filter(t -> t.classicalMethods().contains(method.name()))
                .map(RestorationTask::id).findFirst().orElse("denoise");
    }

    /** The classical method called {@code name} ({@link ClassicalMethods#NAMES}). */
    public static ClassicalRestorer byName(String name) {
        return new ClassicalRestorer(ClassicalMethods.byName(name));
    }

    @Override
    public String name() {
        return method.name();
    }

    @Override
    public String task() {
        return task;
    }

    @Override
    public Restoration restore(Image degraded, RestoreParams params, RestoreSettings settings) {
        return Restoration.of(method.apply(degraded, params == null ? RestoreParams.defaults() : params));
    }
}
