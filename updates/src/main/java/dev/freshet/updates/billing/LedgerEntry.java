package dev.freshet.updates.billing;

import java.time.Instant;

/**
 * One entry of a tenant's credit ledger.
 *
 * @param seq          the entry's number within the tenant's ledger, 1 for the first
 * @param amount       positive for a grant, negative for a charge
 * @param balanceAfter the tenant's balance once this entry is counted; never negative
 * @param requestId    the custom-rule request a charge (or its refund) is for, else null
 */
public record LedgerEntry(String tenant, long seq, String idempotencyKey, Kind kind, long amount, long balanceAfter,
                          String requestId, String reason, Instant at) {
    /** Why credits moved. */
    public enum Kind { GRANT, PROCESSING, SUCCESS }
}
