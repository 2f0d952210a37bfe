package dev.freshet.updates.notify;

import dev.freshet.updates.events.Event;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Events as short text for people: the same words in Slack, e-mail and a webhook's summary. */
public final class EventText {
    private static final int SHORT_ID = 12;
    private static final int MAX_VALUE = 300;

    private EventText() {
    }

    /** "rollout rolled back: release 1a2b3c4d5e6f" */
    public static String headline(Event event) {
        String what = event.type().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return event.releaseId() == null ? what : what + ": release " + shortId(event.releaseId());
    }

    /** The headline with when, how severe, and every payload value. */
    public static String line(Event event) {
        String details = event.payload().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + value(e.getValue())).collect(Collectors.joining(", "));
        return event.occurredAt() + " " + event.severity() + " " + headline(event)
                + (event.previousReleaseId() == null ? "" : " (before: " + shortId(event.previousReleaseId()) + ")")
                + (details.isEmpty() ? "" : " - " + details);
    }

    private static String value(Object value) {
        String text = String.valueOf(value);
        return text.length() <= MAX_VALUE ? text : text.substring(0, MAX_VALUE) + "...";
    }

    private static String shortId(String id) {
        return id.length() <= SHORT_ID ? id : id.substring(0, SHORT_ID);
    }
}
