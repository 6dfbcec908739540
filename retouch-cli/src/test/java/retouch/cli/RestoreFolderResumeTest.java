package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static retouch.cli.Cli.concat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.image.Image;
import retouch.image.ImageFiles;

/**
 * {@code retouch restore IN_DIR -o OUT_DIR} run again after a stop: results already there are
 * skipped, missing ones are made (equal to an uninterrupted run's), temporary files of a killed
 * run are removed, {@code --overwrite} redoes everything, and an input changed since its result
 * was made is redone.
 */
class RestoreFolderResumeTest {
    @TempDir Path tmp;

    private static Map<String, byte[]> contents(Path dir) throws Exception {
        Map<String, byte[]> m = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) m.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return m;
    }

    @Test
    void rerunFinishesOnlyWhatIsMissing() throws Exception {
        Path in = tmp.resolve("in"), out = tmp.resolve("out"), ref = tmp.resolve("ref");
        Files.createDirectories(in);
        Image cam = ImageFiles.read(Cli.sample("camera.png"));
        for (int i = 0; i < 4; i++) ImageFiles.writePng(cam.crop(50 * i, 30 * i, 40, 40), in.resolve("p" + i + ".png"));
        String[] common = {"restore", in.toString(), "--method", "gaussian", "--sigma", "10"};

        Cli.Result full = Cli.run(concat(common, "-o", ref.toString()));
        assertEquals(0, full.code(), full.err());
        assertTrue(full.out().contains("restored 4 images"), full.out());

        // as a killed run leaves it: two results written, one temporary file of the third
        Files.createDirectories(out);
        Files.copy(ref.resolve("p0.png"), out.resolve("p0.png"));
        Files.copy(ref.resolve("p1.png"), out.resolve("p1.png"));
        Path leftover = out.resolve(".p2.png.8812345.tmp");
        Files.write(leftover, new byte[] {1, 2, 3});
        FileTime before = Files.getLastModifiedTime(out.resolve("p0.png"));

        Cli.Result again = Cli.run(concat(common, "-o", out.toString()));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("restored 2 images") && again.out().contains("2 already there were skipped"), again.out());
        assertFalse(Files.exists(leftover), "the killed run's temporary file is removed");
        assertEquals(before, Files.getLastModifiedTime(out.resolve("p0.png")), "a finished result is not rewritten");
        Map<String, byte[]> a = contents(ref), b = contents(out);
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k + " differs from the uninterrupted run's");

        // nothing missing: nothing done
        Cli.Result none = Cli.run(concat(common, "-o", out.toString()));
        assertTrue(none.out().contains("restored 0 images") && none.out().contains("4 already there"), none.out());

        // an input changed after its result was made is restored again
        Files.setLastModifiedTime(in.resolve("p3.png"), FileTime.fromMillis(Files.getLastModifiedTime(out.resolve("p3.png")).toMillis() + 5000));
        Cli.Result changed = Cli.run(concat(common, "-o", out.toString()));
        assertTrue(changed.out().contains("restored 1 images") && changed.out().contains("3 already there"), changed.out());

        // --overwrite redoes every one
        Cli.Result redo = Cli.run(concat(common, "-o", out.toString(), "--overwrite"));
        assertEquals(0, redo.code(), redo.err());
        assertTrue(redo.out().contains("restored 4 images") && !redo.out().contains("skipped"), redo.out());

        // a single named output file is always written
        Path one = tmp.resolve("one.png");
        Files.copy(ref.resolve("p0.png"), one);
        Files.setLastModifiedTime(one, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Cli.Result single = Cli.run("restore", in.resolve("p1.png").toString(), "--method", "gaussian", "--sigma", "10", "-o", one.toString());
        assertEquals(0, single.code(), single.err());
        assertArrayEquals(Files.readAllBytes(ref.resolve("p1.png")), Files.readAllBytes(one));
    }
}
