package retouch.nn.inpaint;

import retouch.restore.RestoreParams;
import retouch.image.Image;
import retouch.nn.restore.Restoration;
import retouch.nn.restore.RestoreSettings;
import retouch.nn.restore.ModelFileRestorer;
import retouch.nn.store.LoadedModel;

/**
 * A GAN-trained U-Net as a {@link Restorer}: inpainting (the mask comes in
 * {@link RestoreParams#mask()}; pixels outside it are returned unchanged) or GAN deblurring. Open it with
 * {@link retouch.nn.restore.Restorers#open}.
 */
public final class UNetRestorer extends ModelFileRestorer {
    private final Inpainter inpainter;

    /** Runs {@code loaded} (which it owns); open models with {@link retouch.nn.restore.Restorers#open}. */
    public UNetRestorer(LoadedModel loaded, String name, RestoreSettings settings) {
        super(loaded, name, settings, "inpaint");
        if (!(loaded.block() instanceof UNet)) {
            throw new retouch.RetouchException("model " + name + " is a '" + loaded.meta().architecture() + "' model, but "
                    + task() + " runs a " + UNet.ARCHITECTURE + "; fix its model.json 'tasks' or pick another model");
        }
        this.inpainter = new Inpainter((UNet) loaded.block(), loaded.meta(), loaded.manager(), tile);
        inpainter(settings); // settings the model cannot take fail at open, not at the first image
    }

    /**
     * The inpainter run as {@code s} says: the ensemble from the settings; else one pass for
     * {@code fast}, all eight flips and turns for {@code max}, model.json's {@code ensemble} for {@code auto}.
     */
    private Inpainter inpainter(RestoreSettings s) {
        return inpainter.configured(s.tileOr(tile), s.ensembleUpToEight(loaded.meta()), s.inpaintScalesOr3());
    }

    @Override
    public Restoration restore(Image degraded, RestoreParams params, RestoreSettings s) {
        Inpainter in = inpainter(s);
        return Restoration.of(task().equals("inpaint") ? in.inpaint(degraded, params == null ? null : params.mask()) : in.restore(degraded));
    }

    @Override
    public long passes(Image image, RestoreSettings s) {
        return inpainter(s).passes(image);
    }

    @Override
    public void onTile(Runnable listener) {
        inpainter.onTile(listener);
    }

}
