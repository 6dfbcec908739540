package retouch.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import retouch.image.Image;

/** An interrupted thread stops at its next tile with a CancellationException. */
class TilerCancelTest {
    @Test
    void interruptStopsAtTheNextTile() throws Exception {
        Tiler tiler = new Tiler(32, 8, 1);
        Image im = new Image(1, 256, 256);
        int total = tiler.tileCount(256, 256); // 121
        AtomicInteger done = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(3);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                tiler.apply(im, tile -> {
                    done.incrementAndGet();
                    started.countDown();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // as a model that ignores interrupts would leave it
                    }
                    return tile;
                });
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        t.interrupt();
        t.join(10_000);
        assertTrue(failure.get() instanceof CancellationException, "got " + failure.get());
        assertTrue(done.get() < 10, "stopped early, after " + done.get() + " of " + total + " tiles");
    }

    @Test
    void uninterruptedWorkRunsToTheEnd() {
        Tiler tiler = new Tiler(32, 8, 1);
        AtomicInteger done = new AtomicInteger();
        Image out = tiler.apply(Image.filled(1, 100, 100, 0.5f), tile -> {
            done.incrementAndGet();
            return tile;
        });
        assertEquals(tiler.tileCount(100, 100), done.get());
        assertEquals(0.5f, out.get(0, 50, 50), 1e-6f);
    }
}
