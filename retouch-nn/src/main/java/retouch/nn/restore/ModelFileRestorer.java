package retouch.nn.restore;

import java.util.List;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelMeta;

/**
 * What every restorer of a Retouch model file shares: the loaded weights (owned, closed with it),
 * the model's name and task, and the settings calls without their own run with.
 */
public abstract class ModelFileRestorer implements Restorer {
    protected final LoadedModel loaded;
    protected final RestoreSettings settings;
    /** Tile side for calls whose settings name none. */
    protected final int tile;
    private final String name;
    private final String defaultTask;

    /** @param defaultTask the task of a model whose model.json names none */
    protected ModelFileRestorer(LoadedModel loaded, String name, RestoreSettings settings, String defaultTask) {
        this.loaded = loaded;
        this.name = name;
        this.settings = settings;
        this.tile = settings.tileOr(0);
        this.defaultTask = defaultTask;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String task() {
        List<String> tasks = loaded.meta().tasks();
        return tasks == null || tasks.isEmpty() ? defaultTask : tasks.get(0);
    }

    @Override
    public RestoreSettings settings() {
        return settings;
    }

    @Override
    public ModelMeta meta() {
        return loaded.meta();
    }

    @Override
    public void close() {
        loaded.close();
    }
}
