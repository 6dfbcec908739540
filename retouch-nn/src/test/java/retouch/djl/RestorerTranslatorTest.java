package retouch.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.metrics.Psnr;
import retouch.nn.Engines;
import retouch.nn.torchscript.TorchScriptModel;

/** Retouch's exported TorchScript restorers loaded by DJL's Criteria with the Retouch translator. */
class RestorerTranslatorTest {
    static final Path PT = Path.of("src", "test", "resources", "torchscript", "dncnn-gray.pt").toAbsolutePath();

    private static Criteria<Image, Image> criteria(int tile) {
        return Criteria.builder().setTypes(Image.class, Image.class).optModelPath(PT).optEngine("PyTorch")
                .optTranslatorFactory(new RestorerTranslatorFactory()).optArgument("tile", tile).optArgument("overlap", 16)
                .optArgument("channels", 1).build();
    }

    @Test
    void restoresLikeTheNetworkWholeAndInTiles() throws Exception {
        Engines.init();
        Image in = new Image(1, 72, 92);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (int i = 0; i < in.data().length; i++) in.data()[i] = (float) (0.5 + 0.3 * Math.sin(i % 92 / 7.0) + 0.1 * (rng.nextDouble() - 0.5));
        Image whole;
        try (TorchScriptModel ts = TorchScriptModel.load(PT, 1)) {
            whole = ts.forward(in);
        }
        try (ZooModel<Image, Image> m = criteria(128).loadModel(); Predictor<Image, Image> p = m.newPredictor()) {
            Image one = p.predict(in); // one tile
            assertEquals(72, one.height());
            assertEquals(92, one.width());
            assertTrue(Psnr.of(whole.clip(), one.clip()) > 80, "one tile = the network on the whole image: " + Psnr.of(whole.clip(), one.clip()));
        }
        try (ZooModel<Image, Image> m = criteria(48).loadModel(); Predictor<Image, Image> p = m.newPredictor()) {
            Image tiled = p.predict(in); // 3 x 2 tiles, blended
            Image rgb = p.predict(in.withChannels(3)); // a gray network on each channel
            assertEquals(3, rgb.channels());
            assertTrue(Psnr.of(whole.clip(), tiled.clip()) > 35, "tiles blend to nearly the whole-image result: " + Psnr.of(whole.clip(), tiled.clip()));
        }
        Criteria<BufferedImage, BufferedImage> c2 = Criteria.builder().setTypes(BufferedImage.class, BufferedImage.class).optModelPath(PT)
                .optEngine("PyTorch").optTranslatorFactory(new RestorerTranslatorFactory()).build();
        try (ZooModel<BufferedImage, BufferedImage> m = c2.loadModel(); Predictor<BufferedImage, BufferedImage> p = m.newPredictor()) {
            BufferedImage out = p.predict(ImageFiles.toBufferedImage(in.clip(), 8));
            assertEquals(92, out.getWidth());
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, out.getType());
        }
    }
}
