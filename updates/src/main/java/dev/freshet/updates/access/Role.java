package dev.freshet.updates.access;

import java.util.Arrays;
import java.util.Locale;

/** What a key may do; each role may do everything the roles before it may. */
public enum Role {
    /** Reads only. */
    VIEWER,
    /** Also runs updates, feed syncs, scans and manages its tenant's projects. */
    OPERATOR,
    /** Also changes sources and overrides, and manages its own tenant's keys. */
    ADMIN,
    /** Also manages tenants (creates, lists, deletes them) and every tenant's keys; the key made on first start. */
    GLOBAL_ADMIN;

    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }

    /** Reads a role name in any case, with '-' or '_'; an unknown one is an error naming the choices. */
    public static Role parse(String text) {
        String given = text == null ? "" : text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(r -> r.name().equals(given)).findFirst().orElseThrow(() -> new AccessException(
                "unknown role '" + text + "'; use global-admin, admin, operator or viewer"));
    }

    /** The role as users write it: {@code viewer}, ..., {@code global-admin}. */
    public String lowerCase() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
