package retouch.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.ImageFiles;
import retouch.image.LoadedImage;
import retouch.image.ReadOptions;

/**
 * Reading and writing images on any Hadoop file system (local, HDFS, S3A, GCS, ...), from the
 * executors. The driver's Hadoop settings (including {@code spark.hadoop.*}) travel with the task
 * as a plain map, so credentials set on the command line reach every executor.
 *
 * <p>Local files ({@code file:}) are read and written in place; others go through a local
 * temporary copy, because the decoders and the PNG encoder read and write local files (the same
 * code as {@code retouch restore}, so the pixels are the same).
 */
final class HadoopIO implements Serializable {
    private final HashMap<String, String> conf;
    private final long maxBytes;
    private transient Configuration hadoop;

    HadoopIO(Configuration driverConf, long maxBytes) {
        this.conf = new HashMap<>();
        for (Map.Entry<String, String> e : driverConf) conf.put(e.getKey(), e.getValue());
        this.maxBytes = maxBytes;
    }

    Configuration configuration() {
        if (hadoop == null) {
            Configuration c = new Configuration(false);
            conf.forEach(c::set);
            hadoop = c;
        }
        return hadoop;
    }

    FileSystem fs(Path p) throws IOException {
        return p.getFileSystem(configuration());
    }

    static boolean isLocal(Path p) {
        String s = p.toUri().getScheme();
        return s == null || s.equals("file");
    }

    static java.nio.file.Path local(Path p) {
        return java.nio.file.Path.of(p.toUri().getPath());
    }

    /** An image with its stored bit depth, or a {@link RetouchException} naming {@code p}. */
    record Read(Image image, int bitDepth) {}

    Read read(Path p) throws IOException {
        FileSystem fs = fs(p);
        long size = fs.getFileStatus(p).getLen();
        if (size == 0) throw new RetouchException(p + ": empty file (0 bytes); remove it or copy it again");
        if (size > maxBytes) {
            throw new RetouchException(p + ": " + size + " bytes, over the limit of " + maxBytes + " bytes per image; raise --max-bytes or resize it");
        }
        if (isLocal(p)) return decode(local(p), p);
        java.nio.file.Path tmp = Files.createTempFile("retouch-in-", "-" + p.getName());
        try {
            try (InputStream in = fs.open(p)) {
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return decode(tmp, p);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Read decode(java.nio.file.Path file, Path shownAs) {
        try {
            // as 'retouch restore' reads: alpha flattened onto white, stored bit depth kept
            LoadedImage loaded = ImageFiles.readWithAlpha(file, ReadOptions.defaults());
            Image im = loaded.hasAlpha() ? ImageFiles.read(file, ReadOptions.defaults()) : loaded.image();
            return new Read(im, loaded.info().bitDepth() == 16 ? 16 : 8);
        } catch (RetouchException e) {
            String m = e.getMessage() == null ? "cannot read it" : e.getMessage().replace(file.toString(), shownAs.toString());
            throw new RetouchException(m, e);
        }
    }

    boolean exists(Path p) throws IOException {
        return isLocal(p) ? Files.isRegularFile(local(p)) : fs(p).exists(p);
    }

    /**
     * Writes a PNG atomically: to a temporary name unique to this task attempt in the target's
     * folder, then renamed over the target. A retried or speculative attempt that loses the race
     * finds the target written and leaves it as it is (both hold the same pixels).
     */
    void writePng(Image im, int bitDepth, Path target, String attempt) throws IOException {
        if (isLocal(target)) {
            ImageFiles.writePng(im, local(target), bitDepth); // temp file + fsync + rename
            return;
        }
        FileSystem fs = fs(target);
        java.nio.file.Path tmpLocal = Files.createTempFile("retouch-out-", ".png");
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + attempt + ".tmp");
        try {
            ImageFiles.writePng(im, tmpLocal, bitDepth);
            fs.mkdirs(target.getParent());
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                Files.copy(tmpLocal, out);
            }
            if (!fs.rename(tmp, target)) {
                if (!fs.exists(target)) throw new IOException("cannot rename " + tmp + " to " + target);
                fs.delete(tmp, false); // another attempt wrote it first
            }
        } finally {
            Files.deleteIfExists(tmpLocal);
            try {
                if (fs.exists(tmp)) fs.delete(tmp, false);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Writes a file atomically (temporary name, then renamed) from a stream writer. */
    void writeStream(Path target, retouch.image.AtomicFiles.IOConsumer<java.io.OutputStream> body) throws IOException {
        if (isLocal(target)) {
            retouch.image.AtomicFiles.write(local(target), body);
            return;
        }
        FileSystem fs = fs(target);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            body.accept(out);
        }
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
    }

    /** Writes a small text file (the summary) atomically. */
    void writeText(Path target, String text) throws IOException {
        writeStream(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
