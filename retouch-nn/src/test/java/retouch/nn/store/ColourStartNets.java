package retouch.nn.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import retouch.nn.restore.DenoiseTraining;

/** Small FFDNet-style networks for the tests of colour networks made from gray ones. */
final class ColourStartNets {
    private ColourStartNets() {}

    /** Depth 4, the given channels and width. */
    static ModelMeta meta(int channels, int width) {
        return DenoiseTraining.meta(new DenoiseTraining.Config("ffdnet", channels, 4, width, 32, 4, 0, 55, 1e-3f, 1e-5f, 10, "l2", 0, "test"));
    }

    /** A rule that derives a colour network's starting weights from a gray network ({@link GrayToColour}, {@link OpponentColourInit}). */
    @FunctionalInterface
    interface ColourStart {
        byte[] weights(Block gray, ModelMeta colourMeta, NDManager m);
    }

    /** A colour network of {@code colourMeta} whose weights {@code start} derives from {@code gray}. */
    static Block colourFrom(Block gray, ModelMeta colourMeta, NDManager m, ColourStart start) {
        Block colour = Architectures.buildInitialized(colourMeta, m);
        ModelFile.replaceParameters(colour, m, start.weights(gray, colourMeta, m), colourMeta, "test", false);
        return colour;
    }

    /** A gray network with trained-looking BatchNorm statistics, so that copying them matters. */
    static Block grayWithTrainedStatistics(ModelMeta grayMeta, NDManager m) {
        Block gray = Architectures.buildInitialized(grayMeta, m);
        for (Pair<String, Parameter> p : gray.getParameters()) {
            NDArray a = p.getValue().getArray();
            if (p.getKey().endsWith("runningVar")) a.set(m.randomUniform(0.5f, 2f, a.getShape()).toFloatArray());
            if (p.getKey().endsWith("runningMean")) a.set(m.randomNormal(0f, 0.1f, a.getShape(), DataType.FLOAT32).toFloatArray());
        }
        return gray;
    }
}
