package dev.freshet.updates.events;

/** What an event records, and how much it matters to an operator by default. */
public enum EventType {
    RELEASE_ACTIVATED(Severity.INFO),
    RELEASE_ROLLED_BACK(Severity.WARNING),
    /** Local overrides were added, removed or rebased: every node re-applies them. */
    OVERRIDES_CHANGED(Severity.INFO),
    /** A check's candidate had no rules and nothing was active, so nothing was released. */
    EMPTY_CANDIDATE_REFUSED(Severity.WARNING),
    /** A source could not be read; the release kept its rules from the active release. */
    SOURCE_REFUSED(Severity.WARNING);

    private final Severity severity;

    EventType(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }

    public enum Severity { INFO, WARNING, CRITICAL }
}
