package retouch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import retouch.RetouchException;
import retouch.server.RetouchServer;
import retouch.server.ServerConfig;

/** {@code retouch serve}: the HTTP API and web page (retouch-server) until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the HTTP API and the web page: restore (denoise, deblur, super-resolve,",
                "inpaint), generate, list models, health, Prometheus metrics, OpenAPI.",
                "Models load on first use and are shared by all requests. Ctrl-C stops taking",
                "requests, lets those in flight finish, then exits."},
        footer = {"%nEndpoints: POST /v1/restore, GET|POST /v1/generate, GET /v1/models, GET /health, GET /metrics,",
                "  GET /openapi.json, and the web page at /. See docs/SERVER.md.",
                "%nExamples:",
                "  retouch serve --port 8080",
                "  retouch serve --host 0.0.0.0 --port 8080 --models ./my-models --preload denoise-gray",
                "  curl -F image=@noisy.png -F task=denoise http://127.0.0.1:8080/v1/restore -o clean.png",
                ExitCodes.HELP_FOOTER})
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Interface to listen on; 0.0.0.0 for every interface. Default: ${DEFAULT-VALUE} (this machine only).")
    String host;

    @Option(names = "--models", paramLabel = "DIR", description = "A folder of models searched before the usual model search path.")
    Path models;

    @Option(names = "--preload", split = ",", paramLabel = "NAME", description = "Models to load in the background right after start (comma-separated).")
    List<String> preload;

    @Option(names = "--max-upload-mb", defaultValue = "32", description = "Largest request body, MiB. Default: ${DEFAULT-VALUE}.")
    long maxUploadMb;

    @Option(names = "--max-pixels", defaultValue = "16000000", description = "Largest image (and super-resolution result), pixels; checked from the header. Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds a request may wait and run before it gets 503. Default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    @Option(names = "--workers", description = "Requests run at once. Default: cores/4, at least 1 (PyTorch spreads each over the cores).")
    Integer workers;

    @Option(names = "--queue", description = "Requests that may wait for a worker; beyond that, 503 + Retry-After. Default: the number of cores, at least 2.")
    Integer queue;

    @Option(names = "--tile", defaultValue = "512", description = "Tile side for models. Default: ${DEFAULT-VALUE}.")
    int tile;

    @Option(names = "--grace", defaultValue = "30", description = "Seconds a shutdown waits for requests in flight. Default: ${DEFAULT-VALUE}.")
    long graceSeconds;

    @Override
    public Integer call() throws Exception {
        if (models != null && !Files.isDirectory(models)) {
            throw new RetouchException("--models " + models + " is not a folder; give a folder that holds model folders or .zip files");
        }
        ServerConfig d = ServerConfig.defaults();
        ServerConfig config;
        try {
            config = d.withHost(host).withPort(port).withModelsDir(models)
                    .withMaxUploadBytes(maxUploadMb << 20).withMaxPixels(maxPixels)
                    .withTimeout(Duration.ofSeconds(timeoutSeconds))
                    .withWorkers(workers == null ? d.workers() : workers)
                    .withQueueCapacity(queue == null ? d.queueCapacity() : queue)
                    .withTile(tile).withShutdownGrace(Duration.ofSeconds(graceSeconds))
                    .withPreload(preload == null ? List.of() : preload);
        } catch (IllegalArgumentException e) {
            throw new RetouchException("bad server setting: " + e.getMessage());
        }
        RetouchServer server;
        try {
            server = RetouchServer.start(config);
        } catch (RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("in use") || m.contains("bind")) {
                throw new RetouchException("cannot listen on " + host + ":" + port + " (" + m + "); pick another --port");
            }
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "retouch-serve-shutdown"));
        var out = spec.commandLine().getOut();
        out.printf("Retouch server on %s/ (API: %s/openapi.json); %d worker(s), %d waiting places; Ctrl-C to stop%n",
                server.url(), server.url(), config.workers(), config.queueCapacity());
        out.flush();
        server.awaitShutdown();
        return ExitCodes.OK;
    }

    static {
        // The server says what it loads and when it stops; Jetty and DJL stay at warnings.
        System.setProperty("org.slf4j.simpleLogger.log.retouch.server", System.getProperty("org.slf4j.simpleLogger.log.retouch.server", "info"));
    }
}
