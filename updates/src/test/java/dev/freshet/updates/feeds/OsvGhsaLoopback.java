package dev.freshet.updates.feeds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test plumbing for the OSV and GitHub feed tests: a real HTTP server on loopback and a plain client for it. */
final class OsvGhsaLoopback {
    private OsvGhsaLoopback() {
    }

    /**
     * The simplest honest {@link FeedTransport}: one request with the JDK client, a 2xx or 304 comes
     * back, anything else is a {@link FeedException} naming the status. No retries: tests see every failure.
     */
    static final class Transport implements FeedTransport {
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        @Override
        public HttpResponse<byte[]> send(String feed, HttpRequest request) throws FeedException, InterruptedException {
            HttpResponse<byte[]> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new FeedException(feed, request.uri() + " unreachable: " + e.getMessage(), e);
            }
            int status = response.statusCode();
            if (status / 100 != 2 && status != 304) {
                throw new FeedException(feed, request.uri() + " answered HTTP " + status);
            }
            return response;
        }
    }

    /** What the server answers to one request. */
    record Answer(int status, String contentType, byte[] body) {
        static Answer json(String body) {
            return new Answer(200, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }

        static Answer status(int status) {
            return new Answer(status, "text/plain", ("HTTP " + status).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A request as the server saw it. */
    record Seen(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    @FunctionalInterface
    interface Handler {
        Answer answer(Seen request) throws IOException;
    }

    /** A loopback HTTP server: static files by path, or one handler for every request. */
    static final class Server implements AutoCloseable {
        final List<Seen> requests = new CopyOnWriteArrayList<>();
        final Map<String, byte[]> files = new ConcurrentHashMap<>();
        /** Paths that answer with this status instead of their file, once each. */
        final Map<String, Integer> failOnce = new ConcurrentHashMap<>();
        private volatile Handler handler;
        private final HttpServer server;

        Server() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        }

        void handler(Handler handler) {
            this.handler = handler;
        }

        List<String> paths() {
            return requests.stream().map(Seen::path).toList();
        }

        private void handle(HttpExchange exchange) {
            try (exchange) {
                Seen seen = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                requests.add(seen);
                Answer answer = answer(seen);
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
                exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
                exchange.getResponseBody().write(answer.body());
            } catch (IOException e) {
                // the client hung up: nothing to answer
            }
        }

        private Answer answer(Seen seen) throws IOException {
            Integer failure = failOnce.remove(seen.path());
            if (failure != null) {
                return Answer.status(failure);
            }
            if (handler != null) {
                return handler.answer(seen);
            }
            byte[] file = files.get(seen.path());
            return file == null ? Answer.status(404) : new Answer(200, "application/octet-stream", file);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
