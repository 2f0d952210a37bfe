package dev.freshet.updates.feeds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where a GitHub advisory sync stands, as small JSON. A run of queries shares one
 * {@code updatedSince} ({@code since}); {@code after} is GitHub's {@code endCursor} within that run,
 * null once the run reached its end. {@code newest} is the latest {@code updatedAt} delivered and
 * {@code atNewest} the advisories delivered with exactly that time: the next run asks for
 * everything updated since {@code newest} (GitHub counts that time in) and skips those, so nothing
 * arrives twice.
 */
record GhsaCursor(Instant since, String after, Instant newest, Set<String> atNewest) {
    private static final ObjectMapper JSON = new ObjectMapper();

    GhsaCursor {
        atNewest = Set.copyOf(atNewest);
    }

    static GhsaCursor start() {
        return new GhsaCursor(null, null, null, Set.of());
    }

    /** The cursor once {@code id}, updated at {@code updated}, is delivered. */
    GhsaCursor delivered(String id, Instant updated) {
        if (newest == null || updated.isAfter(newest)) {
            return new GhsaCursor(since, after, updated, Set.of(id));
        }
        if (updated.equals(newest)) {
            Set<String> ids = new LinkedHashSet<>(atNewest);
            ids.add(id);
            return new GhsaCursor(since, after, newest, ids);
        }
        return this;
    }

    /** Whether {@code id} at {@code updated} was already delivered by the previous run. */
    boolean alreadyDelivered(String id, Instant updated) {
        return updated.equals(newest) && atNewest.contains(id);
    }

    GhsaCursor at(String endCursor) {
        return new GhsaCursor(since, endCursor, newest, atNewest);
    }

    /** The start of the next run: updated since the newest time delivered. */
    GhsaCursor nextRun() {
        return new GhsaCursor(newest, null, newest, atNewest);
    }

    String text() {
        ObjectNode node = JSON.createObjectNode();
        node.put("since", since == null ? null : since.toString());
        node.put("after", after);
        node.put("newest", newest == null ? null : newest.toString());
        ArrayNode ids = node.putArray("atNewest");
        atNewest.stream().sorted().forEach(ids::add);
        return node.toString();
    }

    static GhsaCursor parse(String feed, String text) throws FeedException {
        if (text == null) {
            return start();
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isObject() && node.path("atNewest").isArray()) {
                Set<String> ids = new LinkedHashSet<>();
                node.path("atNewest").forEach(id -> ids.add(id.asText()));
                return new GhsaCursor(instant(node.get("since")), textOrNull(node.get("after")), instant(node.get("newest")), ids);
            }
        } catch (IOException | DateTimeParseException e) {
            // falls through to the one message below
        }
        throw new FeedException(feed, "stored cursor '" + OsvFeed.abbreviate(text) + "' is not a GitHub advisory cursor; reset the feed's cursor to sync from the start");
    }

    private static Instant instant(JsonNode node) {
        return node == null || node.isNull() ? null : Instant.parse(node.asText());
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
