package retouch.nn.train;

import java.awt.Color;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import retouch.nn.store.AtomicFiles;

/**
 * The training log: a CSV ({@code step, wall_s, <metrics...>, rss_mb}) appended as steps finish,
 * and a loss-curve PNG redrawn at each checkpoint. Rows stay in memory so that a metric appearing
 * later (validation) extends the header, and a resumed run drops rows past its checkpoint.
 */
public final class TrainLog {

    /** Column names that are not plotted. */
    private static final Set<String> NOT_PLOTTED = Set.of("step", "wall_s", "rss_mb", "lr");

    private final Path csv;
    private final Path png;
    private final List<String> columns = new ArrayList<>(List.of("step", "wall_s"));
    private final List<Map<String, Double>> rows = new ArrayList<>();
    private int written; // rows already in the file with the current header
    private boolean headerChanged = true;

    /** A log writing {@code csv} and {@code png}. */
    public TrainLog(Path csv, Path png) {
        this.csv = csv;
        this.png = png;
    }

    /** Reads rows of an existing CSV with step &le; {@code upToStep} (resume); later rows are dropped. */
    public void loadExisting(long upToStep) throws IOException {
        if (!Files.isRegularFile(csv)) {
            return;
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return;
        }
        String[] header = lines.get(0).split(",", -1);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (f.length != header.length) {
                continue; // a half-written last line
            }
            Map<String, Double> row = new LinkedHashMap<>();
            for (int j = 0; j < f.length; j++) {
                if (!f[j].isEmpty()) {
                    row.put(header[j], Double.parseDouble(f[j]));
                }
            }
            Double step = row.get("step");
            if (step != null && step <= upToStep) {
                addRow(row);
            }
        }
        headerChanged = true; // rewrite the file without the dropped rows
    }

    /** Adds one row. */
    public void add(long step, double wallSeconds, Map<String, ? extends Number> metrics, double rssMb) {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("step", (double) step);
        row.put("wall_s", wallSeconds);
        metrics.forEach((k, v) -> row.put(k, v.doubleValue()));
        row.put("rss_mb", rssMb);
        addRow(row);
    }

    private void addRow(Map<String, Double> row) {
        for (String k : row.keySet()) {
            if (!columns.contains(k)) {
                if (columns.contains("rss_mb") && !k.equals("rss_mb")) {
                    columns.add(columns.indexOf("rss_mb"), k);
                } else {
                    columns.add(k);
                }
                headerChanged = true;
            }
        }
        rows.add(row);
    }

    /** The rows so far (oldest first). */
    public List<Map<String, Double>> rows() {
        return List.copyOf(rows);
    }

    /** The CSV columns. */
    public List<String> columns() {
        return List.copyOf(columns);
    }

    /** Writes pending rows (rewriting the file atomically if the header changed). */
    public void flush() throws IOException {
        if (headerChanged) {
            StringBuilder sb = new StringBuilder();
            sb.append(String.join(",", columns)).append('\n');
            for (Map<String, Double> r : rows) {
                appendRow(sb, r);
            }
            AtomicFiles.write(csv, sb.toString().getBytes(StandardCharsets.UTF_8));
            written = rows.size();
            headerChanged = false;
            return;
        }
        if (written == rows.size()) {
            return;
        }
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            StringBuilder sb = new StringBuilder();
            for (int i = written; i < rows.size(); i++) {
                appendRow(sb, rows.get(i));
            }
            w.write(sb.toString());
        }
        written = rows.size();
    }

    private void appendRow(StringBuilder sb, Map<String, Double> r) {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Double v = r.get(columns.get(i));
            if (v != null) {
                String c = columns.get(i);
                if (c.equals("step")) {
                    sb.append(v.longValue());
                } else if (c.equals("wall_s") || c.equals("rss_mb")) {
                    sb.append(String.format(Locale.ROOT, "%.2f", v));
                } else {
                    sb.append(Float.toString(v.floatValue()));
                }
            }
        }
        sb.append('\n');
    }

    /** Draws every metric column (not lr, wall time, RSS) against step into the PNG, atomically. */
    public void writeCurve() throws IOException {
        List<String> series = new ArrayList<>();
        for (String c : columns) {
            if (!NOT_PLOTTED.contains(c)) {
                series.add(c);
            }
        }
        if (rows.isEmpty() || series.isEmpty()) {
            return;
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Training curves").xAxisTitle("step").yAxisTitle("value").build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(true);
        boolean allPositive = true;
        int stride = Math.max(1, rows.size() / 2000);
        Set<String> added = new LinkedHashSet<>();
        for (String s : series) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Double> r = rows.get(i);
                Double y = r.get(s);
                boolean keep = i % stride == 0 || i == rows.size() - 1 || !r.containsKey(series.get(0));
                if (y != null && Double.isFinite(y) && keep) {
                    xs.add(r.get("step"));
                    ys.add(y);
                    allPositive &= y > 0;
                }
            }
            if (!xs.isEmpty()) {
                XYSeries xy = chart.addSeries(s, xs, ys);
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                added.add(s);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        chart.getStyler().setYAxisLogarithmic(allPositive);
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, bytes);
    }

    /** Resident memory of this process in MiB from {@code /proc/self/status} (0 where unavailable). */
    public static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.trim().split("\\s+");
                    return Long.parseLong(f[1]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }
}
