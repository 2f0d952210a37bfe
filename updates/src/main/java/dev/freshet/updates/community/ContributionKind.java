package dev.freshet.updates.community;

import java.util.Arrays;
import java.util.Locale;

/** What a contribution brings; a rule patch is one Freshet proposes itself from feedback. */
public enum ContributionKind {
    NEW_RULE, RULE_IMPROVEMENT, BUG_FIX, TEST_CASE, DOCUMENTATION, RULE_PATCH;

    /** Reads {@code new_rule}, {@code new-rule} or {@code NEW_RULE}; an unknown kind names the choices. */
    public static ContributionKind parse(String text) {
        String given = text == null ? "" : text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(k -> k.name().equals(given)).findFirst().orElseThrow(() -> new CommunityException(
                "unknown contribution kind '" + text + "'; use one of " + Arrays.stream(values()).map(ContributionKind::lowerCase).toList()));
    }

    public String lowerCase() {
        return name().toLowerCase(Locale.ROOT);
    }
}
