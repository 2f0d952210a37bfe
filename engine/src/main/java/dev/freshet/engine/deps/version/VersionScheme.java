package dev.freshet.engine.deps.version;

import java.util.Comparator;
import java.util.Optional;

/**
 * How one ecosystem spells and orders versions. {@link #parse} never throws: text the ecosystem
 * would reject is {@link Optional#empty()}. The string comparisons throw
 * {@link InvalidVersionException} (naming the offending text) instead of guessing an order.
 */
public interface VersionScheme<V extends Comparable<? super V>> {

    Optional<V> parse(String text);

    default V parseOrThrow(String text) {
        return parse(text).orElseThrow(() -> new InvalidVersionException(this, text));
    }

    default boolean isValid(String text) {
        return parse(text).isPresent();
    }

    /** Negative, zero or positive as {@code a} is older than, equivalent to or newer than {@code b}. */
    default int compare(String a, String b) {
        return Integer.signum(parseOrThrow(a).compareTo(parseOrThrow(b)));
    }

    default Comparator<String> comparator() {
        return this::compare;
    }

    /** Thrown by the string comparisons for text this scheme cannot read. */
    final class InvalidVersionException extends IllegalArgumentException {
        InvalidVersionException(VersionScheme<?> scheme, String text) {
            super("not a valid " + scheme + " version: " + (text == null ? "null" : "'" + text + "'"));
        }
    }
}
