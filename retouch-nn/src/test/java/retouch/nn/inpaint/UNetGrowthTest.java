package retouch.nn.inpaint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import retouch.RetouchException;
import retouch.nn.SeededManager;
import retouch.nn.store.ModelMeta;

/** Bottom blocks: old parameter names kept, growth starts as the trained network, the new blocks learn and see the whole tile. */
class UNetGrowthTest {

    private static ModelMeta meta(int blocks, String kind) {
        ModelMeta.Builder b = ModelMeta.builder(UNet.ARCHITECTURE).channels(1, 1).hyper("levels", 2).hyper("width", 16).hyper("mask", true);
        if (blocks > 0) b.hyper("bottom_blocks", blocks).hyper("bottom_kind", kind);
        return b.valueRange(0, 1).tasks("inpaint").build();
    }

    private static UNet net(NDManager m, int blocks, BottomBlock.Kind kind) {
        UNet u = new UNet(1, 2, 16, true, blocks, kind);
        u.initialize(m, DataType.FLOAT32, new Shape(1, 1, 16, 16), new Shape(1, 1, 16, 16));
        return u;
    }

    @Test
    void growthRules() {
        assertTrue(UNetGrowth.applies(meta(0, null), meta(2, "ffc")));
        assertTrue(UNetGrowth.applies(meta(1, "dilated"), meta(2, "dilated")));
        assertFalse(UNetGrowth.applies(meta(1, "dilated"), meta(2, "ffc")), "another kind is not a growth");
        assertFalse(UNetGrowth.applies(meta(2, "ffc"), meta(2, "ffc")), "the same count is plain fine-tuning");
        assertThrows(RetouchException.class, () -> BottomBlock.Kind.of("fourier"));
    }

    @Test
    void grownNetworkStartsAsTheTrainedOneAndItsBlocksLearn() {
        for (BottomBlock.Kind kind : BottomBlock.Kind.values()) {
            try (NDManager m = SeededManager.open(7)) {
                UNet trained = net(m, 0, kind);
                UNet grown = net(m, 2, kind);
                Set<String> old = new HashSet<>();
                for (Pair<String, Parameter> p : trained.getParameters()) old.add(p.getKey());
                int added = 0;
                for (Pair<String, Parameter> p : grown.getParameters()) if (!old.contains(p.getKey())) added++;
                assertEquals(old.size() + added, grown.getParameters().size());
                assertTrue(added > 0 && grown.getParameters().keys().containsAll(old), kind + ": every old parameter name is kept");

                NDArray image = m.randomUniform(0f, 1f, new Shape(2, 1, 32, 24));
                NDArray mask = m.zeros(new Shape(2, 1, 32, 24));
                mask.set(new ai.djl.ndarray.index.NDIndex(":, :, 8:20, 4:16"), 1f);
                ParameterStore ps = new ParameterStore(m, false);
                NDArray want = trained.forward(ps, new NDList(image, mask), false).singletonOrThrow();
                UNetGrowth.copyInto(trained, grown);
                float diff = grown.forward(ps, new NDList(image, mask), false).singletonOrThrow().sub(want).abs().max().getFloat();
                assertTrue(diff < 1e-5f, kind + ": the grown network must fill as the trained one, differs by " + diff);

                for (Pair<String, Parameter> p : grown.getParameters()) p.getValue().getArray().setRequiresGradient(true);
                try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    NDArray out = grown.forward(new ParameterStore(m, false), new NDList(image, mask), true).singletonOrThrow();
                    gc.backward(out.sub(image).square().mean());
                }
                int outs = 0;
                for (Pair<String, Parameter> p : grown.getParameters()) {
                    if (!UNetGrowth.isBottomBlock(p.getKey()) || !UNetGrowth.isAddedOutput(p.getKey())) continue;
                    outs++;
                    NDArray w = p.getValue().getArray();
                    assertEquals(0f, w.abs().max().getFloat(), p.getKey() + " starts at zero");
                    assertTrue(w.getGradient().abs().max().getFloat() > 0f, p.getKey() + " gets a gradient");
                }
                assertEquals(4, outs, kind + ": two blocks, each with an added output's weight and bias");
            }
        }
    }

    @Test
    void aFourierBlockSeesTheWholeTile() {
        try (NDManager m = SeededManager.open(8)) {
            BottomBlock ffc = new BottomBlock(BottomBlock.Kind.FFC, 16);
            ffc.initialize(m, DataType.FLOAT32, new Shape(1, 16, 12, 12));
            BottomBlock dil = new BottomBlock(BottomBlock.Kind.DILATED, 16);
            dil.initialize(m, DataType.FLOAT32, new Shape(1, 16, 12, 12));
            NDArray x = m.randomNormal(new Shape(1, 16, 24, 24));
            NDArray far = x.duplicate();
            far.set(new ai.djl.ndarray.index.NDIndex("0, :, 23, 23"), 5f); // one far corner changed
            ParameterStore ps = new ParameterStore(m, false);
            for (BottomBlock b : new BottomBlock[] {ffc, dil}) {
                NDArray a = b.forward(ps, new NDList(x), false).singletonOrThrow();
                NDArray c = b.forward(ps, new NDList(far), false).singletonOrThrow();
                float atOrigin = a.get("0, :, 0, 0").sub(c.get("0, :, 0, 0")).abs().max().getFloat();
                if (b == ffc) assertTrue(atOrigin > 1e-5f, "a Fourier block's output at (0,0) depends on (23,23)");
                else assertEquals(0f, atOrigin, 0f, "dilated convolutions 2 and 8 do not reach 23 pixels away");
            }
        }
    }
}
