package retouch.nn.restore;

import retouch.nn.store.LoadedModel;

/** How a task runs a loaded Retouch model: the {@link Restorer} a {@link retouch.nn.task.RestorationTask} opens its models as. */
@FunctionalInterface
public interface RestorerFactory {
    /**
     * @param model the loaded weights (the restorer owns them and closes them)
     * @param name the model's name, for messages
     * @param settings what calls without settings of their own run with
     */
    Restorer open(LoadedModel model, String name, RestoreSettings settings);
}
