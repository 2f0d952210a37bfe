package dev.freshet.app.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Failed authentications per client address in fixed windows: past {@code allowed} failures in a
 * window, the address is refused (429) until the window ends, before any key is looked up in the store.
 */
final class FailedLogins {
    private record Window(long startNanos, int failures) {
    }

    private final int allowed;
    private final long windowNanos;
    private final Cache<String, Window> windows;

    FailedLogins(int allowed, Duration window) {
        this.allowed = allowed;
        this.windowNanos = window.toNanos();
        this.windows = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
    }

    /** Fails with 429 while the address has used up its failures of this window. */
    void checkAllowed(String address) {
        Window window = current(address);
        if (window != null && window.failures() >= allowed) {
            long left = windowNanos - (System.nanoTime() - window.startNanos());
            throw ApiError.tooMany("too many failed authentications from " + address, (left + 999_999_999L) / 1_000_000_000L);
        }
    }

    void failed(String address) {
        windows.asMap().compute(address, (a, window) -> window == null || expired(window)
                ? new Window(System.nanoTime(), 1) : new Window(window.startNanos(), window.failures() + 1));
    }

    private Window current(String address) {
        Window window = windows.getIfPresent(address);
        return window == null || expired(window) ? null : window;
    }

    private boolean expired(Window window) {
        return System.nanoTime() - window.startNanos() >= windowNanos;
    }
}
