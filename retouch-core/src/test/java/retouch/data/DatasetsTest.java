package retouch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.ImageFiles;

class DatasetsTest {
    @TempDir
    Path tmp;

    private Datasets resolver(Map<String, String> env, Path shared) {
        return new Datasets(env, shared, tmp.resolve("usr-share-datasets"), tmp.resolve("cache"), false);
    }

    @Test
    void resolutionOrder() throws IOException {
        Path data = tmp.resolve("explicit");
        IdxFileTest.writeSplit(data, "t10k", 5, true);
        Path envRoot = tmp.resolve("envroot");
        IdxFileTest.writeSplit(envRoot.resolve("fashion-mnist"), "train", 6, false);
        Path system = tmp.resolve("usr-share-datasets/fashion-mnist");
        IdxFileTest.writeSplit(system, "train", 7, true);
        IdxFileTest.writeSplit(system, "t10k", 3, true);

        Datasets withEnv = resolver(Map.of("RETOUCH_DATA", envRoot.toString()), null);
        Dataset explicit = withEnv.find("fashion-mnist", data);
        assertEquals("--data", explicit.source());
        assertEquals(5, explicit.test().size());
        assertEquals(Datasets.FASHION_CLASSES, explicit.test().classNames());

        Dataset parent = withEnv.find("Fashion-MNIST", envRoot);
        assertEquals(envRoot.resolve("fashion-mnist"), parent.location(), "--data may name the folder holding fashion-mnist/");

        Dataset env = withEnv.find("fashion-mnist", null);
        assertEquals("RETOUCH_DATA", env.source());
        assertEquals(6, env.train().size());
        RetouchException noTest = assertThrows(RetouchException.class, env::test);
        assertTrue(noTest.getMessage().contains("t10k-images-idx3-ubyte.gz"), noTest.getMessage());

        Dataset sys = resolver(Map.of(), null).find("fashion_mnist", null);
        assertEquals("system path", sys.source());
        assertEquals(7, sys.split("train").size());
        assertEquals(3, sys.split("test").size());
        assertEquals(7, sys.classIndex("Sneaker"));
        assertEquals(8, sys.classIndex("bag"));
        assertThrows(RetouchException.class, sys::images);

        RetouchException bad = assertThrows(RetouchException.class, () -> withEnv.find("fashion-mnist", tmp.resolve("cache")));
        assertTrue(bad.getMessage().startsWith(tmp.resolve("cache") + ": does not contain fashion-mnist"), bad.getMessage());
    }

    @Test
    void notFoundNamesEveryWay() {
        Datasets r = resolver(Map.of(), null);
        RetouchException f = assertThrows(RetouchException.class, () -> r.find("fashion-mnist", null));
        String m = f.getMessage();
        assertTrue(m.startsWith("dataset fashion-mnist not found: install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)"), m);
        assertTrue(m.contains("--data DIR with train-images-idx3-ubyte.gz") && m.contains("RETOUCH_DATA"), m);
        RetouchException mn = assertThrows(RetouchException.class, () -> r.find("mnist", null));
        assertTrue(mn.getMessage().contains("--download") && mn.getMessage().contains("yann.lecun.com"), mn.getMessage());
        RetouchException set = assertThrows(RetouchException.class, () -> r.find("set12", null));
        assertTrue(set.getMessage().contains("../shared/data/set12"), set.getMessage());
        RetouchException unknown = assertThrows(RetouchException.class, () -> r.find("imagenet", null));
        assertTrue(unknown.getMessage().startsWith("unknown dataset 'imagenet'"), unknown.getMessage());
    }

    @Test
    void cachedMnistIsUsedWithoutDownloading() throws IOException {
        IdxFileTest.writeSplit(tmp.resolve("cache/mnist"), "train", 4, true);
        Dataset d = resolver(Map.of(), null).find("mnist", null);
        assertEquals("download cache", d.source());
        assertEquals(4, d.train().size());
    }

    @Test
    void folderPathsAndImageSets() throws IOException {
        Path shared = tmp.resolve("shared");
        ImageFiles.writePng(Image.filled(1, 4, 4, 0f), shared.resolve("set5/x.png"));
        Dataset s = resolver(Map.of(), shared).find("set5", null);
        assertEquals("system path", s.source());
        assertEquals(1, s.images().size());
        assertTrue(s.terms().contains("research"));
        Dataset any = resolver(Map.of(), null).find(shared.resolve("set5").toString(), null);
        assertEquals(Dataset.Kind.IMAGES, any.kind());
        assertEquals(1, any.images().size());
    }

    @Test
    void providedDataWhenPresent() {
        Optional<Path> shared = Datasets.sharedDataDir();
        assumeTrue(shared.isPresent() && Files.isDirectory(shared.get().resolve("mnist")), "../shared/data not here");
        Datasets r = new Datasets(Map.of(), shared.get(), tmp.resolve("none"), tmp.resolve("cache"), false);
        Dataset mnist = r.find("mnist", null);
        LabeledImages test = mnist.test();
        assertEquals(10000, test.size());
        assertEquals(28, test.h());
        int[] counts = test.classCounts();
        assertEquals(10000, java.util.Arrays.stream(counts).sum());
        assertEquals(980, counts[0], "official t10k has 980 zeros");
        assertEquals(10000, mnist.train().size());
        assertEquals(12, r.find("set12", null).images().size());
        assertEquals(400, r.find("train400", null).images().size());
    }

    @Test
    void debianFashionMnistWhenInstalled() {
        Path sys = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(sys), "dataset-fashion-mnist not installed");
        Dataset d = new Datasets(Map.of(), null, Path.of("/usr/share/datasets"), tmp.resolve("cache"), false).find("fashion-mnist", null);
        LabeledImages test = d.test();
        assertEquals(10000, test.size());
        for (int c : test.classCounts()) assertEquals(1000, c);
        assertEquals(9, d.classIndex("ankle boot"));
    }
}
