package retouch.degrade;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.SplittableRandom;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import retouch.image.Image;

/**
 * JPEG compression artefacts (the JPEG deblocking task of ARCNN/DnCNN-3/FBCNN): the image is
 * rounded to 8 bits, encoded in memory with the JDK's baseline JPEG writer at quality
 * {@code q} (1–100, libjpeg's IJG quality scale; RGB uses YCbCr 4:2:0) and decoded again.
 */
public final class JpegCompression implements Degradation {
    private final int quality;

    public JpegCompression(int quality) {
        if (quality < 1 || quality > 100) throw new IllegalArgumentException("JPEG quality must be in 1..100, got " + quality);
        this.quality = quality;
    }

    public int quality() { return quality; }

    @Override
    public Image apply(Image clean, SplittableRandom rng) {
        return roundTrip(clean, quality);
    }

    /** Encodes and decodes {@code im} at the given quality. */
    public static Image roundTrip(Image im, int quality) {
        int h = im.height(), w = im.width(), n = h * w;
        float[] d = im.data();
        BufferedImage bi;
        if (im.isGray()) {
            bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] px = new byte[n];
            for (int i = 0; i < n; i++) px[i] = (byte) to8(d[i]);
            bi.getRaster().setDataElements(0, 0, w, h, px);
        } else {
            bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] px = new int[n];
            for (int i = 0; i < n; i++) px[i] = (to8(d[i]) << 16) | (to8(d[n + i]) << 8) | to8(d[2 * n + i]);
            bi.setRGB(0, 0, w, h, px, 0, w);
        }
        byte[] bytes;
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        if (!it.hasNext()) throw new IllegalStateException("no JPEG writer in this JDK");
        ImageWriter writer = it.next();
        try (ByteArrayOutputStream bos = new ByteArrayOutputStream();
             MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(bos)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(bi, null, null), p);
            ios.flush();
            bytes = bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        BufferedImage back;
        try {
            back = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Image out = new Image(im.channels(), h, w);
        float[] o = out.data();
        if (im.isGray()) {
            int[] px = back.getRaster().getPixels(0, 0, w, h, (int[]) null);
            int nb = back.getRaster().getNumBands();
            for (int i = 0; i < n; i++) o[i] = px[i * nb] / 255f;
        } else {
            int[] px = back.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < n; i++) {
                o[i] = ((px[i] >> 16) & 255) / 255f;
                o[n + i] = ((px[i] >> 8) & 255) / 255f;
                o[2 * n + i] = (px[i] & 255) / 255f;
            }
        }
        return out;
    }

    private static int to8(float v) {
        int q = Math.round(v * 255f);
        return q < 0 ? 0 : (q > 255 ? 255 : q);
    }

    @Override
    public String spec() { return "jpeg:" + quality; }

    @Override
    public String toString() { return spec(); }
}
