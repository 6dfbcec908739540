package retouch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineInfoTest {

    @Test
    void reportsTheLoadedEngineOffline() {
        EngineInfo info = EngineInfo.collect();
        assertEquals("PyTorch", info.engineName());
        // the versions of what is loaded, whatever the build pins
        assertEquals(Engine.getEngine("PyTorch").getVersion(), info.pytorchVersion());
        assertEquals(Engine.getDjlVersion(), info.djlVersion());
        assertTrue(info.pytorchVersion().matches("\\d+\\.\\d+\\.\\d+.*"), info.pytorchVersion());
        assertTrue(info.djlVersion().matches("\\d+\\.\\d+\\.\\d+.*"), info.djlVersion());
        assertTrue(info.offline(), "tests run with ai.djl.offline=true");
        assertTrue(info.intraopThreads() >= 1);
        assertTrue(info.interopThreads() >= 1);
        assertEquals(info.gpuCount() > 0, info.gpuUsed());
        assertTrue(info.maxHeapMb() > 0);
        assertEquals(System.getProperty("java.version"), info.javaVersion());

        Map<String, Object> m = info.toMap();
        assertEquals("PyTorch", m.get("engine"));
        assertEquals(info.intraopThreads(), m.get("intraop_threads"));
        assertEquals(15, m.size());
        String text = info.toText();
        assertTrue(text.contains("pytorch:   " + info.pytorchVersion()), text);
        assertTrue(text.contains("allocator: " + info.allocator()), text);
    }

    @Test
    void allocatorMatchesLdPreload() {
        String preload = System.getenv("LD_PRELOAD");
        String[] alloc = EngineInfo.detectAllocator();
        if (preload != null && preload.contains("libtcmalloc")) {
            assertEquals("tcmalloc", alloc[0]);
            assertEquals("LD_PRELOAD", alloc[1]);
        } else if (preload != null && preload.contains("libjemalloc")) {
            assertEquals("jemalloc", alloc[0]);
        } else {
            assertFalse(alloc[0].isEmpty());
            assertTrue(alloc[0].equals("glibc") || alloc[1].equals("/proc/self/maps"));
        }
    }
}
