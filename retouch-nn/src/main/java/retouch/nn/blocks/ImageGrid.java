package retouch.nn.blocks;

import ai.djl.ndarray.types.Shape;

/**
 * The coarsest feature grid of the small-image generators and encoders (DCGAN, VAE): 28-pixel
 * images come down to 7×7 in two ×2 stages, 32- and 64-pixel ones to 4×4 in three or four.
 *
 * @param size the image side
 * @param side the grid's side
 * @param stages the ×2 resolution steps between the grid and the image
 */
public record ImageGrid(int size, int side, int stages) {

    /**
     * The grid of {@code size}-pixel images.
     *
     * @param model what the error for another size calls the network ("GAN", "VAE")
     */
    public static ImageGrid of(int size, String model) {
        if (size != 28 && size != 32 && size != 64) {
            throw new IllegalArgumentException(model + " image size must be 28, 32 or 64, got " + size);
        }
        int side = size == 28 ? 7 : 4;
        return new ImageGrid(size, side, Integer.numberOfTrailingZeros(size / side));
    }

    /** Values in a {@code channels}-deep grid. */
    public long units(int channels) {
        return (long) channels * side * side;
    }

    /** A batch of {@code n} {@code channels}-deep grids. */
    public Shape shape(long n, int channels) {
        return new Shape(n, channels, side, side);
    }
}
