package dev.freshet.updates.access;

/**
 * Who manages tenants and keys: an API key's tenant and role, or the store's owner (the command
 * line, which holds the store itself). An admin manages its own tenant only; a global admin every tenant.
 */
public record Actor(String tenant, Role role) {
    /** The command line: whoever can open the store may do anything in it. */
    public static final Actor STORE_OWNER = new Actor(null, Role.GLOBAL_ADMIN);

    /** Whether this actor may manage the keys of {@code other}. */
    public boolean manages(String other) {
        return role == Role.GLOBAL_ADMIN || (role.includes(Role.ADMIN) && other.equals(tenant));
    }

    void checkManages(String other) {
        if (!manages(other)) {
            throw new AccessException(AccessException.Kind.FORBIDDEN, "an admin of tenant '" + tenant + "' manages only its own tenant; "
                    + "tenant '" + other + "' needs a global-admin key");
        }
    }

    void checkIncludes(Role other, String action) {
        if (!role.includes(other)) {
            throw new AccessException(AccessException.Kind.FORBIDDEN, "a " + role.lowerCase() + " key cannot " + action + " a "
                    + other.lowerCase() + " key");
        }
    }
}
