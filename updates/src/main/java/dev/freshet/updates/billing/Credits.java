package dev.freshet.updates.billing;

import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.store.SharedWrites;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Tenants' plans and credit ledgers (tables {@code tenants.tier}, {@code credit_ledger}). The ledger
 * is append-only: a grant or a charge is one new entry carrying the balance after it, written under
 * the tenant's lock with the event in one transaction, and refused when it would take the balance
 * below zero. Every entry has an idempotency key: writing the same key again returns the entry
 * already written, so a retried request, a restart after a crash or a second node never charge twice.
 */
public final class Credits {
    private static final String COLUMNS =
            "tenant, tenant_seq, idempotency_key, kind, amount, balance_after, request_id, reason, created_at";

    private final Jdbi jdbi;
    private final Clock clock;

    public Credits(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The tenant's plan. */
    public Tier tier(String tenant) {
        return jdbi.withHandle(h -> tier(h, tenant));
    }

    static Tier tier(Handle h, String tenant) {
        return h.createQuery("SELECT tier FROM tenants WHERE name = :name AND deleted_at IS NULL").bind("name", tenant)
                .mapTo(String.class).findOne().map(Tier::of)
                .orElseThrow(() -> new CreditException(CreditException.Kind.NOT_FOUND, "no tenant named '" + tenant + "'"));
    }

    /** Puts the tenant on {@code tier}; returns the plan it had. */
    public Tier setTier(String tenant, Tier tier) {
        return jdbi.inTransaction(h -> {
            Tier before = tier(h, tenant);
            if (before != tier) {
                h.createUpdate("UPDATE tenants SET tier = :tier WHERE name = :name").bind("tier", tier.id()).bind("name", tenant).execute();
                EventLog.append(h, clock.instant(), EventType.TENANT_TIER_CHANGED, null, null,
                        Map.of("tenant", tenant, "tier", tier.id(), "previous", before.id()));
            }
            return before;
        });
    }

    public long balance(String tenant) {
        return jdbi.withHandle(h -> {
            tier(h, tenant);
            return latest(h, tenant).map(LedgerEntry::balanceAfter).orElse(0L);
        });
    }

    /** The tenant's ledger, oldest entry first. */
    public List<LedgerEntry> ledger(String tenant) {
        return jdbi.withHandle(h -> {
            tier(h, tenant);
            return h.createQuery("SELECT " + COLUMNS + " FROM credit_ledger WHERE tenant = :tenant ORDER BY tenant_seq")
                    .bind("tenant", tenant).map((rs, ctx) -> entry(rs)).list();
        });
    }

    /** Entries of a request, oldest first. */
    public List<LedgerEntry> entriesOf(String requestId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM credit_ledger WHERE request_id = :id ORDER BY tenant_seq")
                .bind("id", requestId).map((rs, ctx) -> entry(rs)).list());
    }

    /** Grants {@code amount} credits to the tenant, once per {@code idempotencyKey}. */
    public LedgerEntry grant(String tenant, long amount, String idempotencyKey, String reason) {
        if (amount <= 0) {
            throw new CreditException(CreditException.Kind.INVALID, "a grant must be a positive number of credits, not " + amount);
        }
        return jdbi.inTransaction(h -> append(h, tenant, idempotencyKey, LedgerEntry.Kind.GRANT, amount, null, reason));
    }

    /**
     * Puts a fresh store's default tenant on the standard plan with its starting grant, once: the
     * grant's idempotency key marks it done, so a later change of plan by an admin is never undone.
     */
    public void provision(String tenant, long startingGrant) {
        if (startingGrant < 0) {
            throw new CreditException(CreditException.Kind.INVALID, "the starting grant cannot be negative: " + startingGrant);
        }
        String key = "starting-grant:" + tenant;
        jdbi.useTransaction(h -> {
            SharedWrites.lock(h, "credits " + tenant);
            if (h.createQuery("SELECT COUNT(*) FROM credit_ledger WHERE idempotency_key = :key").bind("key", key).mapTo(Integer.class).one() > 0) {
                return;
            }
            Tier before = tier(h, tenant);
            h.createUpdate("UPDATE tenants SET tier = :tier WHERE name = :name").bind("tier", Tier.STANDARD.id()).bind("name", tenant).execute();
            if (before != Tier.STANDARD) {
                EventLog.append(h, clock.instant(), EventType.TENANT_TIER_CHANGED, null, null,
                        Map.of("tenant", tenant, "tier", Tier.STANDARD.id(), "previous", before.id()));
            }
            append(h, tenant, key, LedgerEntry.Kind.GRANT, startingGrant, null, "starting grant of a fresh store's default tenant");
        });
    }

