package dev.freshet.updates.events;

import java.util.EnumSet;
import java.util.Set;

/**
 * What an event records, and how much it matters to an operator by default: notifications send
 * {@link Severity#CRITICAL} events at once and the others in digests. A new kind of change adds
 * one constant here with its severity; nothing else has to know about it.
 */
public enum EventType {
    /** A new release was stored on its track (not yet live). */
    RELEASE_CREATED(Severity.INFO),
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
    /** A model version passed its gate and was released on its track. */
    MODEL_RELEASED(Severity.INFO),
    /** A model version failed its gate: stored with its reasons, never activated. */
    MODEL_REJECTED(Severity.WARNING),
    /**
     * A model source offered an artifact this engine cannot use (another model, feature schema or a
     * newer engine; not an artifact at all): nothing was released.
     */
    MODEL_REFUSED(Severity.WARNING),
    /** A scheduled learning run could not make a version (too little admitted traffic, unreadable logs). */
    MODEL_LEARNING_SKIPPED(Severity.INFO),
    /** An operator reported a model's verdict wrong: a false positive or a missed attack. */
    MODEL_FEEDBACK(Severity.INFO),
    /** Feedback put a rule on probation (its findings demoted by a generated override), or its probation ended. */
    RULE_PROBATION_STARTED(Severity.WARNING),
    RULE_PROBATION_ENDED(Severity.INFO),
    /**
     * A contribution was submitted (with the gate's outcome; a rule patch made from feedback names the feedback),
     * or approved (published into the community source) or rejected.
     */
    CONTRIBUTION_SUBMITTED(Severity.INFO),
    CONTRIBUTION_REVIEWED(Severity.INFO),
    /** An update is ready but waits: for a maintenance window or for a person's approval. */
    UPDATE_HELD(Severity.INFO),
    /** {@code [testing] pre_update_tests}: a release failed its check before going live and stays inactive. */
    PRE_UPDATE_TESTS_FAILED(Severity.WARNING),
    /** A feed's stored data became older than its freshness target, and later fresh again. */
    FEED_STALE(Severity.WARNING),
    FEED_RECOVERED(Severity.INFO),
    /** A watched project has a new finding that is critical (CVSS 9.0 or more) or known to be exploited (CISA KEV). */
    PROJECT_CRITICAL_FINDING(Severity.CRITICAL),
    /** Credits were granted to a tenant, or charged for custom rules. */
    CREDITS_GRANTED(Severity.INFO),
    CREDITS_CHARGED(Severity.INFO),
    /** A tenant's plan changed. */
    TENANT_TIER_CHANGED(Severity.INFO),
    /** A request for custom rules finished: its rules validated or failed, the tenant's library released. */
    CUSTOM_RULES_GENERATED(Severity.INFO),
    /** A request for custom rules was given up after failing on every attempt; what it could not make was refunded. */
    CUSTOM_RULES_FAILED(Severity.WARNING),
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
