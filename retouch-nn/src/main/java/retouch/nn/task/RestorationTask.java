package retouch.nn.task;

import java.util.List;

/**
 * One restoration task, defined once: what the CLI, the Java API, the server (its validation,
 * {@code GET /v1/models}, {@code /openapi.json} and the web page), evaluation and training all
 * read. Register new tasks in {@link RestorationTasks}.
 *
 * @param id the name used everywhere ({@code --task}, form field {@code task}, model.json {@code tasks})
 * @param label what it does, in words
 * @param aliases other names accepted on input (never listed)
 * @param scale output size over input size (super-resolution), 1 otherwise
 * @param classicalMethods classical methods that do it (first = the fallback where one is used), may be empty
 * @param grayModel the shipped model a request without a model uses (gray photos, and RGB where no colour model is)
 * @param colourModel the shipped model for RGB photos, or null
 * @param evalDegradation the degradation spec {@code retouch eval --task} scores it on (before any --sigma)
 * @param trainingDegradation what a training patch goes through, in words (model.json's training data description)
 * @param imageToImage whether a plain network maps the degraded image to the restored one (TorchScript import)
 * @param restorer how a Retouch model of this task runs ({@link retouch.nn.restore.NetworkRestorer} for plain networks)
 */
public record RestorationTask(String id, String label, List<String> aliases, int scale, List<String> classicalMethods,
                              String grayModel, String colourModel, String evalDegradation, String trainingDegradation,
                              boolean imageToImage, retouch.nn.restore.RestorerFactory restorer) {

    public RestorationTask {
        aliases = List.copyOf(aliases);
        classicalMethods = List.copyOf(classicalMethods);
        if (scale < 1) throw new IllegalArgumentException("scale must be >= 1");
        java.util.Objects.requireNonNull(restorer, "restorer");
    }

    /** Whether {@code name} names this task (its id or an alias, any case). */
    public boolean answersTo(String name) {
        if (name == null) return false;
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        return id.equals(n) || aliases.contains(n);
    }

    /** What a model trained for this task learnt from, for model.json. */
    public String describe() {
        return trainingDegradation;
    }
}
