package dev.freshet.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code freshet serve} in a child JVM on loopback (this JVM's class path), on a work
 * directory whose feeds all point at a closed port: started, asked over HTTP, and stopped or
 * killed with SIGKILL.
 */
final class ServeProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERVING = Pattern.compile("serving on http://[^:]+:(\\d+)/");
    private static final Pattern KEY = Pattern.compile("^(fsk_\\S+)$");

    /** A response: status and body (-1 and the failure when there was none). */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private final Process process;
    private final int port;
    private final Optional<String> firstKey;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ServeProcess(Process process, int port, Optional<String> firstKey) {
        this.process = process;
        this.port = port;
        this.firstKey = firstKey;
    }

    /** How a child JVM runs: as the product does, or compiled quickly for short lives (kill -9 rounds). */
    enum Jvm { PRODUCT, SHORT_LIVED }

    /** Starts {@code freshet serve} on a free port with {@code work}'s configuration and waits until it listens. */
    static ServeProcess start(Path work, List<String> serveArguments, Jvm jvm, Duration patience) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-Xmx1g"));
        if (jvm == Jvm.SHORT_LIVED) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.freshet.app.Main", "serve", "--port", "0",
                "--config", OfflineConfig.write(work).toString()));
        command.addAll(serveArguments);
        Process process = new ProcessBuilder(command).directory(work.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        // One reader for the child's output: it finds the port and the first-start key, then keeps draining.
        CompletableFuture<Integer> port = new CompletableFuture<>();
        List<String> keys = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher key = KEY.matcher(line.strip());
                    Matcher serving = SERVING.matcher(line);
                    synchronized (keys) {
                        if (key.matches()) {
                            keys.add(key.group(1));
                        }
                        if (lines.size() < 200) {
                            lines.add(line);
                        }
                    }
                    if (serving.find()) {
                        port.complete(Integer.parseInt(serving.group(1)));
                    }
                }
            } catch (IOException e) {
                // the child went away; the wait below reports it
            }
            port.completeExceptionally(new IOException("freshet serve closed its output"));
        });
        try {
            int listening = port.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (keys) {
                return new ServeProcess(process, listening, keys.stream().findFirst());
            }
        } catch (Exception e) {
            process.destroyForcibly();
            synchronized (keys) {
                throw new IOException("freshet serve did not start within " + patience.toSeconds() + " s: " + e.getMessage()
                        + "; its output:\n" + String.join("\n", lines), e);
            }
        }
    }

    /** Whether {@code freshet serve} takes an option (the product this bench runs on may not have it yet). */
    static boolean serveAccepts(String option) throws IOException, InterruptedException {
        Process help = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"), "dev.freshet.app.Main", "serve",
                "--help").redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        help.waitFor();
        return text.contains(option);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    int port() {
        return port;
    }

    /** The admin key printed on first start, if this start printed one. */
    Optional<String> firstKey() {
        return firstKey;
    }

    Answer get(String key, String path, Duration timeout) {
        return send(request(key, path, timeout).GET());
    }

    Answer post(String key, String path, String json, Duration timeout) {
        return send(request(key, path, timeout).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer delete(String key, String path, Duration timeout) {
        return send(request(key, path, timeout).DELETE());
    }

    private HttpRequest.Builder request(String key, String path, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout);
        return key == null ? builder : builder.header("Authorization", "Bearer " + key);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "interrupted");
        }
    }

    /** SIGKILL: no shutdown hook, no drain, as a crash or the OOM killer would stop it. */
    void kill() {
        process.destroyForcibly();
        waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: the service drains and stops
            if (!waitFor()) {
                process.destroyForcibly();
                waitFor();
            }
        }
    }

    private boolean waitFor() {
        try {
            return process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
