package dev.freshet.app.server;

import dev.freshet.updates.access.Role;

/** Who is calling: the key's tenant, id and role. Public routes have no caller. */
public record Caller(String tenant, String keyId, Role role) {
}