    /**
     * Charges {@code amount} credits in the caller's transaction, once per {@code idempotencyKey}:
     * a key already written returns its entry. Refused (INSUFFICIENT) when the balance does not cover it.
     */
    public LedgerEntry charge(Handle h, String tenant, String idempotencyKey, LedgerEntry.Kind kind, long amount, String requestId,
                              String reason) {
        if (amount < 0 || kind == LedgerEntry.Kind.GRANT) {
            throw new IllegalArgumentException("a charge is a non-negative amount of a charging kind");
        }
        return append(h, tenant, idempotencyKey, kind, -amount, requestId, reason);
    }

    /**
     * Gives back {@code amount} credits charged for a request's work that was not done, in the
     * caller's transaction, once per {@code idempotencyKey}: a grant that names the request.
     */
    public LedgerEntry refund(Handle h, String tenant, String idempotencyKey, long amount, String requestId, String reason) {
        if (amount <= 0 || requestId == null) {
            throw new IllegalArgumentException("a refund is a positive amount for a request");
        }
        return append(h, tenant, idempotencyKey, LedgerEntry.Kind.GRANT, amount, requestId, reason);
    }

    private LedgerEntry append(Handle h, String tenant, String key, LedgerEntry.Kind kind, long amount, String requestId,
                               String reason) {
        if (key == null || key.isBlank() || key.length() > 200) {
            throw new CreditException(CreditException.Kind.INVALID, "an idempotency key is 1-200 characters");
        }
        SharedWrites.lock(h, "credits " + tenant); // one writer per tenant reads the balance and appends, on any node
        tier(h, tenant);
        Optional<LedgerEntry> existing = h.createQuery("SELECT " + COLUMNS + " FROM credit_ledger WHERE idempotency_key = :key")
                .bind("key", key).map((rs, ctx) -> entry(rs)).findOne();
        if (existing.isPresent()) {
            LedgerEntry entry = existing.get();
            if (!entry.tenant().equals(tenant) || entry.amount() != amount || entry.kind() != kind) {
                throw new CreditException(CreditException.Kind.CONFLICT, "idempotency key '" + key + "' was used for "
                        + entry.kind().name().toLowerCase() + " of " + entry.amount() + " credits to " + entry.tenant()
                        + "; use a new key for a different entry");
            }
            return entry;
        }
        Optional<LedgerEntry> last = latest(h, tenant);
        long balance = last.map(LedgerEntry::balanceAfter).orElse(0L);
        if (balance + amount < 0) {
            throw new CreditException(CreditException.Kind.INSUFFICIENT, "tenant " + tenant + " has " + balance
                    + " credits; this needs " + -amount + ". Ask an admin to grant credits ('freshet credits grant').");
        }
        Instant now = Instant.ofEpochMilli(clock.millis()); // as stored, so the entry returned equals the entry read back
        LedgerEntry entry = new LedgerEntry(tenant, last.map(LedgerEntry::seq).orElse(0L) + 1, key, kind, amount, balance + amount,
                requestId, reason, now);
        h.createUpdate("INSERT INTO credit_ledger (" + COLUMNS + ") VALUES (:tenant, :seq, :key, :kind, :amount, :balance, "
                        + ":request, :reason, :at)")
                .bind("tenant", tenant).bind("seq", entry.seq()).bind("key", key).bind("kind", kind.name()).bind("amount", amount)
                .bind("balance", entry.balanceAfter()).bind("request", requestId).bind("reason", reason)
                .bind("at", now.toEpochMilli()).execute();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("tenant", tenant);
        payload.put("kind", kind.name());
        payload.put("amount", amount);
        payload.put("balance", entry.balanceAfter());
        payload.put("key", key);
        if (requestId != null) {
            payload.put("request", requestId);
        }
        EventLog.append(h, now, kind == LedgerEntry.Kind.GRANT ? EventType.CREDITS_GRANTED : EventType.CREDITS_CHARGED, null, null,
                payload);
        return entry;
    }

    private static Optional<LedgerEntry> latest(Handle h, String tenant) {
        return h.createQuery("SELECT " + COLUMNS + " FROM credit_ledger WHERE tenant = :tenant ORDER BY tenant_seq DESC LIMIT 1")
                .bind("tenant", tenant).map((rs, ctx) -> entry(rs)).findOne();
    }

    private static LedgerEntry entry(ResultSet rs) throws SQLException {
        return new LedgerEntry(rs.getString("tenant"), rs.getLong("tenant_seq"), rs.getString("idempotency_key"),
                LedgerEntry.Kind.valueOf(rs.getString("kind")), rs.getLong("amount"), rs.getLong("balance_after"),
                rs.getString("request_id"), rs.getString("reason"), Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
