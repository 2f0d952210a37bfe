package dev.freshet.updates.gate;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A dotted version such as {@code 1.41.0}; missing parts count as 0 and a suffix ({@code -rc1}) is ignored. */
record Version(int[] parts, String text) implements Comparable<Version> {
    private static final Pattern DOTTED = Pattern.compile("v?(\\d{1,9}(?:\\.\\d{1,9})*)(?:[-+].*)?");

    static Optional<Version> parse(String text) {
        Matcher m = DOTTED.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Version(Arrays.stream(m.group(1).split("\\.")).mapToInt(Integer::parseInt).toArray(), text.strip()));
    }

    @Override
    public int compareTo(Version other) {
        for (int i = 0; i < Math.max(parts.length, other.parts.length); i++) {
            int c = Integer.compare(i < parts.length ? parts[i] : 0, i < other.parts.length ? other.parts[i] : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(Arrays.stream(parts).limit(lastNonZero() + 1).toArray());
    }

    private int lastNonZero() {
        int last = parts.length - 1;
        while (last >= 0 && parts[last] == 0) {
            last--;
        }
        return last;
    }

    @Override
    public String toString() {
        return text;
    }
}
