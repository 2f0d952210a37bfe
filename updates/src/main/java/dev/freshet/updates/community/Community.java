package dev.freshet.updates.community;

import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.SourceRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * Community learning's parts on one store, each built once: stored feedback, its processing into
 * rule health and probation (released through the updater's activations), contributors' reputation, contributions and rule patches. Contributions
 * and patches pass the updater's gate; patches are released by the updater.
 */
public record Community(FeedbackStore feedback, FeedbackProcessor processor, Reputation reputation, Contributions contributions,
                        RulePatcher patcher, FeedbackPolicy policy) {
    /** The community source lives in {@code dataDir}/{@value Contributions#SOURCE}. */
    public static Community on(Jdbi jdbi, ReleaseStore releases, SourceRegistry sources, Updater updater,
                               FeedbackPolicy policy, Path dataDir, Clock clock) {
        Reputation reputation = new Reputation(jdbi, clock);
        FeedbackStore feedback = new FeedbackStore(jdbi, clock);
        Contributions contributions = new Contributions(jdbi, updater.gate(), sources, reputation, policy,
                dataDir.resolve(Contributions.SOURCE), clock);
        return new Community(feedback, new FeedbackProcessor(jdbi, releases, updater.activations(), reputation, policy, clock), reputation, contributions,
                new RulePatcher(releases, sources, feedback, contributions, updater), policy);
    }
}
