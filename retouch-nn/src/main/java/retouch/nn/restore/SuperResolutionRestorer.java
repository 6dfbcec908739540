package retouch.nn.restore;

import retouch.image.Image;
import retouch.nn.store.LoadedModel;
import retouch.restore.RestoreParams;

/**
 * Super-resolution by a low-resolution network ({@link EdsrNet}, run by a {@link SuperResolver}).
 * Quality: {@code fast} and {@code auto} run one pass (or model.json's {@code ensemble});
 * {@code max} runs the eight flips and quarter turns (about 8× the time, +0.05–0.1 dB).
 */
public final class SuperResolutionRestorer extends ModelFileRestorer {
    private final SuperResolver resolver;

    public SuperResolutionRestorer(LoadedModel loaded, String name, RestoreSettings settings) {
        super(loaded, name, settings, "sr" + loaded.meta().intParam("scale", 2));
        this.resolver = new SuperResolver(loaded.block(), loaded.meta(), loaded.manager(), tile, settings.ensembleUpToEight(loaded.meta()));
    }

    private SuperResolver resolver(RestoreSettings s) {
        return resolver.configured(s.tileOr(tile), s.ensembleUpToEight(loaded.meta()));
    }

    @Override
    public Restoration restore(Image degraded, RestoreParams params, RestoreSettings s) {
        return Restoration.of(resolver(s).apply(degraded).clip());
    }

    @Override
    public long passes(Image image, RestoreSettings s) {
        return resolver(s).passes(image.channels(), image.height(), image.width());
    }

    @Override
    public void onTile(Runnable listener) {
        resolver.onTile(listener);
    }
}
