package dev.freshet.updates.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Slack incoming webhook: {@code {"text": ..., "blocks": [...]}}, the text being the fallback
 * Slack shows in notifications. The URL is the secret, so it is never printed whole.
 */
public record SlackChannel(URI url, HttpClient http) implements Channel {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Slack takes at most 50 blocks and 3,000 characters of text in a section. */
    private static final int MAX_EVENT_BLOCKS = 45;
    private static final int MAX_SECTION_TEXT = 3000;

    @Override
    public String id() {
        return Channel.idOf("slack", url.toString());
    }

    @Override
    public String label() {
        return "slack " + JsonPost.safe(url);
    }

    @Override
    public void send(Message message) throws DeliveryException {
        JsonPost.send(http, url, body(message), Map.of());
    }

    static byte[] body(Message message) {
        List<Map<String, Object>> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "header", "text", Map.of("type", "plain_text", "text", cut(message.title(), 150))));
        List<String> lines = message.lines();
        lines.stream().limit(MAX_EVENT_BLOCKS).forEach(line ->
                blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", cut(escape(line), MAX_SECTION_TEXT)))));
        if (lines.size() > MAX_EVENT_BLOCKS) {
            blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn",
                    "text", (lines.size() - MAX_EVENT_BLOCKS) + " more event(s) in Freshet's event log"))));
        }
        try {
            return JSON.writeValueAsBytes(Map.of("text", cut(message.title(), MAX_SECTION_TEXT), "blocks", blocks));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a message is always JSON", e);
        }
    }

    /** Slack's mrkdwn gives &, < and > meaning; event text is shown as written. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    @Override
    public String toString() {
        return label();
    }
}
