/**
 * Who may use the service: tenants, their API keys (kept as SHA-256 hashes) with a role each, and
 * which tenant owns which watched project.
 */
package dev.freshet.updates.access;
