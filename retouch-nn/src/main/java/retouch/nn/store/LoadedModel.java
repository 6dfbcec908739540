package retouch.nn.store;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;

/**
 * A model file loaded for inference: its meta, its block with weights, and the DJL {@link Model}
 * that owns their native memory. Close it to free that memory.
 */
public final class LoadedModel implements AutoCloseable {

    private final ModelMeta meta;
    private final Model model;
    private final Path location;
    private final ParameterStore parameterStore;

    LoadedModel(ModelMeta meta, Model model, Path location) {
        this.meta = meta;
        this.model = model;
        this.location = location;
        this.parameterStore = new ParameterStore(model.getNDManager(), false);
    }

    public ModelMeta meta() { return meta; }

    public Block block() { return model.getBlock(); }

    /** The DJL model (e.g. for a {@code Predictor}); owned by this object. */
    public Model model() { return model; }

    /** Manager holding the weights; open per-request child managers from it. */
    public NDManager manager() { return model.getNDManager(); }

    /** Where the model was read from. */
    public Path location() { return location; }

    /**
     * Runs the network in inference mode. The output lives in the input's manager only if
     * the caller attaches it; run this inside a per-request child manager and attach results
     * there (see DESIGN "child NDManager per request").
     */
    public NDList forward(NDList inputs) {
        return model.getBlock().forward(parameterStore, inputs, false);
    }

    /** Single-input, single-output {@link #forward(NDList)}; the result is attached to the input's manager. */
    public NDArray forward(NDArray input) {
        NDArray out = forward(new NDList(input)).singletonOrThrow();
        out.attach(input.getManager());
        return out;
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "LoadedModel[" + meta.architecture() + " from " + location + "]";
    }
}
