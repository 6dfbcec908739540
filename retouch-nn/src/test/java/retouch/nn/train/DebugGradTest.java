package retouch.nn.train;

import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.nn.Block;
import ai.djl.training.*;
import java.util.*;
import org.junit.jupiter.api.Test;
import retouch.nn.TinyCnn;
import retouch.nn.store.Architectures;

class DebugGradTest {
    @Test
    void debug() {
        retouch.nn.Engines.init();
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(3);
            Block b = Architectures.buildInitialized(TinyCnn.meta(1, 8), m);
            List<float[]> prev = null;
            for (int rep = 0; rep < 30; rep++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray x = Boolean.getBoolean("native") ? s.randomUniform(0f, 1f, new Shape(8, 1, 16, 16)) : DenoiseTask.clean(s, new Random(5)); if (Boolean.getBoolean("dup")) x = x.duplicate();
                    m.getEngine().setRandomSeed(11);
                    NDArray noisy = x.add(s.randomNormal(0f, 0.2f, x.getShape(), x.getDataType()));
                    try (GradientCollector gc = s.getEngine().newGradientCollector()) {
                        NDArray out = b.forward(new ParameterStore(s, false), new NDList(noisy), true).singletonOrThrow();
                        gc.backward(out.sub(x).square().mean());
                    }
                    List<float[]> gs = new ArrayList<>();
                    for (var p : b.getParameters()) {
                        NDArray g = p.getValue().getArray().getGradient();
                        gs.add(g.toFloatArray());
                        g.close();
                        ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p.getValue().getArray());
                    }
                    if (prev != null) {
                        for (int i = 0; i < gs.size(); i++) {
                            float[] a = prev.get(i), c = gs.get(i);
                            double maxd = 0; int nd = 0;
                            for (int j = 0; j < a.length; j++) { if (a[j] != c[j]) { nd++; maxd = Math.max(maxd, Math.abs(a[j]-c[j])); } }
                            System.out.println("rep " + rep + " param " + i + " ndiff " + nd + " maxdiff " + maxd);
                        }
                    }
                    prev = gs;
                }
            }
        }
    }
}
