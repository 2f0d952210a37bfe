package dev.freshet.updates.sources;

import java.util.Objects;

/**
 * What every source has, whatever its kind.
 *
 * @param schedule      when to check for updates, a cron expression (seconds first, as db-scheduler reads it)
 * @param priority      decides between rules with the same id from different sources: higher wins
 * @param testsRequired whether each rule must ship its own test file to pass the validation gate
 */
public record SourceSettings(Channel channel, String schedule, int priority, boolean enabled, boolean testsRequired) {
    public static final String HOURLY = "0 0 * * * *";

    public SourceSettings {
        Objects.requireNonNull(channel, "channel");
        if (schedule == null || schedule.isBlank()) {
            throw new IllegalArgumentException("schedule must be a cron expression such as '" + HOURLY + "'");
        }
        schedule = schedule.strip();
    }

    /** Stable channel, hourly, priority 0, enabled, tests not required. */
    public static SourceSettings defaults() {
        return new SourceSettings(Channel.STABLE, HOURLY, 0, true, false);
    }

    public SourceSettings withPriority(int newPriority) {
        return new SourceSettings(channel, schedule, newPriority, enabled, testsRequired);
    }

    public SourceSettings withEnabled(boolean newEnabled) {
        return new SourceSettings(channel, schedule, priority, newEnabled, testsRequired);
    }

    public SourceSettings withTestsRequired(boolean required) {
        return new SourceSettings(channel, schedule, priority, enabled, required);
    }
}
