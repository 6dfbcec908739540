package retouch.nn.restore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import java.util.function.UnaryOperator;
import retouch.RetouchException;
import retouch.data.ImageFolder;
import retouch.image.Grids;
import retouch.image.Image;
import retouch.metrics.Psnr;
import retouch.nn.store.Architectures;
import retouch.nn.store.ModelMeta;
import retouch.nn.train.Adam;
import retouch.nn.train.LrSchedule;
import retouch.nn.train.StepContext;
import retouch.nn.train.TrainContext;

/**
 * What every restoration training shares: the network, Adam on a cosine schedule, the held-out
 * split, and a step of regression to clean pixels.
 */
record TrainingSetup(ModelMeta meta, Block block, Adam adam) {

    /** Builds the network for {@code meta}, its optimiser, and registers both for checkpoints. */
    static TrainingSetup create(TrainContext ctx, ModelMeta meta, float lr, float lrMin, long steps) {
        Block block = Architectures.buildInitialized(meta, ctx.manager());
        Adam adam = Adam.builder().optLearningRate(ctx.schedule(LrSchedule.cosine(lr, lrMin, steps))).build(block);
        ctx.setModel(meta, block).addOptimizer("adam", adam);
        return new TrainingSetup(meta, block, adam);
    }

    /** The network as validation and sample strips run it: 256-pixel tiles, no folded copy (the weights still change). */
    Denoiser denoiser(NDManager manager) {
        return new Denoiser(block, meta, manager, 256, false);
    }

    /** Whether image {@code i} of the folder is held out for validation (every {@code valEvery}-th). */
    static boolean heldOut(int i, int valEvery) {
        return valEvery > 0 && i % valEvery == valEvery - 1;
    }

    /**
     * Reads the folder's images with {@code channels} channels: the held-out ones (with their index)
     * go to {@code validation}, those at least {@code patch} pixels on each side to {@code training}.
     *
     * @throws RetouchException when no image is large enough to train on
     */
    static void readImages(ImageFolder folder, int channels, int valEvery, int patch, ObjIntConsumer<Image> validation,
                           Consumer<Image> training) {
        int trained = 0;
        for (int i = 0; i < folder.size(); i++) {
            Image im = folder.read(i).withChannels(channels);
            if (heldOut(i, valEvery)) {
                validation.accept(im, i);
            } else if (im.height() >= patch && im.width() >= patch) {
                training.accept(im);
                trained++;
            }
        }
        if (trained == 0) {
            throw new RetouchException(folder.root() + ": no training image is at least " + patch + " pixels on each side");
        }
    }

    /**
     * One optimisation step: {@code loss} of the block's output for {@code inputs}, its gradient,
     * an {@code adam} update.
     *
     * @return the metrics every restoration training logs: the loss and the learning rate
     */
    static Map<String, Float> descend(StepContext ctx, Block block, NDList inputs, boolean training, UnaryOperator<NDArray> loss,
                                      Adam adam) {
        float value;
        try (GradientCollector gc = ctx.newGradientCollector()) {
            NDArray l = loss.apply(block.forward(ctx.parameterStore(), inputs, training).singletonOrThrow());
            gc.backward(l);
            value = l.getFloat();
        }
        adam.update();
        Map<String, Float> metrics = new LinkedHashMap<>();
        metrics.put("loss", value);
        metrics.put("lr", adam.lastLearningRate());
        return metrics;
    }

    /** The sample strip of a run: the damaged input, this step's result and the clean image, with their PSNR. */
    static void writeStrip(Path file, long step, Image clean, String inputName, Image input, Image restored) throws IOException {
        Grids.writeStrip(List.of(input, restored, clean),
                List.of(String.format("%s %.2f dB", inputName, Psnr.of(clean, input)),
                        String.format("step %d %.2f dB", step, Psnr.of(clean, restored)), "clean"), file);
    }
}
