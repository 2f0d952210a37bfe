package dev.freshet.updates.tuf;

import dev.freshet.updates.http.BoundedFetch;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Fetches repository files over HTTP(S), or from a directory for {@code file:} URLs, never reading
 * more than a given number of bytes and never waiting longer than the download timeout per file.
 */
final class Downloader implements AutoCloseable {
    enum Outcome { OK, NOT_FOUND, NOT_MODIFIED }

    /** HTTP cache validators of a response, sent back on the next conditional request. */
    record Validators(String etag, String lastModified) {
    }

    record Response(Outcome outcome, int status, byte[] body, Validators validators) {
    }

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    Downloader(URI base, Duration connectTimeout, Duration timeout) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase();
        if (!List.of("http", "https", "file").contains(scheme)) {
            throw new IllegalArgumentException("repository URL must be http, https or file: " + base);
        }
        this.base = base.getPath() != null && base.getPath().endsWith("/") ? base : URI.create(base + "/");
        this.http = scheme.equals("file") ? null : HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL) // never from https down to http
                .build();
        this.timeout = timeout;
    }

    /**
     * @param name        how messages name the file ("timestamp.json", "targets/a.yaml")
     * @param path        the file's path below the base URL
     * @param conditional validators for a conditional request, or null
     */
    Response fetch(String name, String path, long maxBytes, Validators conditional) throws TufException {
        URI uri;
        try {
            uri = base.resolve(new URI(null, null, path, null)); // quotes spaces and the like
        } catch (URISyntaxException e) {
            throw new TufException(name + ": cannot form a URL for '" + path + "'", e);
        }
        return http == null ? readFile(name, Path.of(uri), maxBytes) : get(name, uri, maxBytes, conditional);
    }

    private Response get(String name, URI uri, long maxBytes, Validators conditional) throws TufException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (conditional != null && conditional.etag() != null) request.header("If-None-Match", conditional.etag());
        if (conditional != null && conditional.lastModified() != null) request.header("If-Modified-Since", conditional.lastModified());
        HttpResponse<byte[]> response;
        try {
            response = BoundedFetch.send(http, request.build(), maxBytes, timeout);
        } catch (BoundedFetch.BodyTooLarge e) {
            throw tooLarge(name, maxBytes);
        } catch (TimeoutException e) {
            throw new TufException(name + ": download timed out after " + timeout.toMillis() + " ms (" + uri + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TufException(name + ": download interrupted (" + uri + ")");
        } catch (IOException e) {
            throw failure(name, uri, e);
        }
        int status = response.statusCode();
        var headers = response.headers();
        return switch (status) {
            case 200 -> new Response(Outcome.OK, status, response.body(),
                    new Validators(headers.firstValue("ETag").orElse(null), headers.firstValue("Last-Modified").orElse(null)));
            case 304 -> {
                if (conditional == null) throw new TufException(name + ": HTTP 304 to an unconditional request (" + uri + ")");
                yield new Response(Outcome.NOT_MODIFIED, status, null, conditional);
            }
            case 403, 404 -> new Response(Outcome.NOT_FOUND, status, null, null); // S3-style stores answer 403 for missing keys
            default -> throw new TufException(name + (status >= 500 ? ": server error (HTTP " : ": unexpected HTTP status (")
                    + status + ") from " + uri);
        };
    }

    private static TufException failure(String name, URI uri, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException) return new TufException(name + ": download timed out (" + uri + ")", t);
            if (t instanceof ConnectException) {
                return new TufException(name + ": cannot connect to " + uri.getHost() + ":" + uri.getPort() + " (" + uri + ")", t);
            }
        }
        String detail = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return new TufException(name + ": download failed, connection broken off (" + detail + ") from " + uri, cause);
    }

    private static Response readFile(String name, Path file, long maxBytes) throws TufException {
        if (!Files.isRegularFile(file)) return new Response(Outcome.NOT_FOUND, 404, null, null);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16));
            if (data.length > maxBytes) throw tooLarge(name, maxBytes);
            return new Response(Outcome.OK, 200, data, null);
        } catch (IOException e) {
            throw new TufException(name + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static TufException tooLarge(String name, long maxBytes) {
        return new TufException(name + ": more than " + maxBytes + " bytes (endless data attack?)");
    }

    @Override
    public void close() {
        if (http != null) http.close();
    }
}
