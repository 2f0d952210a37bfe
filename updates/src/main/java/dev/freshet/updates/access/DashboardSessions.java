package dev.freshet.updates.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Dashboard sign-ins (table {@code dashboard_sessions}): a browser that presented a valid API key
 * holds a random token; the store keeps its SHA-256, the key it stands for and the CSRF token of its
 * forms. A session lasts {@link #LIFETIME} from sign-in and ends with sign-out or with its key's revocation,
 * on every node at once since nodes share the store.
 */
public final class DashboardSessions {
    public static final Duration LIFETIME = Duration.ofHours(8);
    private static final int TOKEN_BYTES = 32;

    /**
     * A session as a request sees it.
     *
     * @param key       the key it was opened with (still valid)
     * @param csrfToken the token every form of this session carries
     */
    public record Session(ApiKey key, String csrfToken, Instant expiresAt) {
    }

    /** A session just opened: the token for the cookie, shown only here. */
    public record Opened(String token, Session session) {
        @Override
        public String toString() {
            return "Opened[session of key " + session.key().id() + "]";
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public DashboardSessions(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Opens a session for a key already authenticated; sessions past their time are dropped on the way. */
    public Opened open(ApiKey key) {
        String token = AccessStore.randomToken(random, TOKEN_BYTES);
        String csrf = AccessStore.randomToken(random, TOKEN_BYTES);
        Instant now = Instant.ofEpochMilli(clock.millis());
        Instant expires = now.plus(LIFETIME);
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM dashboard_sessions WHERE expires_at <= :now").bind("now", now.toEpochMilli()).execute();
            h.createUpdate("INSERT INTO dashboard_sessions (token_sha256, key_id, csrf_token, created_at, expires_at) "
                            + "VALUES (:token, :key, :csrf, :at, :expires)")
                    .bind("token", AccessStore.sha256(token)).bind("key", key.id()).bind("csrf", csrf)
                    .bind("at", now.toEpochMilli()).bind("expires", expires.toEpochMilli()).execute();
        });
        return new Opened(token, new Session(key, csrf, expires));
    }

    /** The live session this cookie token names: not expired, not signed out, its key not revoked. */
    public Optional<Session> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT k.*, s.csrf_token, s.expires_at FROM dashboard_sessions s "
                        + "JOIN api_keys k ON k.id = s.key_id WHERE s.token_sha256 = :token AND s.expires_at > :now AND k.revoked_at IS NULL")
                .bind("token", AccessStore.sha256(token)).bind("now", clock.millis())
                .map((rs, ctx) -> new Session(AccessStore.key(rs), rs.getString("csrf_token"),
                        Instant.ofEpochMilli(rs.getLong("expires_at"))))
                .findOne());
    }

    /** Ends the session this token names; false when there was none. */
    public boolean close(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM dashboard_sessions WHERE token_sha256 = :token")
                .bind("token", AccessStore.sha256(token)).execute()) > 0;
    }
}
