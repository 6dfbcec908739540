package retouch.nn.train;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DebugTest {
    @Test
    void debug() throws Exception {
        retouch.nn.Engines.init();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        Path dir = Files.createTempDirectory("dbg");
        DenoiseTask t = new DenoiseTask() {
            @Override
            public java.util.Map<String, Float> step(StepContext ctx) {
                if (ctx.step() == 11 && Boolean.getBoolean("saveadam")) {
                    try { adam.save(new java.io.ByteArrayOutputStream()); } catch (Exception e) { throw new RuntimeException(e); }
                }
                if (ctx.step() == 11 && Boolean.getBoolean("encw")) {
                    for (var p : block.getParameters()) p.getValue().getArray().encode();
                }
                if (ctx.step() == 11 && Boolean.getBoolean("wi")) {
                    try { retouch.nn.store.ModelFile.writeInto(Files.createTempDirectory("wi"), retouch.nn.TinyCnn.meta(1, 8), block); } catch (Exception e) { throw new RuntimeException(e); }
                }
                if (ctx.step() == 11 && Boolean.getBoolean("curve")) {
                    try { TrainLog l = new TrainLog(Files.createTempDirectory("c").resolve("a.csv"), Files.createTempDirectory("c").resolve("a.png")); l.add(1, 1, java.util.Map.of("loss", 1f), 1); l.add(2, 1, java.util.Map.of("loss", 0.5f), 1); l.writeCurve(); } catch (Exception e) { throw new RuntimeException(e); }
                }
                var r = super.step(ctx);
                System.out.println("step " + ctx.step() + " " + r.get("loss"));
                return r;
            }
        };
        try {
            Trainer.builder().setRunDir(dir).setSteps(14).optSeed(42).optCheckpointEvery(Long.getLong("ck", 1000)).optQuiet(true).optShutdownHook(false).build().fit(t);
        } catch (Exception e) {
            System.out.println(e);
        }
    }
}
