package retouch.nn.restore;

import retouch.restore.RestoreParams;
import retouch.image.Image;
import retouch.nn.store.ModelMeta;

/**
 * Sends RGB photos to a task's colour model and everything else to its gray model (denoise:
 * denoise-color and denoise-gray). The colour model is opened on the first RGB photo; when it is
 * not installed, RGB photos stay with the gray model (which restores them per opponent-colour
 * plane or channel) and a note says so once.
 */
public final class ColourRoutedRestorer implements Restorer {
    private final Restorer gray;
    private final LazyRestorer colour;

    ColourRoutedRestorer(Restorer gray, String colourName) {
        this.gray = gray;
        this.colour = new LazyRestorer(() -> Restorers.open(colourName, gray.settings()),
                e -> System.err.println("note: colour photos go to " + gray.name() + " (per opponent-colour plane): " + e.getMessage()));
    }

    /** The restorer for {@code image}: the colour model for RGB photos when it opens, else the gray one. */
    private Restorer forImage(Image image) {
        if (image.channels() != 3) return gray;
        Restorer c = colour.get();
        return c == null ? gray : c;
    }

    @Override
    public String name() {
        return gray.name();
    }

    @Override
    public String task() {
        return gray.task();
    }

    @Override
    public String nameFor(Image image) {
        return forImage(image).name();
    }

    @Override
    public RestoreSettings settings() {
        return gray.settings();
    }

    @Override
    public ModelMeta meta() {
        return gray.meta();
    }

    @Override
    public Restoration restore(Image degraded, RestoreParams params, RestoreSettings settings) {
        return forImage(degraded).restore(degraded, params, settings);
    }

    @Override
    public Image denoiseAsPrior(Image x, double level255) {
        return forImage(x).denoiseAsPrior(x, level255);
    }

    @Override
    public long passes(Image image, RestoreSettings settings) {
        return forImage(image).passes(image, settings);
    }

    @Override
    public void onTile(Runnable listener) {
        gray.onTile(listener);
        colour.onTile(listener);
    }

    @Override
    public void close() {
        gray.close();
        colour.close();
    }
}
