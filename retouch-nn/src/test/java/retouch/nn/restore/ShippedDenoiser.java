package retouch.nn.restore;

import java.util.HashMap;
import java.util.Map;

/** Opens the shipped denoise-gray with some system properties set (null clears one), restoring them after. */
final class ShippedDenoiser {
    private ShippedDenoiser() {}

    static ModelRestorer openWith(Map<String, String> properties) {
        return openWith("denoise-gray", properties);
    }

    /** {@code name} (a shipped model) with those properties. */
    static ModelRestorer openWith(String name, Map<String, String> properties) {
        Map<String, String> old = new HashMap<>();
        properties.forEach((k, v) -> {
            old.put(k, System.getProperty(k));
            set(k, v);
        });
        try {
            return ModelRestorer.open(name, 256);
        } finally {
            old.forEach(ShippedDenoiser::set);
        }
    }

    private static void set(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }
}
