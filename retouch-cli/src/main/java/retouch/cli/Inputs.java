package retouch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.stream.Stream;
import retouch.RetouchException;
import retouch.image.ImageFiles;
import retouch.image.ImageInfo;

/** Turns the files and folders named on a command line into image paths and output paths. */
final class Inputs {
    private Inputs() {}

    static boolean isImageName(Path p) {
        return ImageFiles.hasImageExtension(p);
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
            throw new RetouchException("no image files (" + String.join(", ", ImageFiles.EXTENSIONS) + ") found in " + args);
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
     * Where one input's result goes: the file the user named (its extension picks the format), or
     * a folder and a base name whose extension follows the input's format ({@link ImageInfo#outputExtension()}:
     * PNG stays PNG, JPEG stays JPEG, TIFF stays TIFF, BMP stays BMP, GIF and WebP become PNG).
     */
    record Target(Path file, Path folder, String base, boolean png) {
        Target(Path file, Path folder, String base) {
            this(file, folder, base, false);
        }

        Path resolve(ImageInfo info) {
            return file != null ? file : folder.resolve(base + "." + (png ? "png" : info.outputExtension()));
        }

        /** This target writing PNG into its folder whatever the input's format (a named output file keeps its name). */
        Target asPng() {
            return new Target(file, folder, base, true);
        }
    }

    /**
     * Output targets: with one input file and an output named like an image (.png, .jpg, .tif,
     * .bmp), that file in that format; otherwise the output is a folder and each result keeps its
     * input's base name (the whole name where two inputs share one, e.g. a.gif and a.png).
     */
    static List<Target> targetsFor(List<Path> inputs, Path out, boolean singleFileArg) {
        List<Target> res = new ArrayList<>();
        boolean named = singleFileArg && inputs.size() == 1 && !Files.isDirectory(out) && ImageFiles.hasImageExtension(out);
        if (named) {
            if (!ImageFiles.isWritable(out)) {
                throw new UsageException(out + ": Retouch reads " + extensionOf(out).toUpperCase(Locale.ROOT)
                        + " but does not write it; name the output .png, .jpg, .tif or .bmp");
            }
            res.add(new Target(out, null, null));
            return res;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new RetouchException(out + ": several inputs need an output folder, but this is a file");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (Path in : inputs) seen.merge(baseName(in).toLowerCase(Locale.ROOT), 1, Integer::sum);
        for (Path in : inputs) {
            String base = baseName(in);
            if (seen.get(base.toLowerCase(Locale.ROOT)) > 1) base = in.getFileName().toString();
            res.add(new Target(null, out, base));
        }
        return res;
    }

    private static String baseName(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static String extensionOf(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot >= 0 ? n.substring(dot + 1) : "";
    }
}
