package dev.freshet.engine.deps.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Maven version, ordered like Maven's {@code ComparableVersion} (the POM reference's "version
 * order specification"): the text splits into items at {@code .}, {@code -} and digit/letter
 * boundaries; {@code -} (and a boundary) opens a nested list. Numbers compare numerically, known
 * qualifiers as alpha &lt; beta &lt; milestone &lt; rc = cr &lt; snapshot &lt; "" = ga = final =
 * release &lt; sp, unknown qualifiers after those (alphabetically). Any non-blank text is a version.
 */
public record MavenVersion(String text, ListItem items) implements Comparable<MavenVersion> {

    public static final VersionScheme<MavenVersion> SCHEME = new VersionScheme<>() {
        @Override
        public Optional<MavenVersion> parse(String text) {
            return MavenVersion.parse(text);
        }

        @Override
        public String toString() {
            return "Maven";
        }
    };

    public static Optional<MavenVersion> parse(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        return Optional.of(new MavenVersion(text, split(text.strip().toLowerCase(Locale.ROOT))));
    }

    @Override
    public int compareTo(MavenVersion o) {
        return items.compareTo(o.items);
    }

    /** The canonical form, e.g. {@code 1.0-final} is {@code 1}; equal versions share it. */
    public String canonical() {
        return items.toString();
    }

    /** One parsed piece: a number, a qualifier or a nested list. */
    public sealed interface Item {
        /** Compare to a piece; {@code null} stands for "nothing here" (the other version ran out). */
        int compareTo(Item other);

        boolean isNull();
    }

    record IntItem(BigInteger value) implements Item {
        @Override
        public int compareTo(Item other) {
            return switch (other) {
                case null -> value.signum(); // 1.0 == 1
                case IntItem i -> value.compareTo(i.value);
                case StringItem s -> 1; // 1.1 > 1-sp
                case ListItem l -> 1; // 1.1 > 1-1
            };
        }

        @Override
        public boolean isNull() {
            return value.signum() == 0;
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    record StringItem(String value) implements Item {
        private static final List<String> QUALIFIERS = List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");
        private static final String RELEASE = String.valueOf(QUALIFIERS.indexOf(""));

        static StringItem of(String value, boolean followedByDigit) {
            if (followedByDigit && value.length() == 1) { // a1 = alpha-1, b1 = beta-1, m1 = milestone-1
                value = switch (value) { case "a" -> "alpha"; case "b" -> "beta"; case "m" -> "milestone"; default -> value; };
            }
            return new StringItem(switch (value) { case "ga", "final", "release" -> ""; case "cr" -> "rc"; default -> value; });
        }

        /** Known qualifiers rank by position; unknown ones after all of them, alphabetically. */
        private String rank() {
            int i = QUALIFIERS.indexOf(value);
            return i >= 0 ? String.valueOf(i) : QUALIFIERS.size() + "-" + value;
        }

        @Override
        public int compareTo(Item other) {
            return switch (other) {
                case null -> rank().compareTo(RELEASE); // 1-rc < 1 < 1-sp
                case IntItem i -> -1;
                case StringItem s -> rank().compareTo(s.rank());
                case ListItem l -> -1;
            };
        }

        @Override
        public boolean isNull() {
            return value.isEmpty();
        }

        @Override
        public String toString() {
            return value;
        }
    }

    record ListItem(List<Item> items) implements Item {
        ListItem() {
            this(new ArrayList<>());
        }

        /**
         * Drop trailing null items (0, "", empty lists), so 1.0.0 == 1 and 1-ga == 1. A nested list
         * left holding only its own nested list merges with it: the POM reference trims nulls
         * before each hyphen, so 1-ga-1 is 1-1 (ComparableVersion keeps an extra level there).
         */
        void normalize(boolean nested) {
            for (int i = items.size() - 1; i >= 0; i--) {
                Item last = items.get(i);
                if (last.isNull()) items.remove(i);
                else if (!(last instanceof ListItem)) break;
            }
            if (nested && items.size() == 1 && items.getFirst() instanceof ListItem only) {
                items.clear();
                items.addAll(only.items);
            }
        }

        @Override
        public int compareTo(Item other) {
            return switch (other) {
                case null -> { // every item counts, not just the first (MNG-6964): 1-0.1 > 1
                    for (Item item : items) {
                        int c = item.compareTo(null);
                        if (c != 0) yield c;
                    }
                    yield 0;
                }
                case IntItem i -> -1;
                case StringItem s -> 1;
                case ListItem l -> {
                    for (int i = 0; i < Math.max(items.size(), l.items.size()); i++) {
                        Item a = i < items.size() ? items.get(i) : null, b = i < l.items.size() ? l.items.get(i) : null;
                        int c = a == null ? (b == null ? 0 : -b.compareTo(null)) : a.compareTo(b);
                        if (c != 0) yield c;
                    }
                    yield 0;
                }
            };
        }

        @Override
        public boolean isNull() {
            return items.isEmpty();
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (Item item : items) {
                if (!s.isEmpty()) s.append(item instanceof ListItem ? '-' : '.');
                s.append(item);
            }
            return s.toString();
        }
    }

    private static ListItem split(String v) {
        ListItem root = new ListItem(), list = root;
        List<ListItem> opened = new ArrayList<>(List.of(root));
        boolean digit = false;
        int start = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '.' || c == '-') {
                list.items.add(i == start ? new IntItem(BigInteger.ZERO) : item(digit, v.substring(start, i), false));
                start = i + 1;
                if (c == '-') list = open(list, opened);
            } else if (c >= '0' && c <= '9') {
                if (!digit && i > start) { // letter->digit: "rc1" is rc-1
                    list.items.add(StringItem.of(v.substring(start, i), true));
                    start = i;
                    list = open(list, opened);
                }
                digit = true;
            } else {
                if (digit && i > start) { // digit->letter: "1rc" is 1-rc
                    list.items.add(item(true, v.substring(start, i), false));
                    start = i;
                    list = open(list, opened);
                }
                digit = false;
            }
        }
        if (v.length() > start) {
            list.items.add(item(digit, v.substring(start), false));
        }
        for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).normalize(i > 0);
        return root;
    }

    private static ListItem open(ListItem parent, List<ListItem> opened) {
        ListItem child = new ListItem();
        parent.items.add(child);
        opened.add(child);
        return child;
    }

    private static Item item(boolean digit, String text, boolean followedByDigit) {
        return digit ? new IntItem(new BigInteger(text)) : StringItem.of(text, followedByDigit);
    }

    @Override
    public String toString() {
        return text;
    }
}
