package dev.freshet.updates.community;

import java.util.Arrays;
import java.util.Locale;

/** What someone says of a finding, or of a finding the rule should have made. */
public enum FeedbackVerdict {
    TRUE_POSITIVE, FALSE_POSITIVE, WONT_FIX, FALSE_NEGATIVE;

    /** Reads {@code false_positive}, {@code false-positive} or {@code FALSE_POSITIVE}. */
    public static FeedbackVerdict parse(String text) {
        String given = text == null ? "" : text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(v -> v.name().equals(given)).findFirst().orElseThrow(() -> new CommunityException(
                "unknown verdict '" + text + "'; use true_positive, false_positive, wont_fix or false_negative"));
    }

    public String lowerCase() {
        return name().toLowerCase(Locale.ROOT);
    }
}
