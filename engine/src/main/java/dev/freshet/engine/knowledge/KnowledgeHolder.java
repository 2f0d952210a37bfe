package dev.freshet.engine.knowledge;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one place the running system keeps its active knowledge. Swapping replaces the whole
 * snapshot atomically; the next snapshot is always built completely before it is swapped in.
 */
public final class KnowledgeHolder {
    private final AtomicReference<Knowledge> current;

    public KnowledgeHolder(Knowledge initial) {
        current = new AtomicReference<>(Objects.requireNonNull(initial));
    }

    /** The snapshot to use from now until the caller's unit of work (a scan) ends. */
    public Knowledge current() {
        return current.get();
    }

    /** Makes {@code next} active; returns the snapshot it replaced. */
    public Knowledge swap(Knowledge next) {
        return current.getAndSet(Objects.requireNonNull(next));
    }
}
