package dev.freshet.updates.sources;

import java.util.Arrays;
import java.util.Locale;

/** Which stream of a source's rules is followed. */
public enum Channel {
    STABLE, BETA;

    public static Channel parse(String text) {
        return Arrays.stream(values()).filter(c -> c.name().equalsIgnoreCase(text.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown channel '" + text + "' (expected stable or beta)"));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
