package dev.freshet.updates.access;

import java.time.Instant;

/**
 * A stored API key, without its secret.
 *
 * @param id        public id to list and revoke the key by
 * @param revokedAt when it was revoked, null while it is valid
 */
public record ApiKey(String id, String tenant, Role role, String label, Instant createdAt, Instant revokedAt) {
    public boolean valid() {
        return revokedAt == null;
    }
}
