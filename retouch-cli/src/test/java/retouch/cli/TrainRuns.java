package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import retouch.image.Image;
import retouch.image.ImageFiles;

/** What the tiny trainings through the CLI share: photo crops to train on and the run's log. */
final class TrainRuns {
    private TrainRuns() {}

    /** Six 96x96 crops of camera.png in {@code tmp}/crops, written by the first caller. */
    static Path crops(Path tmp) throws IOException {
        Path dir = tmp.resolve("crops");
        if (Files.isDirectory(dir)) return dir;
        Files.createDirectories(dir);
        Image cam = ImageFiles.read(Cli.sample("camera.png"));
        for (int i = 0; i < 6; i++) ImageFiles.writePng(cam.crop(60 * i, 40 * i, 96, 96), dir.resolve("c" + i + ".png"));
        return dir;
    }

    /** A run's train.csv: the column names and the logged rows (cells split at commas, empty ones kept). */
    record Log(List<String> columns, List<String[]> rows) {
        static Log of(Path run) throws IOException {
            List<String[]> all = Files.readAllLines(run.resolve("train.csv")).stream().map(l -> l.split(",", -1)).toList();
            return new Log(Arrays.asList(all.get(0)), all.subList(1, all.size()));
        }

        /** Where {@code column} stands in a row; fails the test when the log has no such column. */
        int column(String column) {
            int i = columns.indexOf(column);
            assertTrue(i >= 0, "no column " + column + " in " + columns);
            return i;
        }

        double value(String[] row, String column) {
            return Double.parseDouble(row[column(column)]);
        }

        /** The column's value in the first logged row. */
        double first(String column) {
            return value(rows.get(0), column);
        }

        /** The column's value in the last logged row. */
        double last(String column) {
            return value(rows.get(rows.size() - 1), column);
        }
    }
}
