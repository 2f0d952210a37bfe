package dev.freshet.updates.billing;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which generator makes a custom rule: the offline templates, or a language model of one of three
 * classes (each configured to a concrete model name); the class sets the success fee.
 */
public enum ModelClass {
    OFFLINE, STANDARD, PRO, MAX;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The class named {@code name} (offline, standard, pro or max). */
    public static ModelClass of(String name) {
        return Arrays.stream(values()).filter(m -> m.id().equals(name == null ? "" : name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new CreditException(CreditException.Kind.INVALID,
                        "'" + name + "' is not a model class; use offline, standard, pro or max"));
    }
}
