package dev.freshet.updates.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback (the JDK's HTTP server) that keeps every request it accepted and
 * answers with the status a test sets; {@link #stop} takes it off the network and {@link #restart}
 * brings it back on the same port.
 */
final class Receiver implements AutoCloseable {
    record Request(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().getFirst())
                    .findFirst().orElse(null);
        }
    }

    final List<Request> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    volatile int status = 200;
    private final int port;
    private HttpServer server;

    Receiver() throws IOException {
        server = start(0);
        port = server.getAddress().getPort();
    }

    private HttpServer start(int on) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), on), 0);
        s.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int answer = status;
            if (answer / 100 == 2) {
                accepted.add(new Request(Map.copyOf(exchange.getRequestHeaders()), body));
            } else {
                refused.incrementAndGet();
            }
            byte[] reply = (answer / 100 == 2 ? "ok" : "no_service").getBytes();
            exchange.sendResponseHeaders(answer, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        s.start();
        return s;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    void stop() {
        server.stop(0);
    }

    void restart() throws IOException {
        server = start(port);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
