package dev.freshet.updates.billing;

import java.util.Arrays;
import java.util.Locale;

/** A tenant's plan: which generators it may ask custom rules of. */
public enum Tier {
    /** No custom rules. */
    FREE,
    /** The offline generator and the {@code standard} model class. */
    STANDARD,
    /** Every model class: also {@code pro} and {@code max}. */
    PREMIUM;

    /** Whether a tenant on this plan may have rules made by {@code model}. */
    public boolean allows(ModelClass model) {
        return switch (this) {
            case FREE -> false;
            case STANDARD -> model == ModelClass.OFFLINE || model == ModelClass.STANDARD;
            case PREMIUM -> true;
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The plan named {@code name} (free, standard or premium). */
    public static Tier of(String name) {
        return Arrays.stream(values()).filter(t -> t.id().equals(name == null ? "" : name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new CreditException(CreditException.Kind.INVALID,
                        "'" + name + "' is not a plan; use free, standard or premium"));
    }
}
