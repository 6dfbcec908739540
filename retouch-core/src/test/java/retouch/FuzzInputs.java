package retouch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** Fuzz inputs handed to the file readers, whose one allowed way to fail is a {@link RetouchException}. */
public final class FuzzInputs {
    private FuzzInputs() {}

    /**
     * Writes {@code data} to {@code file} and opens it with {@code reader}: empty when the reader
     * refuses the bytes with a RetouchException; any other exception escapes and fails the target.
     */
    public static <T> Optional<T> readOrRefused(Path file, byte[] data, Function<Path, T> reader) throws IOException {
        Files.write(file, data);
        try {
            return Optional.of(reader.apply(file));
        } catch (RetouchException e) {
            return Optional.empty();
        }
    }
}
