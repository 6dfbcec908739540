package retouch.nn.train;

import java.nio.file.Path;
import java.util.Map;
import retouch.RetouchException;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.ModelStore;

/**
 * The model a new run starts from ({@link Trainer.Builder#optInitFrom}).
 *
 * @param name the name or path as given, recorded in model.json
 * @param location its model file
 * @param meta its meta
 */
public record StartModel(String name, Path location, ModelMeta meta) {

    /** The model named {@code nameOrPath} (a model in the store, or a path). */
    static StartModel resolve(String nameOrPath) {
        Path location = ModelStore.resolve(nameOrPath);
        return new StartModel(nameOrPath, location, ModelFile.readMeta(location));
    }

    /**
     * Throws unless this model has the architecture, channels, depth and width of {@code run}, the
     * model the run builds; {@code hint} (empty, or " (...)") ends the message.
     */
    public void requireShapeOf(ModelMeta run, String hint) {
        String want = shape(run);
        String have = shape(meta);
        if (!want.equals(have)) {
            throw new RetouchException("--init-from " + name + ": that model is " + have + ", this run builds " + want
                    + "; train with the architecture, channels, depth and width of the model you start from" + hint);
        }
    }

    /**
     * Loads this model's weights as they are into the run's model.
     *
     * @return the name, for model.json
     */
    public String loadInto(TrainContext ctx) {
        ModelFile.loadInto(location, ctx.model(), ctx.manager(), true);
        return name;
    }

    /** Architecture, channels and the hyper-parameters that decide parameter shapes, e.g. "ffdnet 1->1 depth 15 width 64". */
    private static String shape(ModelMeta m) {
        Map<String, Object> h = m.hyperParameters() == null ? Map.of() : m.hyperParameters();
        return m.architecture() + " " + m.inputChannels() + "->" + m.outputChannels() + " depth " + h.get("depth") + " width " + h.get("width")
                + (h.containsKey("blocks") ? " blocks " + h.get("blocks") : "") + ("edsr".equals(m.architecture()) && h.containsKey("scale") ? " scale " + h.get("scale") : "");
    }
}
