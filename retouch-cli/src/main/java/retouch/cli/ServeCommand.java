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
// Help texts: src/main/resources/retouch/cli/ServeCommand.properties
@Command(name = "serve", resourceBundle = "retouch.cli.ServeCommand", mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080") int port;

    @Option(names = "--host", defaultValue = "127.0.0.1") String host;

    @Option(names = "--models", paramLabel = "DIR") Path models;

    @Option(names = "--preload", split = ",", paramLabel = "NAME") List<String> preload;

    @Option(names = "--max-upload-mb", defaultValue = "32") long maxUploadMb;

    @Option(names = "--max-pixels", defaultValue = "16000000") long maxPixels;

    @Option(names = "--timeout", defaultValue = "120") long timeoutSeconds;

    @Option(names = "--workers") Integer workers;

    @Option(names = "--queue") Integer queue;

    @Option(names = "--tile", defaultValue = "512") int tile;

    @Option(names = "--grace", defaultValue = "30") long graceSeconds;

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
