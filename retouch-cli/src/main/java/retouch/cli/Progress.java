package retouch.cli;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with rate and ETA on stderr (so --json on stdout stays clean). Silent for a single
 * item or when RETOUCH_NO_PROGRESS is set.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    Progress(String task, long total, String unit) {
        boolean show = total > 1 && System.getenv("RETOUCH_NO_PROGRESS") == null;
        this.bar = show ? new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setUpdateIntervalMillis(500)
                .setEtaFunction(state -> state.getCurrent() == 0 ? java.util.Optional.empty()
                        : java.util.Optional.of(Duration.ofMillis((long) (state.getElapsedAfterStart().toMillis()
                        * (double) (state.getMax() - state.getCurrent()) / state.getCurrent()))))
                .build() : null;
    }

    void step(String message) {
        if (bar != null) {
            bar.setExtraMessage(" " + message);
            bar.step();
        }
    }

    /** Moves the bar to {@code done} items. */
    void stepTo(long done) {
        if (bar != null) bar.stepTo(done);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
