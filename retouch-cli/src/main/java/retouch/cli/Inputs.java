package retouch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import retouch.RetouchException;

/** Turns the files and folders named on a command line into image paths and output paths. */
final class Inputs {
    private Inputs() {}

    static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp") || n.endsWith(".gif");
    }

    /** Files as given; folders expanded to their image files (recursive, sorted). */
    static List<Path> expand(List<Path> args) {
        List<Path> out = new ArrayList<>();
        for (Path a : args) {
            if (Files.isDirectory(a)) {
                try (Stream<Path> s = Files.walk(a)) {
                    s.filter(Files::isRegularFile).filter(Inputs::isImageName).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new RetouchException(a + ": cannot list folder (" + e.getMessage() + ")");
                }
            } else if (!Files.exists(a)) {
                throw new RetouchException(a + ": no such file or folder; check the path");
            } else {
                out.add(a);
            }
        }
        if (out.isEmpty()) {
            throw new RetouchException("no image files (png, jpg, bmp, gif) found in " + args);
        }
        return out;
    }

    /** Output must be a .png file name: outputs are always written as PNG (lossless). */
    static Path requirePng(Path out) {
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new RetouchException(out + ": outputs are written as PNG; name the output file *.png");
        }
        return out;
    }

    /**
     * Where each input's result goes: with one input file and an output ending in .png, that file;
     * otherwise the output is a folder and each result keeps its input's base name, as PNG.
     */
    static List<Path> outputsFor(List<Path> inputs, Path out, boolean singleFileArg) {
        List<Path> res = new ArrayList<>();
        boolean toFile = singleFileArg && inputs.size() == 1 && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
        if (toFile) {
            res.add(out);
            return res;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new RetouchException(out + ": several inputs need an output folder, but this is a file");
        }
        for (Path in : inputs) {
            String n = in.getFileName().toString();
            int dot = n.lastIndexOf('.');
            res.add(out.resolve((dot > 0 ? n.substring(0, dot) : n) + ".png"));
        }
        return res;
    }
}
