package dev.freshet.app.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The slow-body attack: {@code connections} uploads of one valid key send their headers, then one
 * byte every two seconds, while {@code /health/live} is polled. Measures the polls' latency and
 * failures and what the slow uploads were answered.
 */
public final class SlowBodyProbe {
    /**
     * @param outcomes how the slow uploads ended: HTTP status, "closed" when the server closed the
     *                 connection without one, "none" when it let the upload go on to the end
     */
    public record Result(int connections, int polls, int pollFailures, long p50Millis, long p99Millis, long maxMillis,
                         Map<String, Integer> outcomes) {
    }

    private SlowBodyProbe() {
    }

    /** The attack on the server at {@code port} with {@code key}, polling {@code /health/live} for {@code attack}. */
    public static Result run(int port, String key, int connections, Duration attack) throws InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        List<Long> latencies = new ArrayList<>();
        int failures = 0;
        try (ExecutorService slow = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
            for (int i = 0; i < connections; i++) {
                slow.submit(() -> outcomes.merge(trickle(port, key, attack.plusSeconds(10)), 1, Integer::sum));
                Thread.sleep(5);
            }
            long until = System.nanoTime() + attack.toNanos();
            while (System.nanoTime() < until) {
                long started = System.nanoTime();
                try {
                    if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                        failures++;
                    }
                } catch (IOException e) {
                    failures++;
                }
                latencies.add((System.nanoTime() - started) / 1_000_000);
                Thread.sleep(50);
            }
            slow.shutdown();
            slow.awaitTermination(attack.toSeconds() + 30, TimeUnit.SECONDS);
        }
        List<Long> sorted = latencies.stream().sorted().toList();
        return new Result(connections, sorted.size(), failures, percentile(sorted, 50), percentile(sorted, 99),
                sorted.isEmpty() ? 0 : sorted.getLast(), new TreeMap<>(outcomes));
    }

    static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** One slow upload; what it was answered: the HTTP status, or "none". */
    private static String trickle(int port, String key, Duration patience) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(100);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /api/projects HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long until = System.nanoTime() + patience.toNanos();
            long nextByte = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            StringBuilder statusLine = new StringBuilder();
            while (System.nanoTime() < until) {
                try {
                    int b = in.read();
                    if (b < 0) {
                        return statusLine.length() > 12 ? statusLine.substring(9, 12) : "closed";
                    }
                    statusLine.append((char) b);
                    if (statusLine.length() >= 12) {
                        return statusLine.substring(9, 12); // "HTTP/1.1 429"
                    }
                } catch (SocketTimeoutException nothingYet) {
                    if (System.nanoTime() >= nextByte) {
                        out.write(' ');
                        out.flush();
                        nextByte += Duration.ofSeconds(2).toNanos();
                    }
                }
            }
            return "none";
        } catch (IOException e) {
            return "closed";
        }
    }
}
