package retouch.nn.train;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DebugNanTest {
    @Test
    void debug() throws Exception {
        Path dir = Files.createTempDirectory("dbg");
        DenoiseTask t = new DenoiseTask() {
            @Override
            public java.util.Map<String, Float> step(StepContext ctx) {
                var r = super.step(ctx);
                double norm = 0;
                for (var p : block.getParameters()) {
                    float[] f = p.getValue().getArray().toFloatArray();
                    for (float v : f) norm += v * v;
                }
                System.out.println("step " + ctx.step() + " " + r + " wnorm " + norm);
                return r;
            }
        };
        try {
            Trainer.builder().setRunDir(dir).setSteps(15).optSeed(42).optCheckpointEvery(Long.getLong("ck", 1000)).optQuiet(true).optShutdownHook(false).build().fit(t);
        } catch (Exception e) {
            System.out.println(e);
        }
    }
}
