package dev.freshet.updates.gate;

import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.sources.SourceSnapshot;
import java.util.Objects;
import java.util.Optional;

/**
 * One source's snapshot as the gate sees it.
 *
 * @param priority      between rules with the same id, the higher priority source's rule is kept
 * @param testsRequired a rule of this source without a test file for its languages is rejected
 * @param fallback      what the gate validates instead when the snapshot cannot be read at all:
 *                      the source's rules in the active release
 */
public record SnapshotWithPolicy(SourceSnapshot snapshot, int priority, boolean testsRequired, Optional<SourceSnapshot> fallback) {
    public SnapshotWithPolicy {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(fallback, "fallback");
    }

    public SnapshotWithPolicy(SourceSnapshot snapshot, int priority, boolean testsRequired) {
        this(snapshot, priority, testsRequired, Optional.empty());
    }

    public static SnapshotWithPolicy of(SourceSnapshot snapshot, SourceSettings settings) {
        return new SnapshotWithPolicy(snapshot, settings.priority(), settings.testsRequired());
    }

    public SnapshotWithPolicy withFallback(Optional<SourceSnapshot> previous) {
        return new SnapshotWithPolicy(snapshot, priority, testsRequired, previous);
    }

    SnapshotWithPolicy fallingBack() {
        return new SnapshotWithPolicy(fallback.orElseThrow(), priority, testsRequired, Optional.empty());
    }
}
