package retouch.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code retouch doctor} reports: which engine and native library run, with how many
 * threads, on which device, and whether a fast memory allocator is preloaded (the largest single
 * factor in speed and memory, see DESIGN "Engine"). Collecting it never downloads anything.
 *
 * @param engineName DJL engine name ("PyTorch")
 * @param djlVersion DJL version
 * @param pytorchVersion version of the loaded libtorch
 * @param interopThreads PyTorch inter-op threads
 * @param intraopThreads PyTorch intra-op threads
 * @param defaultDevice device used when none is named ("cpu()" or "gpu(0)")
 * @param gpuCount GPUs the engine can see
 * @param gpuUsed whether the default device is a GPU
 * @param offline whether {@code ai.djl.offline} is set (no downloads)
 * @param cacheDir DJL cache folder (extracted native library)
 * @param allocator "tcmalloc", "jemalloc" or "glibc"
 * @param allocatorSource how the allocator was found ("LD_PRELOAD", "/proc/self/maps") or a hint
 * @param javaVersion the running JVM's version
 * @param maxHeapMb maximum Java heap in MiB
 * @param cpus available processors
 */
public record EngineInfo(
        String engineName,
        String djlVersion,
        String pytorchVersion,
        int interopThreads,
        int intraopThreads,
        String defaultDevice,
        int gpuCount,
        boolean gpuUsed,
        boolean offline,
        String cacheDir,
        String allocator,
        String allocatorSource,
        String javaVersion,
        long maxHeapMb,
        int cpus) {

    /** Loads the engine (via {@link Engines#init()}) and collects the report. */
    public static EngineInfo collect() {
        Engine engine = Engines.init();
        String[] alloc = detectAllocator();
        String device = engine.defaultDevice().toString();
        return new EngineInfo(
                engine.getEngineName(),
                Engine.getDjlVersion(),
                engine.getVersion(),
                JniUtils.getNumInteropThreads(),
                JniUtils.getNumThreads(),
                device,
                engine.getGpuCount(),
                engine.defaultDevice().isGpu(),
                Boolean.getBoolean("ai.djl.offline"),
                Utils.getCacheDir().toString(),
                alloc[0],
                alloc[1],
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * The preloaded allocator: {@code [name, source]}; name is "tcmalloc", "jemalloc" or "glibc".
     * Checks {@code LD_PRELOAD} first, then the libraries mapped into this process.
     */
    public static String[] detectAllocator() {
        String preload = System.getenv("LD_PRELOAD");
        String fromPreload = allocatorIn(preload);
        if (fromPreload != null) {
            return new String[] {fromPreload, "LD_PRELOAD"};
        }
        Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps)) {
            try (Stream<String> lines = Files.lines(maps)) {
                String found = lines.map(EngineInfo::allocatorIn).filter(a -> a != null).findFirst().orElse(null);
                if (found != null) {
                    return new String[] {found, "/proc/self/maps"};
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // fall through: unknown is reported as glibc
            }
        }
        return new String[] {"glibc", "not preloaded: install libtcmalloc-minimal4 and set LD_PRELOAD (about 2x less memory, faster)"};
    }

    private static String allocatorIn(String text) {
        if (text == null) {
            return null;
        }
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("libtcmalloc")) {
            return "tcmalloc";
        }
        if (t.contains("libjemalloc")) {
            return "jemalloc";
        }
        return null;
    }

    /** Key/value view in a stable order, for JSON output. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", engineName);
        m.put("djl_version", djlVersion);
        m.put("pytorch_version", pytorchVersion);
        m.put("interop_threads", interopThreads);
        m.put("intraop_threads", intraopThreads);
        m.put("default_device", defaultDevice);
        m.put("gpu_count", gpuCount);
        m.put("gpu_used", gpuUsed);
        m.put("offline", offline);
        m.put("cache_dir", cacheDir);
        m.put("allocator", allocator);
        m.put("allocator_source", allocatorSource);
        m.put("java_version", javaVersion);
        m.put("max_heap_mb", maxHeapMb);
        m.put("cpus", cpus);
        return m;
    }

    /** Human-readable report, one "key: value" per line. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        line(sb, "engine", engineName + " (DJL " + djlVersion + ")");
        line(sb, "pytorch", pytorchVersion);
        line(sb, "threads", intraopThreads + " intra-op, " + interopThreads + " inter-op (" + cpus + " CPUs; set " + Engines.THREADS_ENV + " to change)");
        line(sb, "device", defaultDevice + (gpuUsed ? " (GPU in use)" : gpuCount > 0 ? " (" + gpuCount + " GPU visible but not used)" : " (no GPU visible)"));
        line(sb, "offline", offline ? "yes (nothing is downloaded)" : "no (DJL may download native libraries)");
        line(sb, "cache dir", cacheDir);
        line(sb, "allocator", allocator + " (" + allocatorSource + ")");
        line(sb, "java", javaVersion + ", max heap " + maxHeapMb + " MiB");
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "%-10s %s%n", key + ":", value));
    }
}
