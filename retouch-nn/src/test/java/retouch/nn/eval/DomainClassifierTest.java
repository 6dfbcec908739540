package retouch.nn.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.nn.Engines;
import retouch.nn.store.Architectures;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;

/** Shapes, registration and save/load of the domain classifier. */
class DomainClassifierTest {
    @TempDir Path tmp;

    @Test
    void standardNetworkOnMnistSizedInput() throws Exception {
        Engines.init();
        ModelMeta meta = DomainClassifier.Config.standard(1, 28).toMeta().build();
        assertTrue(Architectures.contains(DomainClassifier.ARCHITECTURE));
        try (NDManager m = NDManager.newBaseManager()) {
            DomainClassifier net = (DomainClassifier) Architectures.buildInitialized(meta, m);
            NDArray x = m.randomUniform(0, 1, new Shape(5, 1, 28, 28));
            assertEquals(new Shape(5, 128), net.features(x).getShape());
            assertEquals(new Shape(5, 10), net.logits(x).getShape());
            // conv 288+9216+18432+36864, BN 4x2x(32|64), fc 3136x128+128, 128x10+10
            long params = net.getParameters().stream().filter(p -> p.getValue().requiresGradient())
                    .mapToLong(p -> p.getValue().getArray().size()).sum();
            assertEquals(288 + 9216 + 18432 + 36864 + 2 * (32 + 32 + 64 + 64) + 3136 * 128 + 128 + 1290, params);
            Path saved = tmp.resolve("clf");
            ModelFile.save(saved, meta, net);
            try (LoadedModel lm = ModelFile.load(saved, DomainClassifier.ARCHITECTURE)) {
                DomainClassifier back = (DomainClassifier) lm.block();
                assertEquals(net.config(), back.config());
                try (NDManager c = lm.manager().newSubManager()) {
                    NDArray y = c.create(x.toFloatArray(), x.getShape());
                    assertArrayEquals(net.logits(x).toFloatArray(), back.logits(y).toFloatArray(), 1e-5f);
                }
            }
        }
    }

    @Test
    void colourAndLargerInputsThroughHyperParameters() {
        Engines.init();
        DomainClassifier.Config rgb32 = new DomainClassifier.Config(3, 32, 10, List.of(32, 64), 128, 0.5f, true);
        DomainClassifier.Config gray64 = new DomainClassifier.Config(1, 64, 4, List.of(16, 32, 64), 64, 0f, false);
        try (NDManager m = NDManager.newBaseManager()) {
            for (DomainClassifier.Config c : List.of(rgb32, gray64)) {
                ModelMeta meta = c.toMeta().build();
                assertEquals(c, DomainClassifier.Config.of(meta));
                DomainClassifier net = (DomainClassifier) Architectures.buildInitialized(meta, m);
                NDArray x = m.randomUniform(0, 1, new Shape(2, c.channels(), c.imageSize(), c.imageSize()));
                assertEquals(new Shape(2, c.features()), net.features(x).getShape());
                assertEquals(new Shape(2, c.classes()), net.logits(x).getShape());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new DomainClassifier.Config(2, 28, 10, List.of(32), 128, 0.5f, true));
        assertThrows(IllegalArgumentException.class, () -> new DomainClassifier.Config(1, 4, 10, List.of(8, 8, 8), 128, 0.5f, true));
    }
}
