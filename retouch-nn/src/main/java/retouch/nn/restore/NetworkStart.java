package retouch.nn.restore;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import retouch.nn.store.GrayToColour;
import retouch.nn.store.LoadedModel;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;
import retouch.nn.store.OpponentColourInit;
import retouch.nn.train.StartModel;
import retouch.nn.train.TrainContext;

/**
 * How a restoration network starts from another model's weights (--init-from): fine-tuning,
 * another task on the same network, an RGB network from a gray one ({@link OpponentColourInit},
 * {@link GrayToColour}), or the network of a model refined by a fusion head without the head.
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
        start.requireShapeOf(to, " (a gray FFDNet-style model may also start an RGB one of the same depth and the same or three times the width)");
        if (ModelFile.hasFusionHead(start.meta()) && !ModelFile.hasFusionHead(to)) {
            // a model refined by a fusion head (retouch train fusion): its network starts this run, the head stays out
            try (LoadedModel src = ModelFile.load(start.location(), null)) {
                ModelFile.copyParameters(src.block(), ctx.model());
            }
            return start.name() + " (network, without its fusion head)";
        }
        return start.loadInto(ctx);
    }

    private static void fromGray(TrainContext ctx, StartModel start, ColourWeights colour, String what) {
        NDManager manager = ctx.manager();
        try (LoadedModel gray = ModelFile.load(start.location(), null); NDManager m = manager.newSubManager()) {
            byte[] weights = colour.of(ModelFile.networkOnly(gray, m), ctx.modelMeta(), manager);
            ModelFile.replaceParameters(ctx.model(), manager, weights, ctx.modelMeta(), start.location() + what, true);
        }
    }
}
