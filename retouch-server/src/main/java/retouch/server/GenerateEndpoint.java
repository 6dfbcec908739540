package retouch.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import retouch.RetouchException;
import retouch.api.Generator;
import retouch.image.Image;

/**
 * {@code GET|POST /v1/generate}: parameters {@code model} (default: the first generator
 * installed), {@code label} (class name or index; omitted: unconditional, or every class in turn),
 * {@code n} (1-{@value #MAX_N}, default 16), {@code seed} (default random, echoed in
 * X-Retouch-Seed), {@code temperature} (default: the model's {@code sample_temperature}, else 1, as on the command line) and {@code format}: {@code png} (one grid
 * picture) or {@code json} (a list of base64 PNGs). Parameters come from the query string, a
 * urlencoded form or a multipart form.
 *
 * @param config the server's limits (upload size, time per request)
 * @param catalog the installed models, generators among them
 * @param queue where sampling waits for a worker
 * @param json writes the {@code format=json} answers
 */
record GenerateEndpoint(ServerConfig config, ModelCatalog catalog, WorkQueue queue, ObjectMapper json) {
    /** Most images one request may ask for. */
    static final int MAX_N = 256;

    private static String param(Context ctx, Multipart form, String name) {
        if (form != null) {
            String v = form.field(name);
            if (v != null) return v;
        } else if (ctx.method().name().equals("POST") && isUrlEncoded(ctx)) {
            String v = ctx.formParam(name);
            if (v != null && !v.isBlank()) return v.trim();
        }
        String q = ctx.queryParam(name);
        return q == null || q.isBlank() ? null : q.trim();
    }

    private static boolean isUrlEncoded(Context ctx) {
        String t = ctx.header("Content-Type");
        return t != null && t.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    void handle(Context ctx, java.nio.file.Path tmpDir) throws Exception {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        String type = ctx.header("Content-Type");
        boolean multipart = ctx.method().name().equals("POST") && type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
        try (Multipart form = multipart ? Multipart.parse(ctx, tmpDir, config.maxUploadBytes()) : null) {
            String modelName = param(ctx, form, "model");
            String label = param(ctx, form, "label");
            int n = parseInt(param(ctx, form, "n"), "n", 16, 1, MAX_N);
            long seed = parseSeed(param(ctx, form, "seed"));
            Float temperature = parseTemperature(param(ctx, form, "temperature"));
            String format = param(ctx, form, "format");
            format = format == null ? "png" : format.toLowerCase(Locale.ROOT);
            if (!format.equals("png") && !format.equals("json")) {
                throw ApiException.badRequest("bad_parameter", "format must be png (one grid picture) or json (a list of base64 PNGs), not '" + format + "'");
            }
            ModelCatalog.Entry entry;
            if (modelName == null) {
                entry = catalog.firstWith("generate");
                if (entry == null) {
                    throw new ApiException(404, "no_model", "no generator model is installed on this server; train one with 'retouch train' "
                            + "or add one to the models folder (GET /v1/models lists what is installed)");
                }
            } else {
                entry = catalog.find(modelName);
                if (!entry.tasks().contains("generate")) {
                    throw ApiException.badRequest("wrong_task", "model '" + modelName + "' does " + String.join("/", entry.tasks())
                            + ", not generate; pick a generator from GET /v1/models");
                }
            }
            String fmt = format;
            Result r = queue.run(() -> sample(entry, label, n, seed, temperature, fmt), deadline);
            ctx.header("X-Retouch-Model", entry.name());
            ctx.header("X-Retouch-Seed", Long.toString(seed));
            ctx.header("X-Retouch-Label", r.labelName);
            if (r.png != null) {
                ctx.contentType("image/png").result(r.png);
            } else {
                ctx.contentType("application/json").result(json.writeValueAsString(r.body));
            }
        }
    }

    private record Result(byte[] png, Map<String, Object> body, String labelName) {}

    private Result sample(ModelCatalog.Entry entry, String label, int n, long seed, Float temperature, String format) {
        Generator g = catalog.generator(entry);
        int index;
        List<Image> images;
        try {
            index = g.labelIndex(label);
            images = g.sampleImages(n, index, seed, temperature != null ? temperature : g.generator().defaultTemperature());
        } catch (RetouchException e) {
            throw ApiException.badRequest("bad_parameter", e.getMessage());
        }
        String labelName = index < 0 ? (g.conditional() ? "all" : "none") : g.labels().get(index);
        if (format.equals("png")) {
            return new Result(Uploads.png(Generator.gridImage(images), 8), null, labelName);
        }
        Base64.Encoder b64 = Base64.getEncoder();
        List<String> list = new ArrayList<>(images.size());
        for (Image im : images) list.add(b64.encodeToString(Uploads.png(im, 8)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", entry.name());
        body.put("label", labelName);
        body.put("label_index", index);
        body.put("seed", seed);
        body.put("n", n);
        body.put("width", images.get(0).width());
        body.put("height", images.get(0).height());
        body.put("channels", images.get(0).channels());
        body.put("images", list);
        return new Result(null, body, labelName);
    }

    static int parseInt(String s, String name, int def, int lo, int hi) {
        if (s == null) return def;
        try {
            int v = Integer.parseInt(s);
            if (v < lo || v > hi) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad_parameter", name + " must be a whole number from " + lo + " to " + hi + ", not '" + s + "'");
        }
    }

    static long parseSeed(String s) {
        if (s == null) return ThreadLocalRandom.current().nextLong(1L << 31);
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad_parameter", "seed must be a whole number, not '" + s + "'");
        }
    }

    /** The asked temperature, or null when none was asked (the model's own applies). */
    static Float parseTemperature(String s) {
        if (s == null) return null;
        try {
            float v = Float.parseFloat(s);
            if (!(v > 0 && v <= 10)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad_parameter", "temperature must be a number above 0 and at most 10, not '" + s + "'");
        }
    }
}
