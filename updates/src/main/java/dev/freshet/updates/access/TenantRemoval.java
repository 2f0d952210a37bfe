package dev.freshet.updates.access;

/** What deleting a tenant removed: its keys were revoked, its projects (and their findings) and scans deleted. */
public record TenantRemoval(String tenant, int keysRevoked, int projectsRemoved, int scansRemoved) {
}
