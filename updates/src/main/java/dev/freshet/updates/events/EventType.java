package dev.freshet.updates.events;

import java.util.EnumSet;
import java.util.Set;

/** What an event records, and how much it matters to an operator by default. */
public enum EventType {
    RELEASE_ACTIVATED(Severity.INFO),
    RELEASE_ROLLED_BACK(Severity.WARNING),
    /** Local overrides were added, removed or rebased: every node re-applies them. */
    OVERRIDES_CHANGED(Severity.INFO),
    /** A check's candidate had no rules and nothing was active, so nothing was released. */
    EMPTY_CANDIDATE_REFUSED(Severity.WARNING),
    /** A source could not be read; the release kept its rules from the active release. */
    SOURCE_REFUSED(Severity.WARNING),
    /** A rollout started, moved to its next step, paused, resumed, promoted, rolled back or was aborted. */
    ROLLOUT_STARTED(Severity.INFO),
    ROLLOUT_STEP(Severity.INFO),
    /** An analysis window breached a threshold, below the failure limit. */
    ROLLOUT_ANALYSIS_FAILED(Severity.WARNING),
    ROLLOUT_PAUSED(Severity.WARNING),
    ROLLOUT_RESUMED(Severity.INFO),
    ROLLOUT_PROMOTED(Severity.INFO),
    ROLLOUT_ROLLED_BACK(Severity.CRITICAL),
    ROLLOUT_ABORTED(Severity.WARNING),
    /** Credits were granted to a tenant, or charged for custom rules. */
    CREDITS_GRANTED(Severity.INFO),
    CREDITS_CHARGED(Severity.INFO),
    /** A tenant's plan changed. */
    TENANT_TIER_CHANGED(Severity.INFO),
    /** A request for custom rules finished: its rules validated or failed, the tenant's library released. */
    CUSTOM_RULES_GENERATED(Severity.INFO),
    /** The research job released rules for new CVEs. */
    RESEARCH_RULES_RELEASED(Severity.INFO);

    /** Every change of a rollout's state: nodes poll the newest of these to notice one. */
    public static final Set<EventType> ROLLOUT_CHANGES = EnumSet.of(ROLLOUT_STARTED, ROLLOUT_STEP,
            ROLLOUT_PAUSED, ROLLOUT_RESUMED, ROLLOUT_PROMOTED, ROLLOUT_ROLLED_BACK, ROLLOUT_ABORTED);

    private final Severity severity;

    EventType(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }

    public enum Severity { INFO, WARNING, CRITICAL }
}
