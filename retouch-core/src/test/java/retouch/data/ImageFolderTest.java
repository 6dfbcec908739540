package retouch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.ImageFiles;

class ImageFolderTest {
    @TempDir
    Path tmp;

    @Test
    void listsRecursivelySortedCaseInsensitiveAndLazily() throws IOException {
        Image a = Image.filled(1, 8, 8, 0.5f);
        ImageFiles.writePng(a, tmp.resolve("b.png"));
        ImageFiles.writePng(a, tmp.resolve("A.PNG"));
        ImageFiles.write(a, tmp.resolve("sub/c.JPG"));
        ImageFiles.write(a, tmp.resolve("sub/deeper/d.bmp"));
        ImageFiles.writePng(a, tmp.resolve(".hidden/e.png"));
        ImageFiles.writePng(a, tmp.resolve("._f.png"));
        Files.writeString(tmp.resolve("notes.txt"), "x");
        Files.writeString(tmp.resolve("broken.png"), "not really"); // listed by name, fails only when decoded

        ImageFolder f = ImageFolder.of(tmp);
        List<String> names = f.paths().stream().map(p -> tmp.relativize(p).toString()).toList();
        assertEquals(List.of("A.PNG", "b.png", "broken.png", "sub/c.JPG", "sub/deeper/d.bmp"), names);
        assertEquals(Path.of("sub/c.JPG"), f.relative(3));
        assertEquals(128 / 255f, f.read(1).get(0, 3, 3), 0f);
        assertEquals(8, f.probe(4).width());
        RetouchException e = assertThrows(RetouchException.class, () -> f.read(2));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());

        assertEquals(2, ImageFolder.of(tmp, "*.png").size(), "glob on the file name is case-sensitive: b.png, broken.png");
        assertEquals(List.of("sub/c.JPG", "sub/deeper/d.bmp"),
                ImageFolder.of(tmp, "sub/**").paths().stream().map(p -> tmp.relativize(p).toString()).toList());
        assertEquals(1, ImageFolder.of(tmp, p -> p.toString().endsWith(".bmp")).size());
        assertEquals(2, f.first(2).size());
        assertEquals(1, ImageFolder.of(tmp.resolve("b.png")).size(), "a single image file is a folder of one");
    }

    @Test
    void emptyMissingAndFileAreClear() throws IOException {
        RetouchException missing = assertThrows(RetouchException.class, () -> ImageFolder.of(tmp.resolve("nope")));
        assertTrue(missing.getMessage().startsWith(tmp.resolve("nope") + ": no such folder"), missing.getMessage());
        Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(tmp.resolve("empty/readme.txt"), "x");
        RetouchException empty = assertThrows(RetouchException.class, () -> ImageFolder.of(tmp.resolve("empty")));
        assertTrue(empty.getMessage().contains("no images"), empty.getMessage());
        RetouchException file = assertThrows(RetouchException.class, () -> ImageFolder.of(tmp.resolve("empty/readme.txt")));
        assertTrue(file.getMessage().contains("is a file"), file.getMessage());
        ImageFiles.writePng(Image.filled(1, 2, 2, 0f), tmp.resolve("empty/x.png"));
        RetouchException glob = assertThrows(RetouchException.class, () -> ImageFolder.of(tmp.resolve("empty"), "*.jpg"));
        assertTrue(glob.getMessage().contains("matching *.jpg"), glob.getMessage());
    }
}
