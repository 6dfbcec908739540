package retouch.nn.synth;

import java.nio.file.Path;
import java.util.List;
import retouch.RetouchException;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.ModelStore;

/** Loads image generators (VAE decoders, GAN generators) from the model store by name or path. */
public final class Generators {

    private Generators() {}

    /**
     * Loads the generator {@code nameOrPath} (a name in the model store, e.g. "cvae-mnist", or a
     * model folder / zip).
     *
     * @throws RetouchException when the model is missing, corrupt, or not a generator
     */
    public static ImageGenerator load(String nameOrPath) {
        Path location = ModelStore.resolve(nameOrPath);
        ModelMeta meta = ModelFile.readMeta(location);
        if (!meta.tasks().contains("generate")) {
            throw new RetouchException(location + " is a '" + meta.architecture() + "' model for "
                    + String.join("/", meta.tasks()) + ", not an image generator; pick one of: "
                    + (generatorNames().isEmpty() ? "(no generator models installed)" : String.join(", ", generatorNames())));
        }
        if (retouch.nn.vae.Vae.ARCHITECTURE.equals(meta.architecture())) {
            return retouch.nn.vae.VaeGenerator.load(location);
        }
        if (retouch.nn.gan.DcganGenerator.ARCHITECTURE.equals(meta.architecture())) {
            return retouch.nn.gan.GanGenerator.load(location);
        }
        throw new RetouchException("generator architecture '" + meta.architecture() + "' of " + location
                + " is not supported by this Retouch build");
    }

    /** Names of the generators in the model store. */
    public static List<String> generatorNames() {
        return ModelStore.list().stream().filter(e -> e.tasks().contains("generate")).map(ModelStore.Entry::name).toList();
    }
}
