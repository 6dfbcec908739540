package retouch.data;

import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.Resize;

/**
 * A folder of photos as training images for generators: each centre-cropped to a square, resized
 * to {@code size} (area when shrinking, bicubic when enlarging) and made gray or RGB, as one
 * float array (N×C×size×size, values in [0,1]).
 *
 * @param pixels the images, row-major, one after the other
 * @param count  how many images
 */
public record SquareImages(float[] pixels, int count, int channels, int size) {

    /** The first {@code limit} images of {@code folder} (its sorted order). */
    public static SquareImages load(ImageFolder folder, int size, int channels, int limit) {
        if (channels != 1 && channels != 3) throw new RetouchException("channels must be 1 (gray) or 3 (RGB), got " + channels);
        int count = Math.min(folder.size(), limit);
        if (count == 0) throw new RetouchException(folder.root() + " has no images");
        int plane = size * size * channels;
        float[] px = new float[count * plane];
        for (int i = 0; i < count; i++) {
            Image im = folder.read(i).withChannels(channels);
            int side = Math.min(im.height(), im.width());
            im = im.crop((im.height() - side) / 2, (im.width() - side) / 2, side, side);
            if (side != size) im = Resize.resize(im, size, size, side > size ? Resize.Method.AREA : Resize.Method.BICUBIC).clip();
            System.arraycopy(im.data(), 0, px, i * plane, plane);
        }
        return new SquareImages(px, count, channels, size);
    }
}
