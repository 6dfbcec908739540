package retouch.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.data.Datasets;
import retouch.data.LabeledImages;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.ModelStore;
import retouch.nn.vae.ClassLatentPrior;
import retouch.nn.vae.Vae;

/** {@code retouch models fit-prior}: fits per-class latent Gaussians of a CVAE and stores them in its model.json. */
// Help texts: src/main/resources/retouch/cli/ModelsFitPriorCommand.properties
@Command(name = "fit-prior", resourceBundle = "retouch.cli.ModelsFitPriorCommand", mixinStandardHelpOptions = true)
public final class ModelsFitPriorCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", descriptionKey = "MODEL") String model;

    @Option(names = "--data", required = true) String data;

    @Option(names = "--sample-temperature", paramLabel = "T") Float sampleTemperature;

    @Option(names = "--components", defaultValue = "1") int components;

    @Option(names = "--seed", defaultValue = "0") long seed;

    @Override
    public Integer call() throws Exception {
        if (sampleTemperature != null && !(sampleTemperature > 0 && sampleTemperature <= 10)) {
            throw new RetouchException("--sample-temperature must be in (0, 10], got " + sampleTemperature);
        }
        Path location = ModelStore.resolve(model);
        ModelMeta meta = fitInto(location, data, sampleTemperature, components, seed);
        spec.commandLine().getOut().printf("fitted a %d-class latent prior (%d component(s) per class) into %s%n", meta.labels().size(), components, location);
        return ExitCodes.OK;
    }

    /** Fits on the training split of {@code data} (shuffled as training does) and rewrites the model at {@code location}. */
    static ModelMeta fitInto(Path location, String data, Float sampleTemperature, int components, long seed) throws java.io.IOException {
        try (LoadedModel lm = ModelFile.load(location, Vae.ARCHITECTURE)) {
            Vae vae = (Vae) lm.block();
            if (vae.classes() == 0) throw new RetouchException("model " + location + " is an unconditional VAE; a class prior needs a CVAE");
            LabeledImages train = Datasets.resolve(data, null).train();
            boolean binarized = lm.meta().boolParam("binarized", false);
            ClassLatentPrior prior = ClassLatentPrior.fit(vae, train, binarized, lm.manager(), components, seed);
            ModelMeta.Builder b = lm.meta().toBuilder().hyper(ClassLatentPrior.KEY, prior.toJson());
            if (sampleTemperature != null) b.hyper("sample_temperature", sampleTemperature);
            ModelMeta updated = b.build();
            return ModelFile.save(location, updated, vae);
        }
    }
}
