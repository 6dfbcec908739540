package retouch.nn.restore;

/** Opens a shipped model with restore settings (tile 256, as the tests' figures were measured). */
final class ShippedDenoiser {
    private ShippedDenoiser() {}

    static Restorer openWith(RestoreSettings settings) {
        return openWith("denoise-gray", settings);
    }

    /** {@code name} (a shipped model) run with those settings. */
    static Restorer openWith(String name, RestoreSettings settings) {
        return Restorers.open(name, settings.withTile(256));
    }
}
