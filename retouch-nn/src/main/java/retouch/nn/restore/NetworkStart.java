package retouch.nn.restore;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import retouch.RetouchException;
import retouch.nn.store.GrayToColour;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.OpponentColourInit;
import retouch.nn.store.UNetDeepening;
import retouch.nn.store.UNetDenoiserGrayToColour;
import retouch.nn.train.StartModel;
import retouch.nn.train.TrainContext;

/**
 * How a restoration network starts from another model's weights (--init-from): fine-tuning,
 * another task on the same network, an RGB network from a gray one ({@link OpponentColourInit},
 * {@link GrayToColour}), a deeper U-Net from a trained one ({@link UNetDeepening}), or the network of a model refined by a fusion head without the head.
 */
final class NetworkStart {

    private NetworkStart() {}

    /** The weights of a colour network made from a gray one ({@link GrayToColour#weights}, {@link OpponentColourInit#weights}). */
    private interface ColourWeights {
        byte[] of(Block gray, ModelMeta to, NDManager manager);
    }

    /** {@link retouch.nn.train.TrainingTask#initialiseFrom} for the restoration networks. */
    static String initialise(TrainContext ctx, StartModel start) {
        ModelMeta to = ctx.modelMeta();
        if (OpponentColourInit.applies(start.meta(), to)) {
            // three times as wide: it starts as the gray network on the opponent colour planes
            fromGray(ctx, start, OpponentColourInit::weights, " (opponent-colour blocks)");
            return start.name() + " (gray, as three opponent-colour blocks)";
        }
        if (GrayToColour.applies(start.meta(), to)) {
            // a colour network from a gray one: it starts as the gray network on the mean of R, G and B
            fromGray(ctx, start, GrayToColour::weights, " (expanded to RGB)");
            return start.name() + " (gray, expanded to RGB)";
        }
        if (EdsrNet.ARCHITECTURE.equals(to.architecture()) && EdsrNet.ARCHITECTURE.equals(start.meta().architecture())
                && start.meta().intParam("scale", 2) != to.intParam("scale", 2)) {
            return anotherScale(ctx, start, to);
        }
        if (UNetDeepening.applies(start.meta(), to)) {
            // more residual blocks per level: the trained ones are copied, the new ones start as identities
            try (LoadedModel src = ModelFile.load(start.location(), null)) {
                UNetDeepening.copyInto(src.block(), ctx.model());
            }
            return start.name() + " (" + start.meta().intParam("blocks", -1) + " residual blocks per level, grown to "
                    + to.intParam("blocks", -1) + "; the new blocks start as identities)";
        }
        if (UNetDenoiser.ARCHITECTURE.equals(to.architecture()) && UNetDenoiser.ARCHITECTURE.equals(start.meta().architecture())
                && start.meta().inputChannels() == 1 && to.inputChannels() == 3) {
            return unetGrayToColour(ctx, start, to);
        }
        start.requireShapeOf(to, " (a gray FFDNet-style model may also start an RGB one of the same depth and the same or three times the width; a U-Net may also start one with more --blocks)");
        if (ModelFile.hasFusionHead(start.meta()) && !ModelFile.hasFusionHead(to)) {
            // a model refined by a fusion head (retouch train fusion): its network starts this run, the head stays out
            try (LoadedModel src = ModelFile.load(start.location(), null)) {
                ModelFile.copyParameters(src.block(), ctx.model());
            }
            return start.name() + " (network, without its fusion head)";
        }
        return start.loadInto(ctx);
    }

    /**
     * A super-resolution network of another factor: everything but the pixel-shuffle tail is
     * copied (the low-resolution features serve every factor; EDSR starts ×4 from ×2 this way),
     * the tail starts afresh.
     */
    private static String anotherScale(TrainContext ctx, StartModel start, ModelMeta to) {
        ModelMeta from = start.meta();
        for (String key : new String[] {"width", "blocks"}) {
            if (from.intParam(key, -1) != to.intParam(key, -1) || from.inputChannels() != to.inputChannels()) {
                throw new RetouchException("--init-from " + start.name() + ": that model has " + from.inputChannels() + " channel(s), width "
                        + from.intParam("width", -1) + " and " + from.intParam("blocks", -1) + " blocks, this run builds " + to.inputChannels()
                        + " channel(s), width " + to.intParam("width", -1) + " and " + to.intParam("blocks", -1) + " blocks; a model of another "
                        + "scale starts this one only with the same channels, width and blocks");
            }
        }
        try (LoadedModel src = ModelFile.load(start.location(), null)) {
            java.util.Map<String, ai.djl.nn.Parameter> source = new java.util.HashMap<>();
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : src.block().getParameters()) source.put(p.getKey(), p.getValue());
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : ctx.model().getParameters()) {
                if (p.getKey().contains("tail")) continue;
                p.getValue().getArray().set(source.get(p.getKey()).getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
            }
        }
        return start.name() + " (x" + from.intParam("scale", 2) + " body; the x" + to.intParam("scale", 2) + " tail starts afresh)";
    }

    /** An RGB U-Net from a gray one ({@link UNetDenoiserGrayToColour}). */
    private static String unetGrayToColour(TrainContext ctx, StartModel start, ModelMeta to) {
        if (!UNetDenoiserGrayToColour.applies(start.meta(), to)) {
            ModelMeta from = start.meta();
            throw new RetouchException("--init-from " + start.name() + ": a gray U-Net starts an RGB one only with the same width, levels and blocks; "
                    + "that model has width " + from.intParam("width", -1) + ", " + from.intParam("levels", -1) + " levels, "
                    + from.intParam("blocks", -1) + " blocks, this run builds width " + to.intParam("width", -1) + ", "
                    + to.intParam("levels", -1) + " levels, " + to.intParam("blocks", -1) + " blocks");
        }
        try (LoadedModel src = ModelFile.load(start.location(), null)) {
            UNetDenoiserGrayToColour.copyInto(src.block(), ctx.model());
        }
        return start.name() + " (gray U-Net, expanded to RGB)";
    }

    private static void fromGray(TrainContext ctx, StartModel start, ColourWeights colour, String what) {
        NDManager manager = ctx.manager();
        try (LoadedModel gray = ModelFile.load(start.location(), null); NDManager m = manager.newSubManager()) {
            byte[] weights = colour.of(ModelFile.networkOnly(gray, m), ctx.modelMeta(), manager);
            ModelFile.replaceParameters(ctx.model(), manager, weights, ctx.modelMeta(), start.location() + what, true);
        }
    }
}
