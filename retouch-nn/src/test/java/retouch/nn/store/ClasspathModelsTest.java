package retouch.nn.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.nn.Engines;
import retouch.nn.TinyCnn;

/** Models inside a jar on the class path (the retouch-models artifact) load by name. */
class ClasspathModelsTest {

    @Test
    void modelsInAJarAreUnpackedOnceAndLoad(@TempDir Path tmp) throws Exception {
        Engines.init();
        Path model = tmp.resolve("src/tiny");
        try (NDManager m = NDManager.newBaseManager()) {
            ModelMeta meta = ModelMeta.builder(TinyCnn.ARCHITECTURE).name("tiny").channels(1, 1).build();
            ModelFile.save(model, meta, Architectures.buildInitialized(meta, m));
        }
        Path jar = tmp.resolve("models.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String dir : List.of("retouch/", "retouch/models/", "retouch/models/tiny/")) out.putNextEntry(new JarEntry(dir));
            try (Stream<Path> files = Files.list(model)) {
                for (Path f : files.toList()) {
                    out.putNextEntry(new JarEntry("retouch/models/tiny/" + f.getFileName()));
                    Files.copy(f, out);
                }
            }
        }
        Path cache = tmp.resolve("cache");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Path folder = ClasspathModels.locate(cl, cache);
            assertTrue(folder.startsWith(cache), folder.toString());
            Path unpacked = folder.resolve("tiny");
            try (LoadedModel lm = ModelFile.load(unpacked, TinyCnn.ARCHITECTURE)) {
                assertEquals("tiny", lm.meta().name());
            }
            long modified = Files.getLastModifiedTime(unpacked.resolve(ModelFile.META_FILE)).toMillis();
            Thread.sleep(20);
            assertEquals(folder, ClasspathModels.locate(cl, cache), "the same content is unpacked to the same folder");
            assertEquals(modified, Files.getLastModifiedTime(unpacked.resolve(ModelFile.META_FILE)).toMillis(), "and only once");
            try (Stream<Path> left = Files.list(cache)) {
                assertEquals(1, left.count(), "no partial copies are left beside it");
            }
        }
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertNull(ClasspathModels.locate(empty, cache), "no models jar, no folder");
        }
    }
}
