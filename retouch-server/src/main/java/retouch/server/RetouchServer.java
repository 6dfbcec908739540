package retouch.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retouch.nn.synth.Generators;
import retouch.nn.synth.ImageGenerator;

/**
 * The Retouch HTTP service: restoration and generation over HTTP, the model list, health,
 * Prometheus metrics, an OpenAPI description and a web page, on Javalin (Jetty).
 *
 * <pre>{@code
 * try (RetouchServer server = RetouchServer.start(ServerConfig.defaults().withPort(8080))) {
 *     server.awaitShutdown();
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code POST /v1/restore}, {@code GET|POST /v1/generate}, {@code GET /v1/models},
 * {@code GET /health/live} (liveness), {@code GET /health/ready} (readiness; {@code /health} is an
 * alias, {@code /livez} and {@code /readyz} too), {@code GET /metrics}, {@code GET /openapi.json},
 * and the page at {@code /}.
 * Every error is JSON {@code {"error": code, "message": text}}; bad input gets a 4xx status, a
 * full work queue or a request past its time limit 503 with Retry-After.
 *
 * <p>Models load on first use and are shared by all requests. {@link #close()} shuts down
 * gracefully: new API requests get 503, requests in flight finish (up to
 * {@link ServerConfig#shutdownGrace()}), then the models are freed.
 */
