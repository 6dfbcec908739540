package retouch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import retouch.image.Image;
import retouch.tile.Tiler;

/** A request past its time limit gets 503 + Retry-After and its work stops at the next tile. */
class WorkQueueCancelTest {
    @Test
    void timedOutWorkStopsAtTheNextTile() throws Exception {
        try (WorkQueue q = new WorkQueue(1, 1)) {
            Tiler tiler = new Tiler(32, 8, 1);
            int total = tiler.tileCount(512, 512);
            AtomicInteger tiles = new AtomicInteger();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            ApiException e = assertThrows(ApiException.class, () -> q.run(() -> tiler.apply(new Image(1, 512, 512), t -> {
                tiles.incrementAndGet();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt(); // a native model call would not notice either
                }
                return t;
            }), deadline));
            assertEquals(503, e.status());
            assertEquals("timeout", e.code());
            assertTrue(e.retryAfterSeconds() > 0);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (q.running() > 0 && System.nanoTime() < until) Thread.sleep(10);
            assertEquals(0, q.running(), "the worker stopped");
            int after = tiles.get();
            Thread.sleep(200);
            assertEquals(after, tiles.get(), "no tile ran after the stop");
            assertTrue(after < total / 4, "stopped after " + after + " of " + total + " tiles");
            // the worker is free for the next request, with its interrupt flag cleared
            assertEquals(total, (int) q.run(() -> {
                AtomicInteger n = new AtomicInteger();
                tiler.apply(new Image(1, 512, 512), t -> {
                    n.incrementAndGet();
                    return t;
                });
                return n.get();
            }, System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
        }
    }
}
