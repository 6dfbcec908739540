package retouch.server;

import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed multipart/form-data request: plain fields as strings, file fields copied to temporary
 * files that {@link #close()} deletes. Every way a body can be wrong (not multipart, cut short,
 * malformed, too large, a field sent as the wrong kind) becomes an {@link ApiException}.
 */
final class Multipart implements AutoCloseable {
    /** Longest plain field value accepted. */
    static final int MAX_FIELD_CHARS = 256;
    private static final String CONFIG_ATTRIBUTE = "org.eclipse.jetty.multipartConfig";

    /**
     * One uploaded file.
     *
     * @param field form field name
     * @param filename name the client gave, may be null
     * @param path the temporary copy
     * @param size bytes
     */
    record Upload(String field, String filename, Path path, long size) {
        /** How messages name it: "image upload 'photo.png'". */
        String describe() {
            return field + " upload" + (filename == null || filename.isBlank() ? "" : " '" + filename + "'");
        }
    }

    private final Map<String, String> fields = new LinkedHashMap<>();
    private final Map<String, Upload> files = new LinkedHashMap<>();

    private Multipart() {}

    /** Parses the request body; the caller closes the result. */
    static Multipart parse(Context ctx, Path tmpDir, long maxBytes) {
        String type = ctx.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ApiException(415, "unsupported_media_type",
                    "send the request as multipart/form-data (e.g. curl -F image=@photo.png), not " + (type == null ? "no Content-Type" : type));
        }
        if (!type.toLowerCase(Locale.ROOT).contains("boundary=")) {
            throw ApiException.badRequest("malformed_multipart", "the multipart Content-Type has no boundary parameter");
        }
        ctx.req().setAttribute(CONFIG_ATTRIBUTE, new MultipartConfigElement(tmpDir.toString(), maxBytes, maxBytes, 256 * 1024));
        Collection<Part> parts;
        try {
            parts = ctx.req().getParts();
        } catch (Exception e) {
            throw describeParseFailure(e, maxBytes);
        }
        Multipart mp = new Multipart();
        try {
            for (Part p : parts) {
                String name = p.getName();
                if (name == null) continue;
                if (p.getSubmittedFileName() == null) {
                    if (mp.fields.containsKey(name)) continue; // the first value wins
                    byte[] b;
                    try (InputStream in = p.getInputStream()) {
                        b = in.readNBytes(MAX_FIELD_CHARS * 4 + 1);
                    }
                    String v = new String(b, StandardCharsets.UTF_8);
                    if (v.length() > MAX_FIELD_CHARS) {
                        throw ApiException.badRequest("bad_parameter", "field '" + name + "' is longer than " + MAX_FIELD_CHARS + " characters");
                    }
                    mp.fields.put(name, v.trim());
                } else {
                    if (mp.files.containsKey(name)) continue;
                    Path tmp = Files.createTempFile(tmpDir, "upload-", ".bin");
                    try (InputStream in = p.getInputStream()) {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    }
                    mp.files.put(name, new Upload(name, p.getSubmittedFileName(), tmp, Files.size(tmp)));
                }
            }
        } catch (IOException e) {
            mp.close();
            throw ApiException.badRequest("malformed_multipart", "the multipart body cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            mp.close();
            throw e;
        }
        return mp;
    }

    private static ApiException describeParseFailure(Throwable e, long maxBytes) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) messages.add(t.getMessage());
        }
        String all = String.join("; ", messages);
        if (all.toLowerCase(Locale.ROOT).contains("exceed")) {
            return new ApiException(413, "too_large", "the request is larger than the server's limit of " + maxBytes + " bytes");
        }
        return ApiException.badRequest("malformed_multipart", "the multipart body is malformed" + (all.isBlank() ? "" : " (" + firstLine(all) + ")")
                + "; send multipart/form-data with an 'image' file field");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** A plain field's value (trimmed), or null when absent or blank. */
    String field(String name) {
        if (files.containsKey(name) && !fields.containsKey(name)) {
            throw ApiException.badRequest("bad_parameter", "field '" + name + "' must be a plain form field, not a file");
        }
        String v = fields.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** An uploaded file, or null when absent. */
    Upload file(String name) {
        Upload u = files.get(name);
        if (u == null && fields.containsKey(name)) {
            throw ApiException.badRequest("bad_parameter", "field '" + name + "' must be a file upload (multipart part with a filename), not a plain value");
        }
        return u;
    }

    /** A required uploaded file. */
    Upload requireFile(String name, String what) {
        Upload u = file(name);
        if (u == null) throw ApiException.badRequest("missing_field", "no '" + name + "' file in the form: " + what);
        return u;
    }

    @Override
    public void close() {
        for (Upload u : files.values()) {
            try {
                Files.deleteIfExists(u.path());
            } catch (IOException e) {
                // a temp file left behind is cleaned with the server's temp folder
            }
        }
    }
}
