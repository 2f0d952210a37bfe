package dev.freshet.updates.rollout;

import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import java.time.Clock;
import dev.freshet.updates.release.Track;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The one way a release becomes live, whoever asks (a person through the CLI or the API, the
 * updater, the first start): in one transaction it appends the history row, settles the updates
 * that were pending (the release now live supersedes them) and appends the event. Activating the
 * live release again changes nothing and logs nothing.
 */
public final class ActivationService {
    private final Jdbi jdbi;
    private final ReleaseStore releases;
    private final Clock clock;
    private final EventLog events;
    private final RolloutEngine rollouts;

    public ActivationService(Jdbi jdbi, ReleaseStore releases, Clock clock) {
        this(jdbi, releases, clock, FeedbackSignal.NONE);
    }

    /** With {@code feedback}, people's false-positive reports are one of the rollout analysis's metrics. */
    public ActivationService(Jdbi jdbi, ReleaseStore releases, Clock clock, FeedbackSignal feedback) {
        this.jdbi = jdbi;
        this.releases = releases;
        this.clock = clock;
        this.events = new EventLog(jdbi);
        this.rollouts = new RolloutEngine(jdbi, this, clock, feedback);
    }

    /** The rollout engine that moves releases through plans on this store, promoting through this service. */
    public RolloutEngine rollouts() {
        return rollouts;
    }

    /** The event log this service appends to, for decisions that change no release (an update refused). */
    public EventLog events() {
        return events;
    }

    /** Makes the release (id or unique prefix) live. */
    public Activation activate(String releaseId, Trigger trigger, String reason) {
        return ReleaseStore.logged(jdbi.inTransaction(h -> recorded(h, releases.activate(h, releaseId, trigger, reason))));
    }

    /** Makes {@code toRelease} live again on {@code rules}, by default the release live before the current one. */
    public Activation rollback(Optional<String> toRelease, Trigger trigger, String reason) {
        return rollback(Track.RULES, toRelease, trigger, reason);
    }

    /** Makes {@code toRelease} live again on the track, by default the release live before the current one. */
    public Activation rollback(Track track, Optional<String> toRelease, Trigger trigger, String reason) {
        return ReleaseStore.logged(jdbi.inTransaction(h -> recorded(h, releases.rollback(h, track, toRelease, trigger, reason))));
    }

    /**
     * Makes several releases (of different tracks) live in one transaction, each after the releases
     * it needs: all or none. Two releases of one track, or needs that form a cycle, are refused.
     */
    public List<Activation> activateAll(List<String> releaseIds, Trigger trigger, String reason) {
        List<ReleaseStore.Change> changes = jdbi.inTransaction(h -> {
            List<ReleaseStore.Change> done = new ArrayList<>();
            for (String id : DependencyOrder.of(h, releaseIds)) {
                done.add(recorded(h, releases.activate(h, id, trigger, reason)));
            }
            return done;
        });
        return changes.stream().map(ReleaseStore::logged).toList();
    }

    /** {@link #activate} in the caller's transaction, for a change that commits with other rows (a promoted rollout). */
    public ReleaseStore.Change activate(Handle h, String releaseId, Trigger trigger, String reason) {
        return recorded(h, releases.activate(h, releaseId, trigger, reason));
    }

    /**
     * {@link #activate(Handle, String, Trigger, String)} of a release Freshet derived from the live one
     * (the same rules with a generated override added or removed): it brings none of the updates
     * that wait, so they keep waiting.
     */
    public ReleaseStore.Change activateDerived(Handle h, String releaseId, String reason) {
        return recorded(h, releases.activate(h, releaseId, Trigger.AUTOMATIC, reason), false);
    }

    private ReleaseStore.Change recorded(Handle h, ReleaseStore.Change change) {
        return recorded(h, change, true);
    }

    private ReleaseStore.Change recorded(Handle h, ReleaseStore.Change change, boolean settlesPending) {
        if (settlesPending) {
            PendingUpdates.resolveAll(h, clock.instant());
        }
        if (change.appended()) {
            Activation a = change.activation();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("seq", a.seq());
            payload.put("track", a.track());
            payload.put("trigger", a.trigger().name());
            if (a.reason() != null) {
                payload.put("reason", a.reason());
            }
            EventLog.append(h, a.at(), a.kind() == Activation.Kind.ROLLBACK ? EventType.RELEASE_ROLLED_BACK : EventType.RELEASE_ACTIVATED,
                    a.releaseId(), a.previousReleaseId(), payload);
        }
        return change;
    }
}
