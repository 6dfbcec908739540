package retouch.nn.store;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import retouch.RetouchException;

/**
 * Fuzz target for the model.json reader ({@link ModelFile#readMeta}): the bytes are written as the
 * {@code model.json} of a model folder ({@code readMetaFolder}) or as a whole model zip
 * ({@code readMetaZip}). A damaged file fails with {@link RetouchException}; a file that reads gives
 * a meta whose accessors (what {@code GET /v1/models} and the model list show) work.
 *
 * <p>Seeds: {@code src/test/resources/retouch/nn/store/ModelMetaFuzzTestInputs/<method>/}.
 */
class ModelMetaFuzzTest {
    private static Path dir;
    private static Path folder;
    private static Path zip;

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("retouch-fuzz-meta-");
        folder = Files.createDirectories(dir.resolve("model"));
        zip = dir.resolve("model.zip");
    }

    @AfterAll
    static void tearDown() throws IOException {
        Files.deleteIfExists(folder.resolve(ModelFile.META_FILE));
        Files.deleteIfExists(folder);
        Files.deleteIfExists(zip);
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "5m")
    void readMetaFolder(byte[] data) throws IOException {
        Files.write(folder.resolve(ModelFile.META_FILE), data);
        check(folder);
    }

    @FuzzTest(maxDuration = "5m")
    void readMetaZip(byte[] data) throws IOException {
        Files.write(zip, data);
        check(zip);
    }

    private static void check(Path location) {
        ModelMeta meta;
        try {
            meta = ModelFile.readMeta(location);
        } catch (RetouchException e) {
            return;
        }
        // what the model list and the server's GET /v1/models read from it
        String.join("/", meta.tasks());
        String.join(",", meta.labels());
        meta.metrics().forEach((k, v) -> k.length());
        meta.hyperParameters().keySet().forEach(String::length);
        meta.valueRange().forEach(Double::doubleValue);
        for (ModelMeta.ParamInfo p : meta.parameters()) p.toString();
        meta.halfPrecision();
        meta.toString();
    }
}
