package dev.freshet.updates.access;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** The key as the CLI's --json and the API show it (insertion-ordered; times stay null while unset). */
    public Map<String, Object> description() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("tenant", tenant);
        json.put("role", role.lowerCase());
        json.put("label", label);
        json.put("created_at", createdAt);
        json.put("revoked_at", revokedAt);
        return json;
    }
}
