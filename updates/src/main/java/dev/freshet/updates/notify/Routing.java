package dev.freshet.updates.notify;

import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * Which events a channel is sent and when: critical ones at once (unless security alerts wait for
 * the digest too), the rest gathered into hourly or daily digests, or all at once.
 *
 * @param types the event types sent; empty means every type
 */
public record Routing(boolean securityAlertImmediate, Digest digest, EventType.Severity minSeverity, Set<EventType> types) {
    public static final Routing DEFAULT = new Routing(true, Digest.HOURLY, EventType.Severity.INFO, Set.of());

    public Routing {
        types = Set.copyOf(types);
    }

    /** How events that are not sent at once are gathered; {@link #IMMEDIATE} sends each event at once. */
    public enum Digest {
        HOURLY(ChronoUnit.HOURS), DAILY(ChronoUnit.DAYS), IMMEDIATE(null);

        private final ChronoUnit period;

        Digest(ChronoUnit period) {
            this.period = period;
        }

        /** When the digest collecting at {@code now} is sent: the end of the current hour or day (UTC). */
        public Instant dueAfter(Instant now) {
            return now.atZone(ZoneOffset.UTC).truncatedTo(period).plus(1, period).toInstant();
        }
    }

    public sealed interface Route {
        record Now() implements Route { }

        record InDigest(Instant due) implements Route { }

        record Skip() implements Route { }
    }

    public Route route(Event event, Instant now) {
        if (event.severity().compareTo(minSeverity) < 0 || !types.isEmpty() && !types.contains(event.type())) {
            return new Route.Skip();
        }
        if (digest == Digest.IMMEDIATE || securityAlertImmediate && event.severity() == EventType.Severity.CRITICAL) {
            return new Route.Now();
        }
        return new Route.InDigest(digest.dueAfter(now));
    }
}
