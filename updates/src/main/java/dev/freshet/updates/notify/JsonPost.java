package dev.freshet.updates.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** POSTs a JSON body to a receiver; anything but a 2xx answer is a failed delivery. */
final class JsonPost {
    /** Longest a receiver may take to answer one delivery. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Only the start of a refusal is kept, for the error message. */
    private static final int ERROR_BYTES = 512;

    private JsonPost() {
    }

    static void send(HttpClient http, URI url, byte[] body, Map<String, String> headers) throws DeliveryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] start = in.readNBytes(ERROR_BYTES);
                if (response.statusCode() / 100 != 2) {
                    throw new DeliveryException("HTTP " + response.statusCode() + " from " + safe(url)
                            + (start.length == 0 ? "" : ": " + new String(start, StandardCharsets.UTF_8).strip()));
                }
            }
        } catch (IOException e) {
            throw new DeliveryException("cannot reach " + safe(url) + ": " + (e.getMessage() == null ? "connection failed (" + e.getClass().getSimpleName() + ")" : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while sending to " + safe(url), e);
        }
    }

    /** The URL without its query and with only the start of its path: Slack's and others' tokens live there. */
    static String safe(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        return url.getScheme() + "://" + url.getAuthority() + (path.length() > 12 ? path.substring(0, 12) + "..." : path);
    }
}
