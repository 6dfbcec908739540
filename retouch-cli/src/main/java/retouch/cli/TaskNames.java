package retouch.cli;

import java.util.Iterator;
import retouch.nn.task.RestorationTasks;

/** The task registry's ids as picocli completion candidates: help texts list them with {@code ${COMPLETION-CANDIDATES}}. */
public final class TaskNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return RestorationTasks.ids().iterator();
    }
}
