package dev.freshet.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.updates.generation.Draft;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat-completions model on loopback for the generation benchmark: for each rule it is asked for,
 * its first answer is the rule without its sanitizers (so it also reports the safe example and the
 * loop must retry), every later answer the right rule. Rules it knows nothing of get prose, not a draft.
 */
final class ScriptedChatServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RULE_ID = Pattern.compile("rule with id `([^`]+)`");

    private final HttpServer server;
    private final Map<String, Draft> drafts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();

    ScriptedChatServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    /** The right answer for {@code ruleId}. */
    void knows(String ruleId, Draft draft) {
        drafts.put(ruleId, draft);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Matcher id = RULE_ID.matcher(request.path("messages").path(1).path("content").asText());
            Draft draft = id.find() ? drafts.get(id.group(1)) : null;
            String content;
            if (draft == null) {
                content = "I cannot help with that rule.";
            } else {
                int attempt = asked.computeIfAbsent(id.group(1), k -> new AtomicInteger()).incrementAndGet();
                int sanitizers = draft.yaml().indexOf("    pattern-sanitizers:");
                String yaml = attempt == 1 && sanitizers > 0 ? draft.yaml().substring(0, sanitizers) : draft.yaml();
                content = "```yaml\nrule: |\n" + indent(yaml) + "vulnerable_example: |\n" + indent(draft.vulnerable())
                        + "safe_example: |\n" + indent(draft.safe()) + "```\n";
            }
            byte[] body = JSON.writeValueAsBytes(Map.of("id", "bench", "object", "chat.completion", "choices",
                    List.of(Map.of("index", 0, "message", Map.of("role", "assistant", "content", content)))));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String indent(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            out.append(line.isEmpty() ? "" : "  " + line).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }

}
