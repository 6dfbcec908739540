package retouch.server;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded pool that runs the heavy part of requests (decode, model, encode): a fixed number of
 * workers and a fixed number of waiting places. A request that finds every place taken is refused
 * at once (503 + Retry-After) instead of piling up, so latency stays bounded under overload and
 * memory does not grow with the number of clients. A request past its time limit is cancelled:
 * its worker is interrupted and stops at its next tile ({@link retouch.tile.Tiler#checkCancelled()}).
 */
final class WorkQueue implements AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final int workers;
    private final int capacity;
    private final AtomicInteger running = new AtomicInteger();
    /** Exponential moving average of run time, nanoseconds (for Retry-After). */
    private final AtomicLong avgRunNanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1));

    WorkQueue(int workers, int capacity) {
        this.workers = workers;
        this.capacity = capacity;
        BlockingQueue<Runnable> q = capacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(capacity);
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, q, r -> {
            Thread t = new Thread(r, "retouch-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.prestartAllCoreThreads();
    }

    /**
     * Runs {@code job} on a worker and waits for it until {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @throws ApiException 503 "busy" when no place is free, 503 "timeout" past the deadline
     */
    <T> T run(Callable<T> job, long deadlineNanos) throws Exception {
        Future<T> f;
        try {
            f = pool.submit(() -> {
                running.incrementAndGet();
                long t0 = System.nanoTime();
                try {
                    return job.call();
                } finally {
                    long dt = System.nanoTime() - t0;
                    avgRunNanos.updateAndGet(a -> (long) (0.8 * a + 0.2 * dt));
                    running.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            if (pool.isShutdown()) {
                throw new ApiException(503, "shutting_down", "the server is shutting down; retry against another instance", 5);
            }
            throw new ApiException(503, "busy", "the server is busy (" + workers + " running, " + capacity
                    + " waiting); retry after the time in the Retry-After header", retryAfterSeconds());
        }
        try {
            long wait = deadlineNanos - System.nanoTime();
            return f.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // A job still waiting is dropped; one already running is interrupted and stops at its next tile.
            f.cancel(true);
            throw new ApiException(503, "timeout", "the request did not finish within the server's time limit; retry later or send a smaller image",
                    retryAfterSeconds());
        } catch (CancellationException e) {
            throw new ApiException(503, "shutting_down", "the server is shutting down", 5);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof CancellationException) {
                throw new ApiException(503, "shutting_down", "the server is shutting down; retry against another instance", 5);
            }
            if (c instanceof retouch.RetouchException re) {
                // found while working on the upload (e.g. an image too small to estimate its noise): bad input, not a crash
                throw ApiException.badRequest("bad_input", "image upload: " + re.getMessage());
            }
            if (c instanceof Exception ex) throw ex;
            if (c instanceof Error err) throw err;
            throw e;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiException(503, "shutting_down", "the server is shutting down", 5);
        }
    }

    /** Seconds until a place is likely free: average run time x jobs ahead / workers, 1..120. */
    int retryAfterSeconds() {
        double avg = avgRunNanos.get() / 1e9;
        double ahead = pool.getQueue().size() + running.get() + 1;
        return (int) Math.max(1, Math.min(120, Math.ceil(avg * ahead / workers)));
    }

    /** Requests waiting for a worker. */
    int waiting() { return pool.getQueue().size(); }

    /** Requests being worked on. */
    int running() { return running.get(); }

    int workers() { return workers; }

    int capacity() { return capacity; }

    /** Stops taking work and waits up to {@code grace} for accepted work to finish. */
    boolean drain(Duration grace) {
        pool.shutdown();
        try {
            return pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