public final class RetouchServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetouchServer.class);
    private static final Set<String> ROUTES = Set.of("/v1/restore", "/v1/generate", "/v1/models", "/health", "/health/live", "/health/ready",
            "/livez", "/readyz", "/metrics", "/openapi.json");
    private static final Map<String, String> WEB = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/app.css", "app.css");
    private static final String WEB_ROOT = "/retouch/server/web/";

    private final ServerConfig config;
    private final ModelCatalog catalog;
    private final WorkQueue queue;
    private final ServerMetrics metrics = new ServerMetrics();
    private final ObjectMapper json = new ObjectMapper();
    private final Path tmpDir;
    private final RestoreEndpoint restore;
    private final GenerateEndpoint generate;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object stopSignal = new Object();
    private final Map<String, byte[]> webFiles = new LinkedHashMap<>();
    /** Models named in preload that failed to load (name → reason). */
    private final Map<String, String> preloadFailures = new java.util.concurrent.ConcurrentHashMap<>();
    /** False while preloading runs: not ready until the named models are in memory. */
    private volatile boolean warm;
    private Javalin app;

    private RetouchServer(ServerConfig config, Function<String, ImageGenerator> generatorLoader) throws IOException {
        this.config = config;
        this.tmpDir = Files.createTempDirectory("retouch-server-");
        this.catalog = new ModelCatalog(config.modelsDir(), config.tile(), generatorLoader);
        this.queue = new WorkQueue(config.workers(), config.queueCapacity());
        this.restore = new RestoreEndpoint(config, catalog, queue, tmpDir);
        this.generate = new GenerateEndpoint(config, catalog, queue, json);
        for (String f : Set.copyOf(WEB.values())) webFiles.put(f, resource(WEB_ROOT + f));
        webFiles.put("openapi.json", openApi(json));
    }

    /** The OpenAPI document with the task registry's list as the {@code task} field's enum (one list for every surface). */
    static byte[] openApi(com.fasterxml.jackson.databind.ObjectMapper json) throws IOException {
        com.fasterxml.jackson.databind.JsonNode doc = json.readTree(resource("/retouch/server/openapi.json"));
        com.fasterxml.jackson.databind.JsonNode task = doc.at("/paths/~1v1~1restore/post/requestBody/content/multipart~1form-data/schema/properties/task");
        if (!(task instanceof com.fasterxml.jackson.databind.node.ObjectNode t)) throw new IllegalStateException("openapi.json has no task field under /v1/restore");
        com.fasterxml.jackson.databind.node.ArrayNode ids = t.putArray("enum");
        retouch.nn.task.RestorationTasks.ids().forEach(ids::add);
        return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
    }

    /** Starts a server with generators loaded by {@link Generators#load(String)}. */
    public static RetouchServer start(ServerConfig config) {
        return start(config, Generators::load);
    }

    /**
     * Starts a server.
     *
     * @param generatorLoader turns a model folder / zip path into a generator (tests and embedders
     *     can supply their own)
     */
    public static RetouchServer start(ServerConfig config, Function<String, ImageGenerator> generatorLoader) {
        RetouchServer s;
        try {
            s = new RetouchServer(config, generatorLoader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the server's temporary folder", e);
        }
        try {
            s.app = s.createApp().start(config.host(), config.port());
        } catch (RuntimeException e) {
            s.queue.close();
            s.deleteTmp();
            throw e;
        }
        LOG.info("Retouch server listening on http://{}:{}/ ({} workers, {} waiting places)", config.host(), s.port(), config.workers(), config.queueCapacity());
        s.preload();
        return s;
    }

    private void preload() {
        if (config.preload().isEmpty()) {
            warm = true;
            return;
        }
        Thread t = new Thread(() -> {
            try {
                for (String name : config.preload()) {
                    try {
                        ModelCatalog.Entry e = catalog.find(name);
                        if (e.tasks().contains("generate")) catalog.generator(e);
                        else catalog.restorer(e);
                    } catch (RuntimeException e) {
                        preloadFailures.put(name, String.valueOf(e.getMessage()));
                        LOG.warn("cannot preload model {}: {}", name, e.getMessage());
                    }
                }
            } finally {
                warm = true;
            }
        }, "retouch-preload");
        t.setDaemon(true);
        t.start();
    }

    /** The port it listens on (useful with port 0). */
    public int port() {
        return app.port();
    }

    /** The base URL, e.g. http://127.0.0.1:8080 . */
    public String url() {
        String h = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port();
    }

    /** The settings it runs with. */
    public ServerConfig config() {
        return config;
    }

    private Javalin createApp() {
        return Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = config.maxUploadBytes();
            cfg.http.prefer405over404 = true;
            cfg.jetty.modifyServer(server -> server.setStopTimeout(Math.max(1, config.shutdownGrace().toMillis())));
            cfg.requestLogger.http((ctx, ms) -> {
                String path = ctx.path();
                String route = ROUTES.contains(path) ? path : WEB.containsKey(path) ? "/static" : "other";
                metrics.record(route, ctx.method().name(), ctx.statusCode(), ms / 1000.0);
            });
        }).before("/v1/*", this::admit)
          .post("/v1/restore", api(restore::handle))
          .get("/v1/generate", api(ctx -> generate.handle(ctx, tmpDir)))
          .post("/v1/generate", api(ctx -> generate.handle(ctx, tmpDir)))
          .get("/v1/models", api(this::models))
          .get("/health", this::ready)
          .get("/health/ready", this::ready)
          .get("/readyz", this::ready)
          .get("/health/live", this::live)
          .get("/livez", this::live)
          .get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.render(queue, catalog::loadedCount)))
          .get("/openapi.json", ctx -> ctx.contentType("application/json").result(webFiles.get("openapi.json")))
          .get("/", this::web).get("/index.html", this::web).get("/app.js", this::web).get("/app.css", this::web)
          .exception(ApiException.class, (e, ctx) -> error(ctx, e))
          .exception(Exception.class, (e, ctx) -> {
              LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
              error(ctx, new ApiException(500, "internal", "internal error (" + e.getClass().getSimpleName() + "); see the server log"));
          })
          .error(404, ctx -> {
              if (ctx.attribute("retouch.error") == null) {
                  error(ctx, new ApiException(404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path() + "; see GET /openapi.json"));
              }
          })
          .error(405, ctx -> {
              if (ctx.attribute("retouch.error") == null) {
                  error(ctx, new ApiException(405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path()));
              }
          });
    }

    /** Refuses API requests while shutting down and bodies above the upload limit. */
    private void admit(Context ctx) {
        if (draining.get()) {
            throw new ApiException(503, "shutting_down", "the server is shutting down; retry against another instance", 5);
        }
        long len = ctx.contentLength();
        if (len > config.maxUploadBytes()) {
            throw new ApiException(413, "too_large", "the request has " + len + " bytes, above this server's limit of " + config.maxUploadBytes() + " bytes");
        }
    }

    /** Wraps an API handler: counts it in flight so metrics and shutdown see it. */
    private Handler api(Handler h) {
        return ctx -> {
            metrics.inFlight.incrementAndGet();
            try {
                h.handle(ctx);
            } finally {
                metrics.inFlight.decrementAndGet();
            }
        };
    }

    private void error(Context ctx, ApiException e) {
        metrics.error(e.code());
        ctx.attribute("retouch.error", e.code());
        if (e.retryAfterSeconds() > 0) ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        try {
            ctx.status(e.status()).contentType("application/json").result(json.writeValueAsString(body));
        } catch (IOException io) {
            ctx.status(e.status()).result("{\"error\":\"" + e.code() + "\"}");
        }
    }

    private void models(Context ctx) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("models", catalog.list().stream().map(e -> ModelCatalog.describe(e, catalog.isLoaded(e.name()))).toList());
        Map<String, Object> tasks = restore.taskSummary();
        List<String> gens = catalog.list().stream().filter(e -> e.problem() == null && e.tasks().contains("generate")).map(ModelCatalog.Entry::name).toList();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("label", "image generation");
        g.put("available", !gens.isEmpty());
        g.put("models", gens);
        if (gens.isEmpty()) g.put("message", "no generator model is installed on this server");
        tasks.put("generate", g);
        body.put("tasks", tasks);
        ctx.contentType("application/json").result(json.writeValueAsString(body));
    }

    /** Liveness: 200 while the process answers HTTP at all (restart it when this fails). */
    private void live(Context ctx) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "alive");
        ctx.status(200).contentType("application/json").result(json.writeValueAsString(body));
    }

    /**
     * Readiness: 200 when new work would be taken now, else 503 (send traffic elsewhere, do not
     * restart): not shutting down, preloading finished, the models loadable (every preloaded one
     * loaded; at least one readable model when any is installed) and a worker or waiting place free.
     */
    private void ready(Context ctx) throws IOException {
        boolean accepting = !draining.get();
        int waiting = queue.waiting(), running = queue.running();
        boolean overloaded = running >= queue.workers() && waiting >= queue.capacity();
        List<ModelCatalog.Entry> entries = catalog.list();
        long readable = entries.stream().filter(e -> e.problem() == null).count();
        boolean modelsOk = preloadFailures.isEmpty() && (entries.isEmpty() || readable > 0);
        String status = !accepting ? "shutting_down" : !warm ? "warming_up" : !modelsOk ? "models_unavailable" : overloaded ? "overloaded" : "ok";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("ready", status.equals("ok"));
        Map<String, Object> models = new LinkedHashMap<>();
        models.put("installed", entries.size());
        models.put("readable", readable);
        models.put("loaded", catalog.loadedCount());
        models.put("preload_done", warm);
        if (!preloadFailures.isEmpty()) models.put("preload_failures", new java.util.TreeMap<>(preloadFailures));
        List<String> broken = entries.stream().filter(e -> e.problem() != null).map(e -> e.name() + ": " + e.problem()).toList();
        if (!broken.isEmpty()) models.put("unreadable", broken);
        body.put("models", models);
        body.put("models_loaded", catalog.loadedCount());
        body.put("queue_depth", waiting);
        body.put("running", running);
        body.put("workers", queue.workers());
        body.put("queue_capacity", queue.capacity());
        if (!status.equals("ok")) ctx.header("Retry-After", Integer.toString(draining.get() ? 5 : queue.retryAfterSeconds()));
        ctx.status(status.equals("ok") ? 200 : 503).contentType("application/json").result(json.writeValueAsString(body));
    }

    private void web(Context ctx) {
        String file = WEB.get(ctx.path());
        String type = file.endsWith(".html") ? "text/html; charset=utf-8" : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(type).result(webFiles.get(file));
    }

    private static byte[] resource(String name) {
        try (InputStream in = RetouchServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name + " in the retouch-server jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Blocks until {@link #close()} has been called (e.g. from a shutdown hook). */
    public void awaitShutdown() throws InterruptedException {
        synchronized (stopSignal) {
            while (!closed.get()) stopSignal.wait();
        }
    }

    /** Requests served so far on a route with a status (for tests and the load script). */
    public long requestCount(String route, int status) {
        return metrics.requestCount(route, status);
    }

    /**
     * Graceful shutdown: refuse new API requests (503), let requests in flight finish within
     * {@link ServerConfig#shutdownGrace()}, stop Jetty, then free the models. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        draining.set(true);
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (metrics.inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            app.stop(); // Jetty's graceful stop waits for responses still being written
        } catch (RuntimeException e) {
            LOG.warn("stopping the HTTP server: {}", e.getMessage());
        }
        queue.drain(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        queue.close();
        catalog.close();
        deleteTmp();
        synchronized (stopSignal) {
            stopSignal.notifyAll();
        }
        LOG.info("Retouch server stopped");
    }

    private void deleteTmp() {
        try (Stream<Path> s = Files.walk(tmpDir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
