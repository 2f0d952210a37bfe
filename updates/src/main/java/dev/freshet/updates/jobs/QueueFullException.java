package dev.freshet.updates.jobs;

/** The scan queue, or the tenant's share of it, holds as many jobs as it may; the caller should try again later. */
public final class QueueFullException extends RuntimeException {
    private final boolean tenantQuota;

    private QueueFullException(String message, boolean tenantQuota) {
        super(message);
        this.tenantQuota = tenantQuota;
    }

    static QueueFullException queue(int maxQueued) {
        return new QueueFullException("the scan queue is full (" + maxQueued + " jobs waiting); try again later", false);
    }

    static QueueFullException tenant(String tenant, int perTenant) {
        return new QueueFullException("tenant '" + tenant + "' has " + perTenant + " scans queued or running, its limit; "
                + "try again when one has finished", true);
    }

    /** Whether the tenant's own limit refused the job (the queue as a whole may have room for others). */
    public boolean tenantQuota() {
        return tenantQuota;
    }
}
