package retouch.nn.store;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import retouch.RetouchException;
import retouch.nn.TinyCnn;

/**
 * The architecture names a {@code model.json} may name, each with the {@link ModelFactory} that
 * rebuilds it. A plain map filled in one place (below) instead of a config/registry framework:
 * adding a network is one line here.
 */
public final class Architectures {

    private static final Map<String, ModelFactory> FACTORIES = new ConcurrentHashMap<>();

    static {
        register(TinyCnn.ARCHITECTURE, TinyCnn::build);
        register(retouch.nn.restore.RestoreNets.DNCNN, retouch.nn.restore.RestoreNets.DNCNN_FACTORY);
        register(retouch.nn.restore.RestoreNets.FFDNET, retouch.nn.restore.RestoreNets.FFDNET_FACTORY);
        register(retouch.nn.restore.RestoreNets.UNET, retouch.nn.restore.RestoreNets.UNET_FACTORY);
        register(retouch.nn.restore.RestoreNets.EDSR, retouch.nn.restore.RestoreNets.EDSR_FACTORY);
        register(retouch.nn.restore.BlurSigmaNet.ARCHITECTURE, retouch.nn.restore.BlurSigmaNet.FACTORY);
        register(retouch.nn.eval.DomainClassifier.ARCHITECTURE, retouch.nn.eval.DomainClassifier.FACTORY);
        register(retouch.nn.vae.Vae.ARCHITECTURE, retouch.nn.vae.Vae.FACTORY);
        register(retouch.nn.gan.DcganGenerator.ARCHITECTURE, retouch.nn.gan.DcganGenerator.FACTORY);
        register(retouch.nn.gan.DcganDiscriminator.ARCHITECTURE, retouch.nn.gan.DcganDiscriminator.FACTORY);
        register(retouch.nn.inpaint.UNet.ARCHITECTURE, retouch.nn.inpaint.UNet.FACTORY);
        register(retouch.nn.inpaint.PatchDiscriminator.ARCHITECTURE, retouch.nn.inpaint.PatchDiscriminator.FACTORY);
    }

    private Architectures() {}

    /** Adds or replaces the factory for {@code name}. */
    public static void register(String name, ModelFactory factory) {
        FACTORIES.put(name, factory);
    }

    /** Whether {@code name} is known. */
    public static boolean contains(String name) {
        return name != null && FACTORIES.containsKey(name);
    }

    /** Known names, sorted. */
    public static List<String> names() {
        List<String> n = new ArrayList<>(FACTORIES.keySet());
        Collections.sort(n);
        return n;
    }

    /**
     * The factory for {@code name}.
     *
     * @throws RetouchException naming the known architectures when {@code name} is unknown
     */
    public static ModelFactory get(String name) {
        ModelFactory f = name == null ? null : FACTORIES.get(name);
        if (f == null) {
            throw new RetouchException("unknown architecture '" + name + "'; this Retouch build knows: "
                    + String.join(", ", names()) + " (a newer Retouch may be needed for this model)");
        }
        return f;
    }

    /** Builds the block for {@code meta} and initialises its parameters in {@code manager}. */
    public static Block buildInitialized(ModelMeta meta, NDManager manager) {
        ModelFactory f = get(meta.architecture());
        Block block = f.build(meta);
        block.initialize(manager, DataType.FLOAT32, f.inputShapes(meta));
        return block;
    }
}
