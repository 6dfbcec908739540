package retouch.nn.torchscript;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import retouch.nn.Engines;
import retouch.nn.store.Architectures;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;

/**
 * The committed TorchScript test files (src/test/resources/torchscript) and how they were made:
 * two tiny Retouch models with fixed-seed weights and non-trivial BatchNorm statistics, and their
 * TorchScript export written by {@link TorchScriptExport}. Regenerate (after an exporter change) with
 * {@code mvn -o test -pl retouch-nn -am -Dtest=TorchScriptFixtures -Dretouch.regenerateFixtures=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
public class TorchScriptFixtures {
    /** Folder of the fixtures, also used by the CLI module's tests (relative to a module folder). */
    public static final Path DIR = Path.of("..", "retouch-nn", "src", "test", "resources", "torchscript").toAbsolutePath().normalize();
    /** Gray DnCNN, depth 3, width 8: a Retouch model folder. */
    public static final Path DNCNN_GRAY = DIR.resolve("dncnn-gray");
    /** Its TorchScript export. */
    public static final Path DNCNN_GRAY_PT = DIR.resolve("dncnn-gray.pt");
    /** RGB FFDNet, depth 3, width 8, residual: a Retouch model folder. */
    public static final Path FFDNET_RGB = DIR.resolve("ffdnet-rgb");
    /** Its TorchScript export with σ 25 baked in. */
    public static final Path FFDNET_RGB_PT = DIR.resolve("ffdnet-rgb-s25.pt");
    public static final double FFDNET_SIGMA = 25;

    @Test
    @EnabledIfSystemProperty(named = "retouch.regenerateFixtures", matches = "true")
    void regenerate() throws Exception {
        Engines.init();
        Files.createDirectories(DIR);
        ModelMeta dn = ModelMeta.builder("dncnn").channels(1, 1).hyper("depth", 3).hyper("width", 8).tasks("denoise").seed(11L)
                .description("test fixture: random weights, not trained").build();
        ModelMeta ff = ModelMeta.builder("ffdnet").channels(3, 3).hyper("depth", 3).hyper("width", 8).hyper("residual", true)
                .tasks("denoise").seed(12L).description("test fixture: random weights, not trained").build();
        save(dn, DNCNN_GRAY, 11);
        save(ff, FFDNET_RGB, 12);
        try (LoadedModel m = ModelFile.load(DNCNN_GRAY, "dncnn")) {
            TorchScriptExport.export(m, DNCNN_GRAY_PT, Double.NaN);
        }
        try (LoadedModel m = ModelFile.load(FFDNET_RGB, "ffdnet")) {
            TorchScriptExport.export(m, FFDNET_RGB_PT, FFDNET_SIGMA);
        }
        assertTrue(Files.size(DNCNN_GRAY_PT) + Files.size(FFDNET_RGB_PT) < 200_000);
    }

    private static void save(ModelMeta meta, Path dir, int seed) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(seed);
            Block b = Architectures.buildInitialized(meta, m);
            // Non-trivial BatchNorm statistics and affine terms, as after training.
            for (Pair<String, Parameter> p : b.getParameters()) {
                NDArray a = p.getValue().getArray();
                String n = p.getKey();
                if (n.endsWith("runningVar")) a.set(m.randomUniform(0.5f, 2f, a.getShape()).toFloatArray());
                if (n.endsWith("runningMean") || n.endsWith("beta")) a.set(m.randomNormal(0f, 0.1f, a.getShape(), ai.djl.ndarray.types.DataType.FLOAT32).toFloatArray());
                if (n.endsWith("gamma")) a.set(m.randomUniform(0.5f, 1.5f, a.getShape()).toFloatArray());
            }
            ModelFile.save(dir, meta.toBuilder().created("2026-01-01T00:00:00Z").build(), b);
        }
    }
}
