package retouch.djl;

import ai.djl.Model;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.awt.image.BufferedImage;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;
import retouch.image.Image;
import retouch.image.ImageFiles;

/**
 * Makes {@link RestorerTranslator}s for DJL's {@code Criteria}: Retouch {@link Image} or Java2D
 * {@link BufferedImage} in and out.
 *
 * <pre>{@code
 * Criteria<BufferedImage, BufferedImage> criteria = Criteria.builder()
 *         .setTypes(BufferedImage.class, BufferedImage.class)
 *         .optModelPath(Path.of("denoise-gray-s25.pt"))     // retouch models export-torchscript denoise-gray -o ... --sigma 25
 *         .optEngine("PyTorch")
 *         .optTranslatorFactory(new RestorerTranslatorFactory())
 *         .optArgument("tile", 256).optArgument("channels", 1)
 *         .build();
 * try (ZooModel<BufferedImage, BufferedImage> model = criteria.loadModel();
 *      Predictor<BufferedImage, BufferedImage> p = model.newPredictor()) {
 *     BufferedImage clean = p.predict(noisy);
 * }
 * }</pre>
 *
 * <p>Arguments: {@code tile} (default 256), {@code overlap} (32), {@code multiple} (the network's
 * size multiple, default 4: enough for Retouch's FFDNet and DnCNN exports), {@code channels} (1 or 3
 * for the network's input, default 0: those of each image; a gray network restores RGB photos
 * channel by channel).
 */
public final class RestorerTranslatorFactory implements TranslatorFactory {
    private static final Set<Pair<Type, Type>> TYPES = Set.of(new Pair<>(Image.class, Image.class), new Pair<>(BufferedImage.class, BufferedImage.class));

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return TYPES;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model, Map<String, ?> arguments) {
        RestorerTranslator t = new RestorerTranslator(intArg(arguments, "tile", 256), intArg(arguments, "overlap", 32),
                intArg(arguments, "multiple", 4), intArg(arguments, "channels", 0));
        if (input == Image.class && output == Image.class) return (Translator<I, O>) t;
        if (input == BufferedImage.class && output == BufferedImage.class) return (Translator<I, O>) new Java2D(t);
        throw new IllegalArgumentException("RestorerTranslatorFactory restores retouch.image.Image or BufferedImage, not " + input + " -> " + output);
    }

    private static int intArg(Map<String, ?> a, String key, int def) {
        Object v = a == null ? null : a.get(key);
        if (v == null) return def;
        return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
    }

    /** BufferedImage in and out; 16-bit input gives 16-bit output, gray stays gray. */
    private record Java2D(RestorerTranslator inner) implements ai.djl.translate.NoBatchifyTranslator<BufferedImage, BufferedImage> {
        private static final String BITS = "retouch.bits";

        @Override
        public ai.djl.ndarray.NDList processInput(ai.djl.translate.TranslatorContext ctx, BufferedImage in) throws Exception {
            ctx.setAttachment(BITS, in.getColorModel().getComponentSize(0) > 8 ? 16 : 8);
            return inner.processInput(ctx, ImageFiles.fromBufferedImage(in));
        }

        @Override
        public BufferedImage processOutput(ai.djl.translate.TranslatorContext ctx, ai.djl.ndarray.NDList list) throws Exception {
            return ImageFiles.toBufferedImage(inner.processOutput(ctx, list).clip(), (Integer) ctx.getAttachment(BITS));
        }
    }
}
