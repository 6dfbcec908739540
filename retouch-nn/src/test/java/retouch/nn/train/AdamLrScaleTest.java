package retouch.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import retouch.nn.SeededManager;

/** Per-parameter learning-rate scales: 0 freezes, ½ halves Adam's first step (whose size is the rate itself). */
class AdamLrScaleTest {

    @Test
    void scaledParametersStepByTheirShareOfTheRate() {
        try (NDManager m = SeededManager.open(2)) {
            SequentialBlock net = new SequentialBlock().add(Linear.builder().setUnits(3).build()).add(Linear.builder().setUnits(1).build());
            net.initialize(m, DataType.FLOAT32, new Shape(4, 5));
            Adam adam = Adam.builder().optLearningRate(0.01f)
                    .optLrScale(name -> name.startsWith("01"), 0.5f)
                    .optLrScale(name -> name.startsWith("02") && name.endsWith("bias"), 0f)
                    .build(net);
            java.util.Map<String, float[]> before = new java.util.HashMap<>();
            for (Pair<String, Parameter> p : net.getParameters()) before.put(p.getKey(), p.getValue().getArray().toFloatArray());
            NDArray x = m.randomNormal(new Shape(4, 5));
            try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                gc.backward(net.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow().sum());
            }
            adam.update();
            for (Pair<String, Parameter> p : net.getParameters()) {
                float[] now = p.getValue().getArray().toFloatArray(), was = before.get(p.getKey());
                float want = p.getKey().startsWith("01") ? 0.005f : p.getKey().endsWith("bias") ? 0f : 0.01f;
                for (int i = 0; i < now.length; i++) {
                    // Adam's first step is lr · sign(gradient) wherever the gradient is not ~0
                    float step = Math.abs(now[i] - was[i]);
                    if (step > 1e-7f || want == 0f) assertEquals(want, step, 1e-4f, p.getKey() + "[" + i + "]");
                }
            }
            assertThrows(IllegalArgumentException.class, () -> Adam.builder().optLrScale(n -> true, -1f));
        }
    }
}
