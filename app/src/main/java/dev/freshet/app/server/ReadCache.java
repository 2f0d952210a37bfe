package dev.freshet.app.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Answers of reads of shared knowledge (releases, history, sources, overrides, feeds), kept for
 * {@link #FRESH}: under load, many callers asking the same thing cost the store one read a second.
 * Any change made through this server forgets them at once; a change made elsewhere (the CLI,
 * another node) shows within {@link #FRESH}, as the engine's knowledge does.
 */
final class ReadCache {
    static final Duration FRESH = Duration.ofSeconds(1);

    private final Cache<String, Reply> answers = Caffeine.newBuilder().expireAfterWrite(FRESH).maximumSize(1_000).build();

    /** The route with its answers cached by path and query; only for GET routes whose answer is the same for every caller. */
    Route cached(Route route) {
        return new Route(route.method(), route.path(), route.role(), route.summary(), route.jsonBody(), route.bodyRequired(),
                route.binaryBody(), route.query(), route.headers(), route.produces(), request -> {
                    String key = request.ctx().path() + "?" + (request.ctx().queryString() == null ? "" : request.ctx().queryString());
                    Reply cached = answers.getIfPresent(key);
                    if (cached != null) {
                        return cached;
                    }
                    Reply fresh = route.action().handle(request);
                    if (fresh.status() == 200) {
                        // Kept as written JSON: a cached answer costs no serialization.
                        Reply written = fresh instanceof Reply.Json json
                                ? new Reply.Text(200, "application/json", new String(Json.write(json.body()), StandardCharsets.UTF_8))
                                : fresh;
                        answers.put(key, written);
                        return written;
                    }
                    return fresh;
                });
    }

    void forget() {
        answers.invalidateAll();
    }
}
