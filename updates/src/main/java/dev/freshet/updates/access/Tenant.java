package dev.freshet.updates.access;

import java.time.Instant;

/** A party whose projects and scans are its own; knowledge is shared by all tenants. */
public record Tenant(String name, Instant createdAt) {
}
