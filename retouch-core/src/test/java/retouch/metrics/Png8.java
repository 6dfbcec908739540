package retouch.metrics;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import retouch.image.Image;

/** Test helper: reads 8-bit PNGs with plain javax.imageio (gray → value/255; RGB → 3 channels). */
public final class Png8 {
    private Png8() {}

    public static final Path SET12 = Path.of("/work/shared/data/set12");
    public static final Path TRAIN400 = Path.of("/work/shared/data/train400");

    public static Image read(Path p) {
        try {
            return of(ImageIO.read(p.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Image resource(String name) {
        try (InputStream in = Png8.class.getResourceAsStream("/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return of(ImageIO.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Image of(BufferedImage bi) {
        Raster r = bi.getRaster();
        int h = bi.getHeight(), w = bi.getWidth(), bands = r.getNumBands();
        int c = bands >= 3 ? 3 : 1;
        Image im = new Image(c, h, w);
        float[] d = im.data();
        int n = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) d[k * n + y * w + x] = r.getSample(x, y, k) / 255f;
            }
        }
        return im;
    }

    public static boolean exists(Path p) {
        return Files.isRegularFile(p) || Files.isDirectory(p);
    }
}
