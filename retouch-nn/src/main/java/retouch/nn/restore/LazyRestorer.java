package retouch.nn.restore;

import java.util.function.Consumer;
import java.util.function.Supplier;
import retouch.RetouchException;

/**
 * A second restorer a restorer needs only sometimes (the colour model of a colour route, the
 * denoiser of blind deblurring): opened on first use, at most once, and told the tile listener
 * whenever it is set. When it cannot be opened, {@code onMissing} hears why once and {@link #get}
 * returns {@code null} from then on.
 */
final class LazyRestorer implements AutoCloseable {
    private final Supplier<Restorer> opener;
    private final Consumer<RetouchException> onMissing;
    private Restorer restorer;
    private boolean tried;
    private Runnable tileListener;

    LazyRestorer(Supplier<Restorer> opener, Consumer<RetouchException> onMissing) {
        this.opener = opener;
        this.onMissing = onMissing;
    }

    /** The restorer, opened now if this is the first call; {@code null} when it could not be opened. */
    synchronized Restorer get() {
        if (!tried) {
            tried = true;
            try {
                restorer = opener.get();
                if (tileListener != null) restorer.onTile(tileListener);
            } catch (RetouchException e) {
                onMissing.accept(e);
            }
        }
        return restorer;
    }

    synchronized void onTile(Runnable listener) {
        tileListener = listener;
        if (restorer != null) restorer.onTile(listener);
    }

    @Override
    public synchronized void close() {
        if (restorer != null) restorer.close();
    }
}
