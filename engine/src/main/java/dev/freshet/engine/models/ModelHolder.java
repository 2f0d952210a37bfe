package dev.freshet.engine.models;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The active model of a running scorer. A scored request takes the snapshot once and uses it to
 * the end; a swap replaces the whole model, built completely beforehand, so scoring never waits
 * or fails during one.
 */
public final class ModelHolder {
    private final AtomicReference<HttpAnomalyModel> current;

    public ModelHolder(HttpAnomalyModel initial) {
        current = new AtomicReference<>(Objects.requireNonNull(initial));
    }

    public HttpAnomalyModel current() {
        return current.get();
    }

    /** Makes {@code next} active; returns the model it replaced. */
    public HttpAnomalyModel swap(HttpAnomalyModel next) {
        return current.getAndSet(Objects.requireNonNull(next));
    }
}
