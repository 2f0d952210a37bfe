package dev.freshet.updates.access;

import dev.freshet.engine.hash.Sha256;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenants and API keys (tables {@code tenants}, {@code api_keys}). A key is 32 random bytes,
 * URL-safe Base64 behind the prefix {@value #KEY_PREFIX}; the store keeps only its SHA-256, so a
 * key is found by hashing what a caller presents. Keys are managed by an {@link Actor}: an admin
 * within its tenant, a global admin everywhere, and no key can make or revoke a key above its role.
 */
public final class AccessStore {
    public static final String KEY_PREFIX = "fsk_";
    private static final Logger LOG = LoggerFactory.getLogger(AccessStore.class);
    private static final Pattern TENANT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,23}");
    private static final int SECRET_BYTES = 32;

    private final Jdbi jdbi;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AccessStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Creates a tenant; its name is 1-24 lower-case letters, digits or '-', starting with a letter or
     * digit. The name of a deleted tenant may be used again: the new tenant starts empty.
     */
    public Tenant createTenant(String name) {
        checkTenantName(name);
        Tenant tenant = new Tenant(name, Instant.ofEpochMilli(clock.millis()));
        jdbi.useTransaction(h -> {
            List<Integer> deleted = h.createQuery("SELECT CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END FROM tenants WHERE name = :name")
                    .bind("name", name).mapTo(Integer.class).list();
            if (deleted.isEmpty()) {
                h.createUpdate("INSERT INTO tenants (name, created_at) VALUES (:name, :at)")
                        .bind("name", name).bind("at", tenant.createdAt().toEpochMilli()).execute();
            } else if (deleted.getFirst() == 1) {
                h.createUpdate("UPDATE tenants SET created_at = :at, deleted_at = NULL WHERE name = :name")
                        .bind("name", name).bind("at", tenant.createdAt().toEpochMilli()).execute();
            } else {
                throw new AccessException(AccessException.Kind.CONFLICT, "a tenant named '" + name + "' already exists");
            }
        });
        LOG.info("tenant {} created", name);
        return tenant;
    }

    /** The tenants there are (deleted ones are not). */
    public List<Tenant> tenants() {
        return jdbi.withHandle(h -> h.createQuery("SELECT name, created_at FROM tenants WHERE deleted_at IS NULL ORDER BY name")
                .map((rs, ctx) -> new Tenant(rs.getString("name"), Instant.ofEpochMilli(rs.getLong("created_at")))).list());
    }

    /**
     * Deletes a tenant in one transaction: its keys are revoked, its watched projects (with their
     * findings) and its scans (with their uploads and reports) deleted. Only a global admin may, and
     * not the tenant of its own key.
     */
    public TenantRemoval deleteTenant(Actor actor, String name) {
        if (actor.role() != Role.GLOBAL_ADMIN) {
            throw new AccessException(AccessException.Kind.FORBIDDEN, "deleting a tenant needs a global-admin key");
        }
        if (name.equals(actor.tenant())) {
            throw new AccessException(AccessException.Kind.CONFLICT, "tenant '" + name + "' holds the key making this request; "
                    + "delete it with another tenant's global-admin key or 'freshet tenants delete'");
        }
        long now = clock.millis();
        TenantRemoval removal = jdbi.inTransaction(h -> {
            if (h.createUpdate("UPDATE tenants SET deleted_at = :at WHERE name = :name AND deleted_at IS NULL")
                    .bind("at", now).bind("name", name).execute() == 0) {
                return null;
            }
            int keys = h.createUpdate("UPDATE api_keys SET revoked_at = :at WHERE tenant = :name AND revoked_at IS NULL")
                    .bind("at", now).bind("name", name).execute();
            // Project findings and the owner rows go with their projects (ON DELETE CASCADE); uploads and reports with their jobs.
            int projects = h.createUpdate("DELETE FROM projects WHERE name IN (SELECT project FROM tenant_projects WHERE tenant = :name)")
                    .bind("name", name).execute();
            int scans = h.createUpdate("DELETE FROM scan_jobs WHERE tenant = :name").bind("name", name).execute();
            return new TenantRemoval(name, keys, projects, scans);
        });
        if (removal == null) {
            throw new AccessException(AccessException.Kind.NOT_FOUND, "no tenant named '" + name + "'");
        }
        LOG.info("tenant {} deleted: {} key(s) revoked, {} project(s) and {} scan(s) removed", name, removal.keysRevoked(),
                removal.projectsRemoved(), removal.scansRemoved());
        return removal;
    }

    public Optional<Tenant> tenant(String name) {
        return tenants().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Makes a key for an existing tenant as the store's owner; the secret is returned here and never again. */
    public NewKey createKey(String tenant, Role role, String label) {
        return createKey(Actor.STORE_OWNER, tenant, role, label);
    }

    /** Makes a key for an existing tenant the actor manages, with a role no higher than the actor's; the secret is returned here only. */
    public NewKey createKey(Actor actor, String tenant, Role role, String label) {
        actor.checkManages(tenant);
        actor.checkIncludes(role, "make");
        if (label != null && label.length() > 200) {
            throw new AccessException("a key label is at most 200 characters");
        }
        String secret = KEY_PREFIX + randomToken(random, SECRET_BYTES);
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        ApiKey key = new ApiKey(HexFormat.of().formatHex(idBytes), tenant, role, label, Instant.ofEpochMilli(clock.millis()), null);
        jdbi.useTransaction(h -> {
            if (h.createQuery("SELECT count(*) FROM tenants WHERE name = :name AND deleted_at IS NULL").bind("name", tenant)
                    .mapTo(Integer.class).one() == 0) {
                throw new AccessException("no tenant named '" + tenant + "'; create it first");
            }
            h.createUpdate("""
                            INSERT INTO api_keys (id, tenant, role, label, sha256, created_at)
                            VALUES (:id, :tenant, :role, :label, :sha256, :at)""")
                    .bind("id", key.id()).bind("tenant", tenant).bind("role", role.name()).bind("label", label)
                    .bind("sha256", sha256(secret)).bind("at", key.createdAt().toEpochMilli()).execute();
        });
        LOG.info("API key {} created for tenant {} with role {}", key.id(), tenant, role.lowerCase());
        return new NewKey(key, secret);
    }

    /** The valid key this secret is, if any. */
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || !secret.startsWith(KEY_PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE sha256 = :sha256 AND revoked_at IS NULL")
                .bind("sha256", sha256(secret)).map((rs, ctx) -> key(rs)).findOne());
    }

    /** Keys of one tenant, or of all with null, as the store's owner sees them; newest first. */
    public List<ApiKey> keys(String tenant) {
        return keys(Actor.STORE_OWNER, tenant);
    }

    /** Keys of one tenant the actor manages, or with null all it manages; newest first. */
    public List<ApiKey> keys(Actor actor, String requested) {
        if (requested != null) {
            actor.checkManages(requested);
        }
        String tenant = requested == null && actor.role() != Role.GLOBAL_ADMIN ? actor.tenant() : requested;
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys" + (tenant == null ? "" : " WHERE tenant = :tenant")
                        + " ORDER BY created_at DESC, id")
                .bindMap(tenant == null ? Map.of() : Map.of("tenant", tenant))
                .map((rs, ctx) -> key(rs)).list());
    }

    /** Revokes a key by id as the store's owner; false when there is no valid key with that id. */
    public boolean revoke(String keyId) {
        return revoke(Actor.STORE_OWNER, keyId);
    }

    /**
     * Revokes a key by id; false when there is no valid key with that id among the tenants the actor
     * manages (another tenant's keys are not said to exist). A key above the actor's role is refused.
     */
    public boolean revoke(Actor actor, String keyId) {
        Optional<ApiKey> key = jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE id = :id AND revoked_at IS NULL")
                .bind("id", keyId).map((rs, ctx) -> key(rs)).findOne()).filter(k -> actor.manages(k.tenant()));
        if (key.isEmpty()) {
            return false;
        }
        actor.checkIncludes(key.get().role(), "revoke");
        boolean revoked = jdbi.withHandle(h -> h.createUpdate("UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .bind("at", clock.millis()).bind("id", keyId).execute()) > 0;
        if (revoked) {
            LOG.info("API key {} revoked", keyId);
        }
        return revoked;
    }

    /** Whether any valid global admin key exists: if not, the service makes one on its first start. */
    public boolean hasGlobalAdminKey() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM api_keys WHERE role = 'GLOBAL_ADMIN' AND revoked_at IS NULL")
                .mapTo(Integer.class).one()) > 0;
    }

    static void checkTenantName(String name) {
        if (name == null || !TENANT_NAME.matcher(name).matches()) {
            throw new AccessException("tenant name '" + name
                    + "' must be 1-24 lower-case letters, digits or '-', starting with a letter or digit");
        }
    }

    static ApiKey key(ResultSet rs) throws SQLException {
        long revoked = rs.getLong("revoked_at");
        Instant revokedAt = rs.wasNull() ? null : Instant.ofEpochMilli(revoked);
        return new ApiKey(rs.getString("id"), rs.getString("tenant"), Role.valueOf(rs.getString("role")), rs.getString("label"),
                Instant.ofEpochMilli(rs.getLong("created_at")), revokedAt);
    }

    /** {@code bytes} random bytes as URL-safe Base64 without padding: a secret fit for a header or a cookie. */
    static String randomToken(SecureRandom random, int bytes) {
        byte[] data = new byte[bytes];
        random.nextBytes(data);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
    }

    static String sha256(String text) {
        return Sha256.hex(text);
    }
}
