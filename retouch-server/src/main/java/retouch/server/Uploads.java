package retouch.server;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.imageio.ImageIO;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.image.ImageInfo;
import retouch.image.LoadedImage;
import retouch.image.ReadOptions;

/**
 * Uploaded images: header checks before any decoding (format, size, pixel budget), decoding with
 * the same checks as the command line, and PNG encoding of results. Error messages name the
 * upload, never the server's temporary file.
 */
final class Uploads {
    private Uploads() {}

    /**
     * The header facts of an uploaded image, refusing empty files, non-images and images above
     * {@code maxPixels} before decoding.
     */
    static ImageInfo probe(Multipart.Upload u, long maxPixels) {
        if (u.size() == 0) {
            throw ApiException.badRequest("empty_image", u.describe() + " is empty (0 bytes); choose an image file");
        }
        ImageInfo info;
        try {
            info = ImageFiles.probe(u.path());
        } catch (RetouchException e) {
            throw ApiException.badRequest("bad_image", clean(e, u));
        }
        if (info.pixels() > maxPixels) {
            throw new ApiException(413, "image_too_large", String.format(Locale.ROOT,
                    "%s is %dx%d (%.1f megapixels), above this server's limit of %.1f megapixels; send a smaller image",
                    u.describe(), info.width(), info.height(), info.megapixels(), maxPixels / 1e6));
        }
        return info;
    }

    /** Decodes an upload, alpha flattened onto {@code background} (1 white, 0 black). */
    static Image read(Multipart.Upload u, long maxPixels, float background) {
        try {
            ReadOptions o = ReadOptions.defaults().withMaxPixels(maxPixels).withBackground(background);
            LoadedImage li = ImageFiles.readWithAlpha(u.path(), o);
            return li.hasAlpha() ? ImageFiles.read(u.path(), o) : li.image();
        } catch (RetouchException e) {
            throw ApiException.badRequest("bad_image", clean(e, u));
        }
    }

    private static String clean(RetouchException e, Multipart.Upload u) {
        String m = String.valueOf(e.getMessage()).replace(u.path().toString(), u.describe());
        return m.replace(" (relative paths start at " + java.nio.file.Path.of("").toAbsolutePath() + ")", "");
    }

    /** An 8- or 16-bit PNG of {@code im}. */
    static byte[] png(Image im, int bitDepth) {
        BufferedImage bi = ImageFiles.toBufferedImage(im, bitDepth);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, im.pixels() * im.channels() / 2));
        try {
            if (!ImageIO.write(bi, "png", out)) throw new IOException("no PNG encoder in this Java runtime");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
