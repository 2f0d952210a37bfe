package dev.freshet.updates.gate;

import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.sources.SourceSnapshot;
import java.util.Objects;

/**
 * One source's snapshot as the gate sees it.
 *
 * @param priority      between rules with the same id, the higher priority source's rule is kept
 * @param testsRequired a rule of this source without a test file for its languages is rejected
 */
public record SnapshotWithPolicy(SourceSnapshot snapshot, int priority, boolean testsRequired) {
    public SnapshotWithPolicy {
        Objects.requireNonNull(snapshot, "snapshot");
    }

    public static SnapshotWithPolicy of(SourceSnapshot snapshot, SourceSettings settings) {
        return new SnapshotWithPolicy(snapshot, settings.priority(), settings.testsRequired());
    }
}
