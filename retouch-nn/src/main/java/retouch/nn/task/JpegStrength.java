package retouch.nn.task;

import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

import retouch.RetouchException;

/**
 * How much of a JPEG model's repair to keep, by the photo's quality: the repair is blended with the
 * JPEG as {@code jpeg + strength · (repair − jpeg)}. A model that helps blocky photos may still
 * shift near-lossless ones by more than their artefacts; the strength per quality is measured on
 * the training run's validation split ({@code retouch models calibrate-jpeg}) as the least-squares
 * weight, clamped to [0, 1], and stored in model.json under {@value #HYPER} as
 * {@code "10:1,90:0.96,95:0.01"}. Between listed qualities it is interpolated linearly; outside
 * them the nearest listed value holds. A model without the entry keeps its whole repair.
 *
 * @param byQuality strength per JPEG quality (1–100), each in [0, 1]
 */
public record JpegStrength(SortedMap<Integer, Double> byQuality) {

    /** model.json hyper-parameter that holds the table. */
    public static final String HYPER = "jpeg_strength";

    /** The whole repair at every quality (models without a calibration). */
    public static final JpegStrength FULL = new JpegStrength(new TreeMap<>());

    public JpegStrength {
        for (Map.Entry<Integer, Double> e : byQuality.entrySet()) {
            if (e.getKey() < 1 || e.getKey() > 100) throw new IllegalArgumentException("JPEG quality " + e.getKey() + " is outside 1..100");
            if (!(e.getValue() >= 0 && e.getValue() <= 1)) throw new IllegalArgumentException("strength " + e.getValue() + " at quality " + e.getKey() + " is outside [0, 1]");
        }
        byQuality = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(byQuality));
    }

    /**
     * Parses {@code "q:s,q:s,…"}; {@code source} names where it came from for the error.
     *
     * @throws RetouchException when the text is not such a list
     */
    public static JpegStrength parse(String spec, String source) {
        if (spec == null || spec.isBlank()) return FULL;
        TreeMap<Integer, Double> table = new TreeMap<>();
        try {
            for (String entry : spec.split(",", -1)) {
                String[] qs = entry.trim().split(":");
                if (qs.length != 2) throw new IllegalArgumentException("'" + entry.trim() + "' is not quality:strength");
                int q = Integer.parseInt(qs[0].trim());
                if (table.put(q, Double.parseDouble(qs[1].trim())) != null) throw new IllegalArgumentException("quality " + q + " is listed twice");
            }
            return new JpegStrength(table);
        } catch (IllegalArgumentException e) {
            throw new RetouchException(source + ": " + HYPER + " '" + spec + "' is not a list of quality:strength pairs ("
                    + e.getMessage() + "); run 'retouch models calibrate-jpeg' on the model again");
        }
    }

    /** The text model.json stores. */
    public String spec() {
        StringJoiner j = new StringJoiner(",");
        byQuality.forEach((q, s) -> j.add(q + ":" + String.format(Locale.ROOT, "%.3f", s)));
        return j.toString();
    }

    /** The strength at {@code quality}: 1 for an empty table. */
    public double at(int quality) {
        if (byQuality.isEmpty()) return 1;
        SortedMap<Integer, Double> below = byQuality.headMap(quality + 1), above = byQuality.tailMap(quality);
        if (below.isEmpty()) return above.get(above.firstKey());
        if (above.isEmpty()) return below.get(below.lastKey());
        int q0 = below.lastKey(), q1 = above.firstKey();
        if (q0 == q1) return byQuality.get(q0);
        double t = (quality - q0) / (double) (q1 - q0);
        return byQuality.get(q0) * (1 - t) + byQuality.get(q1) * t;
    }

    /** Whether this keeps the whole repair at every quality. */
    public boolean isFull() {
        return byQuality.values().stream().allMatch(s -> s == 1.0);
    }
}
