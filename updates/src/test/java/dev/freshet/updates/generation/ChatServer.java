package dev.freshet.updates.generation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenAI-compatible chat-completions server on loopback that answers from a script: each request
 * takes the next step (an answer, a status with headers, or an answer sent late), and is recorded.
 */
public final class ChatServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scripted answer. */
    public sealed interface Step {
        /** A 200 whose choices[0].message.content is {@code content}. */
        record Answer(String content) implements Step {
        }

        /** An answer sent after {@code delayMillis}: past the client's timeout, it is a timeout. */
        record Late(long delayMillis, String content) implements Step {
        }

        /** Any status with headers and a raw body (429 with Retry-After, 500, a body that is not JSON). */
        record Raw(int status, Map<String, String> headers, String body) implements Step {
        }
    }

    /** A request as the server saw it. */
    public record Seen(String path, String authorization, Map<?, ?> body) {
        /** The text of every message, in order. */
        @SuppressWarnings("unchecked")
        public List<String> messages() {
            return ((List<Map<String, Object>>) body.get("messages")).stream().map(m -> String.valueOf(m.get("content"))).toList();
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Step> script = new ConcurrentLinkedQueue<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public ChatServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    public ChatServer then(Step... steps) {
        script.addAll(List.of(steps));
        return this;
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public int remaining() {
        return script.size();
    }

    /** A chat-completions answer whose message content is {@code content}. */
    public static String completion(String content) {
        try {
            return JSON.writeValueAsString(Map.of("id", "chatcmpl-1", "object", "chat.completion", "model", "scripted",
                    "choices", List.of(Map.of("index", 0, "finish_reason", "stop", "message", Map.of("role", "assistant", "content", content)))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A draft as a model is asked to write it: one fenced YAML block with the rule and both examples. */
    public static String fenced(String rule, String vulnerable, String safe) {
        return "Here is the rule.\n```yaml\nrule: |\n" + indent(rule) + "vulnerable_example: |\n" + indent(vulnerable)
                + "safe_example: |\n" + indent(safe) + "```\n";
    }

    private static String indent(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            out.append(line.isEmpty() ? "" : "  " + line).append('\n');
        }
        return out.toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<?, ?> body = JSON.readValue(exchange.getRequestBody().readAllBytes(), Map.class);
            seen.add(new Seen(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"), body));
            Step step = script.poll();
            if (step == null) {
                send(exchange, 500, Map.of(), "{\"error\": \"the script has no more steps\"}");
                return;
            }
            switch (step) {
                case Step.Answer answer -> send(exchange, 200, Map.of(), completion(answer.content()));
                case Step.Late late -> {
                    try {
                        Thread.sleep(late.delayMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    send(exchange, 200, Map.of(), completion(late.content()));
                }
                case Step.Raw raw -> send(exchange, raw.status(), raw.headers(), raw.body());
            }
        } catch (IOException e) {
            // the client gave up (a timeout): nothing to answer
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
