package retouch.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of a {@link RetouchServer}: where it listens, where extra models live, and the limits
 * that keep one client from taking the machine (upload size, pixels, time, concurrent work).
 *
 * @param host interface to bind (127.0.0.1: this machine only; 0.0.0.0: every interface)
 * @param port TCP port; 0 picks a free one ({@link RetouchServer#port()} tells which)
 * @param modelsDir a folder searched for models before the model store's search path, or null
 * @param maxUploadBytes largest request body accepted (413 above it)
 * @param maxPixels largest image accepted, in pixels, checked from the file header before decoding
 *     (413 above it); also bounds the output of super-resolution
 * @param timeout longest a request may wait and run; past it the client gets 503 + Retry-After
 * @param workers requests run at once (each uses several cores through PyTorch)
 * @param queueCapacity requests that may wait for a worker; more get 503 + Retry-After at once
 * @param tile tile side for models (memory per request grows with it, not with the image)
 * @param shutdownGrace how long a shutdown waits for requests in flight
 * @param preload models to load in the background right after start (names), may be empty
 */
public record ServerConfig(String host, int port, Path modelsDir, long maxUploadBytes, long maxPixels,
                           Duration timeout, int workers, int queueCapacity, int tile, Duration shutdownGrace,
                           List<String> preload) {

    /** Checks the values. */
    public ServerConfig {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host must be given");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, not " + port);
        if (maxUploadBytes < 1024) throw new IllegalArgumentException("max upload must be at least 1 KiB, not " + maxUploadBytes);
        if (maxPixels < 1) throw new IllegalArgumentException("max pixels must be positive, not " + maxPixels);
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        if (queueCapacity < 0) throw new IllegalArgumentException("queue capacity must be >= 0, not " + queueCapacity);
        if (tile < 32) throw new IllegalArgumentException("tile must be at least 32, not " + tile);
        if (shutdownGrace == null || shutdownGrace.isNegative()) throw new IllegalArgumentException("shutdown grace must be >= 0");
        preload = preload == null ? List.of() : List.copyOf(preload);
    }

    /** Default upload limit: 32 MiB. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 32L << 20;
    /** Default pixel limit: 16 megapixels (4096 x 4096). */
    public static final long DEFAULT_MAX_PIXELS = 16_000_000L;

    /**
     * 127.0.0.1:8080, 32 MiB uploads, 16 megapixels, 120 s per request, max(1, cores/4) workers
     * (PyTorch already spreads one request over the cores), a queue of max(2, cores) waiting
     * requests, tiles of 512, 30 s to finish requests in flight at shutdown.
     */
    public static ServerConfig defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServerConfig("127.0.0.1", 8080, null, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_PIXELS,
                Duration.ofSeconds(120), Math.max(1, cores / 4), Math.max(2, cores), 512, Duration.ofSeconds(30), List.of());
    }

    public ServerConfig withHost(String v) { return new ServerConfig(v, port, modelsDir, maxUploadBytes, maxPixels, timeout, workers, queueCapacity, tile, shutdownGrace, preload); }
    public ServerConfig withPort(int v) { return new ServerConfig(host, v, modelsDir, maxUploadBytes, maxPixels, timeout, workers, queueCapacity, tile, shutdownGrace, preload); }
    public ServerConfig withModelsDir(Path v) { return new ServerConfig(host, port, v, maxUploadBytes, maxPixels, timeout, workers, queueCapacity, tile, shutdownGrace, preload); }
    public ServerConfig withMaxUploadBytes(long v) { return new ServerConfig(host, port, modelsDir, v, maxPixels, timeout, workers, queueCapacity, tile, shutdownGrace, preload); }
    public ServerConfig withMaxPixels(long v) { return new ServerConfig(host, port, modelsDir, maxUploadBytes, v, timeout, workers, queueCapacity, tile, shutdownGrace, preload); }
    public ServerConfig withTimeout(Duration v) { return new ServerConfig(host, port, modelsDir, maxUploadBytes, maxPixels, v, workers, queueCapacity, tile, shutdownGrace, preload); }
    public ServerConfig withWorkers(int v) { return new ServerConfig(host, port, modelsDir, maxUploadBytes, maxPixels, timeout, v, queueCapacity, tile, shutdownGrace, preload); }
    public ServerConfig withQueueCapacity(int v) { return new ServerConfig(host, port, modelsDir, maxUploadBytes, maxPixels, timeout, workers, v, tile, shutdownGrace, preload); }
    public ServerConfig withTile(int v) { return new ServerConfig(host, port, modelsDir, maxUploadBytes, maxPixels, timeout, workers, queueCapacity, v, shutdownGrace, preload); }
    public ServerConfig withShutdownGrace(Duration v) { return new ServerConfig(host, port, modelsDir, maxUploadBytes, maxPixels, timeout, workers, queueCapacity, tile, v, preload); }
    public ServerConfig withPreload(List<String> v) { return new ServerConfig(host, port, modelsDir, maxUploadBytes, maxPixels, timeout, workers, queueCapacity, tile, shutdownGrace, v); }
}
