package dev.freshet.app.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.freshet.updates.access.AccessStore;
import dev.freshet.updates.access.ApiKey;
import dev.freshet.updates.access.Role;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns an {@code Authorization: Bearer <key>} header into a caller and checks the route's role.
 * Keys found (and keys not found) are remembered briefly so every request does not hash-and-query; a
 * key revoked here is forgotten at once, one revoked by another process within {@link #REMEMBER}.
 * Guessing is throttled: an address whose lookups keep failing gets 429 without a lookup.
 */
final class Authenticator {
    static final Duration REMEMBER = Duration.ofSeconds(5);

    private final AccessStore access;
    private final Cache<String, Optional<ApiKey>> known = Caffeine.newBuilder()
            .expireAfterWrite(REMEMBER).maximumSize(10_000).build();

    private final FailedLogins failedLogins;

    Authenticator(AccessStore access, FailedLogins failedLogins) {
        this.access = access;
        this.failedLogins = failedLogins;
    }

    /** The caller {@code authorization} names, from client {@code address}, if its key has the {@code required} role. */
    Caller authorize(String authorization, Role required, String address) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiError(401, "missing API key: send 'Authorization: Bearer <key>'");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiError(401, "the Authorization header must be 'Bearer <key>'");
        }
        ApiKey key = lookUp(authorization.substring(7).strip(), address).orElseThrow(() -> new ApiError(401, "unknown or revoked API key"));
        if (!key.role().includes(required)) {
            throw new ApiError(403, "this needs the " + required.lowerCase() + " role; the key has " + key.role().lowerCase());
        }
        return new Caller(key.tenant(), key.id(), key.role());
    }

    /**
     * The valid key {@code secret} is, looked up by client {@code address}: the same throttle guards the
     * API's bearer keys and the dashboard's sign-in form (429 once an address has failed too often).
     */
    Optional<ApiKey> lookUp(String secret, String address) {
        Optional<ApiKey> remembered = known.getIfPresent(secret);
        if (remembered == null) {
            failedLogins.checkAllowed(address);
            remembered = access.authenticate(secret);
            known.put(secret, remembered);
            if (remembered.isEmpty()) {
                failedLogins.failed(address);
            }
        }
        return remembered;
    }

    void forget() {
        known.invalidateAll();
    }
}
