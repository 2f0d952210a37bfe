package dev.freshet.updates.community;

/**
 * Who gives feedback or a contribution: a tenant and, within it, a contributor (an API key's id,
 * {@value #COMMAND_LINE} for the store's owner, or {@value #ANONYMOUS} where the tenant allows it).
 * Reputation is kept per contributor; the per-tenant cap on feedback weight is per tenant.
 */
public record Giver(String tenant, String contributor) {
    public static final String COMMAND_LINE = "cli";
    public static final String ANONYMOUS = "anonymous";
    /** Rule patches Freshet proposes itself from feedback. */
    public static final Giver FRESHET = new Giver("freshet", "freshet-feedback");

    public Giver {
        if (tenant == null || tenant.isBlank() || contributor == null || contributor.isBlank()) {
            throw new CommunityException("feedback needs a tenant and a contributor");
        }
    }

    /** The per-tenant anonymous contributor: its reputation is the tenant's anonymous users' together. */
    public static Giver anonymous(String tenant) {
        return new Giver(tenant, ANONYMOUS + "@" + tenant);
    }
}
