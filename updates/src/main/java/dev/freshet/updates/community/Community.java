package dev.freshet.updates.community;

import dev.freshet.updates.gate.ValidationGate;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.sources.SourceRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * Community learning's parts on one store, each built once: stored feedback, its processing into
 * rule health and probation, contributors' reputation and contributions.
 */
public record Community(FeedbackStore feedback, FeedbackProcessor processor, Reputation reputation, Contributions contributions,
                        FeedbackPolicy policy) {
    /** The community source lives in {@code dataDir}/{@value Contributions#SOURCE}. */
    public static Community on(Jdbi jdbi, Overrides overrides, SourceRegistry sources, ValidationGate gate, FeedbackPolicy policy,
                               Path dataDir, Clock clock) {
        Reputation reputation = new Reputation(jdbi, clock);
        return new Community(new FeedbackStore(jdbi, clock), new FeedbackProcessor(jdbi, overrides, reputation, policy, clock), reputation,
                new Contributions(jdbi, gate, sources, reputation, policy, dataDir.resolve(Contributions.SOURCE), clock), policy);
    }
}
