package dev.freshet.engine.rules;

import dev.freshet.engine.regex.RuleRegex;
import dev.freshet.engine.regex.RegexSyntaxException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Literal handling for {@link Comparison}: turning metavariable source text into values, parsing
 * number literals, Python's {@code str()} of a float, and dates. Values are BigInteger, Double,
 * String, Boolean, or List of values.
 */
final class ComparisonValues {

    /** Longest digit string turned into a number (Python 3.11+ has the same default limit). */
    static final int MAX_DIGITS = 4300;

    /** String-literal prefixes accepted in metavariable text (lower-cased): Python, C, C++, C#. */
    private static final Set<String> STRING_PREFIXES =
            Set.of("", "r", "b", "u", "f", "rb", "br", "fr", "rf", "u8", "l", "@", "$", "@$", "$@");

    private ComparisonValues() {}

    /**
     * The value of a metavariable bound to {@code sourceText}, as Semgrep computes it: integer
     * literals (any base, digit separators, C/Java/JS suffixes) become integers, float literals
     * floats, boolean literals booleans, string literals their content, anything else the text.
     * With {@code strip}, quotes are removed first and the content is turned into a number if it
     * is one. With a {@code base} other than 10, integers are read in that base when they can be.
     */
    static Object fromSource(String sourceText, boolean strip, int base) {
        String text = sourceText.strip();
        String content = stringContent(text);
        if (strip) {
            String unquoted = content != null ? content : text;
            Object number = number(unquoted.strip(), base);
            return number != null ? number : unquoted;
        }
        Object number = number(text, base);
        if (number != null) {
            return number;
        }
        return switch (text) {
            case "True", "true" -> Boolean.TRUE;
            case "False", "false" -> Boolean.FALSE;
            default -> content != null ? content : text;
        };
    }

    /** A BigInteger or Double if {@code text} is a (signed, any-language) number literal, else null. */
    static Object number(String text, int base) {
        if (base != 10) {
            BigInteger inBase = integerInBase(text, base);
            if (inBase != null) {
                return inBase;
            }
        }
        BigInteger integer = parseInteger(text, true);
        return integer != null ? integer : parseFloat(text, true);
    }

    /** Reads {@code text} as an integer in {@code base}, with optional sign and matching 0x/0o/0b prefix. */
    static BigInteger integerInBase(String text, int base) {
        String s = text;
        boolean negative = !s.isEmpty() && s.charAt(0) == '-';
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            s = s.substring(1);
        }
        boolean prefixed = s.length() >= 2 && s.charAt(0) == '0' && radixOfPrefix(s.charAt(1)) == base;
        BigInteger value = digits(prefixed ? s.substring(2) : s, base, prefixed);
        return value == null || !negative ? value : value.negate();
    }

    /**
     * Reads an integer literal. Strict mode is Python's literal syntax (no sign, no suffix, no
     * leading zeros); lenient mode also takes a sign, C/Java suffixes ({@code L}, {@code UL}, ...),
     * the JavaScript BigInt {@code n} suffix and C-style octal {@code 0755}. Null if not one.
     */
    static BigInteger parseInteger(String text, boolean lenient) {
        String s = text;
        boolean negative = false;
        if (lenient) {
            if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
                negative = s.charAt(0) == '-';
                s = s.substring(1);
            }
            s = stripIntegerSuffix(s);
        }
        if (s.isEmpty()) {
            return null;
        }
        int radix = s.length() >= 2 && s.charAt(0) == '0' ? radixOfPrefix(s.charAt(1)) : 10;
        boolean prefixed = radix != 10;
        if (prefixed) {
            s = s.substring(2);
        } else if (s.length() > 1 && s.charAt(0) == '0' && !s.chars().allMatch(c -> c == '0' || c == '_')) {
            if (!lenient || !s.chars().allMatch(c -> (c >= '0' && c <= '7') || c == '_')) {
                return null;
            }
            radix = 8;
        }
        BigInteger value = digits(s, radix, prefixed);
        return value == null || !negative ? value : value.negate();
    }

    private static int radixOfPrefix(char c) {
        return switch (c) {
            case 'x', 'X' -> 16;
            case 'o', 'O' -> 8;
            case 'b', 'B' -> 2;
            default -> 10;
        };
    }

    private static String stripIntegerSuffix(String s) {
        if (s.length() > 1 && s.endsWith("n")) {
            return s.substring(0, s.length() - 1);
        }
        int end = s.length();
        while (end > 1 && s.length() - end < 3 && "uUlL".indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(0, end);
    }

    /** ASCII digits of {@code radix} with '_' separators between digits; null if anything else. */
    private static BigInteger digits(String s, int radix, boolean leadingUnderscoreAllowed) {
        StringBuilder clean = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                boolean leftOk = i == 0 ? leadingUnderscoreAllowed : true; // left is a digit or '_'
                boolean rightOk = i + 1 < s.length() && (s.charAt(i + 1) == '_' || digitValue(s.charAt(i + 1), radix) >= 0);
                if (!leftOk || !rightOk) {
                    return null;
                }
            } else if (digitValue(c, radix) < 0) {
                return null;
            } else {
                clean.append(c);
            }
        }
        if (clean.isEmpty() || clean.length() > MAX_DIGITS) {
            return null;
        }
        return new BigInteger(clean.toString(), radix);
    }

    private static int digitValue(char c, int radix) {
        return c < 128 ? Character.digit(c, radix) : -1;
    }

    /**
     * Reads a decimal float literal ({@code 1.5}, {@code .5}, {@code 1e-3}, {@code 1_0.5}). Lenient
     * mode also takes a sign and a Java/C {@code f}/{@code d} suffix. Null if not one; text that is
     * an integer literal without a suffix is not a float.
     */
    static Double parseFloat(String text, boolean lenient) {
        String s = text;
        StringBuilder clean = new StringBuilder(s.length());
        boolean suffix = false;
        if (lenient) {
            if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
                clean.append(s.charAt(0));
                s = s.substring(1);
            }
            if (s.length() > 1 && "fFdD".indexOf(s.charAt(s.length() - 1)) >= 0) {
                s = s.substring(0, s.length() - 1);
                suffix = true;
            }
        }
        boolean dot = false;
        boolean exponent = false;
        boolean mantissaDigits = false;
        boolean exponentDigits = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                clean.append(c);
                if (exponent) {
                    exponentDigits = true;
                } else {
                    mantissaDigits = true;
                }
            } else if (c == '_') {
                if (i == 0 || !isAsciiDigit(s.charAt(i - 1)) || i + 1 == s.length() || !isAsciiDigit(s.charAt(i + 1))) {
                    return null;
                }
            } else if (c == '.' && !dot && !exponent) {
                dot = true;
                clean.append(c);
            } else if ((c == 'e' || c == 'E') && !exponent && mantissaDigits) {
                exponent = true;
                clean.append('e');
                if (i + 1 < s.length() && (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-')) {
                    clean.append(s.charAt(++i));
                }
            } else {
                return null;
            }
        }
        if (!mantissaDigits || (exponent && !exponentDigits) || (!dot && !exponent && !suffix)
                || clean.length() > MAX_DIGITS) {
            return null;
        }
        return Double.parseDouble(clean.toString());
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * The content of a string literal in any of the supported languages (quotes ', ", `, triple
     * quotes, prefixes such as r, b, f, u8, L, @), without processing escapes; null if
     * {@code text} is not exactly one string literal or is an interpolated string.
     */
    static String stringContent(String text) {
        int prefixEnd = 0;
        while (prefixEnd < text.length() && prefixEnd < 2 && "'\"`".indexOf(text.charAt(prefixEnd)) < 0) {
            prefixEnd++;
        }
        String prefix = text.substring(0, prefixEnd).toLowerCase(Locale.ROOT);
        String literal = text.substring(prefixEnd);
        if (!STRING_PREFIXES.contains(prefix) || literal.length() < 2) {
            return null;
        }
        char quote = literal.charAt(0);
        if ("'\"`".indexOf(quote) < 0) {
            return null;
        }
        String delimiter = String.valueOf(quote);
        String triple = delimiter.repeat(3);
        if (literal.length() >= 6 && literal.startsWith(triple) && literal.endsWith(triple)) {
            delimiter = triple;
        }
        int n = delimiter.length();
        if (!literal.endsWith(delimiter) || literal.length() < 2 * n) {
            return null;
        }
        String body = literal.substring(n, literal.length() - n);
        boolean escapes = quote != '`'; // Go raw strings have none
        for (int i = 0; i < body.length(); i++) {
            if (escapes && body.charAt(i) == '\\') {
                i++; // escaped character; cannot end the literal
            } else if (body.startsWith(delimiter, i)) {
                return null; // e.g. "a" + "b"
            }
        }
        if (escapes && countTrailing(body, '\\') % 2 == 1) {
            return null; // the closing quote was escaped
        }
        boolean interpolated = (quote == '`' && body.contains("${"))
                || ((prefix.contains("f") || prefix.contains("$")) && body.contains("{"));
        return interpolated ? null : body;
    }

    private static int countTrailing(String s, char c) {
        int count = 0;
        for (int i = s.length() - 1; i >= 0 && s.charAt(i) == c; i--) {
            count++;
        }
        return count;
    }

    /** Largest regular expression accepted, in (over-estimated) RE2 program instructions. */
    static final long MAX_REGEX_SIZE = 100_000;

    /**
     * Compiles an RE2 regular expression after checking that counted repetitions will not expand
     * it into a huge program ({@code ((a{1000}){1000}){1000}} would exhaust the heap).
     *
     * @throws IllegalArgumentException if it is invalid or too large
     */
    static RuleRegex compileRegex(String regex) {
        if (regexSize(regex) > MAX_REGEX_SIZE) {
            throw new IllegalArgumentException("regular expression too large once its counted repetitions are expanded");
        }
        try {
            return RuleRegex.compile(regex, false);
        } catch (RegexSyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** An over-estimate of the size of the compiled program: atoms, times enclosing {n,m} counts. */
    private static long regexSize(String regex) {
        Deque<long[]> groups = new ArrayDeque<>(); // {size so far} of each enclosing group
        long size = 0;
        long lastAtom = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            switch (c) {
                case '(' -> {
                    groups.push(new long[] {size});
                    size = 0;
                    lastAtom = 0;
                }
                case ')' -> {
                    long group = size + 1;
                    size = groups.isEmpty() ? group : saturatedAdd(groups.pop()[0], group);
                    lastAtom = group;
                }
                case '{' -> {
                    int close = regex.indexOf('}', i);
                    long count = close < 0 ? -1 : repeatCount(regex.substring(i + 1, close));
                    if (count < 0) { // a literal '{'
                        size = saturatedAdd(size, 1);
                        lastAtom = 1;
                    } else {
                        size = saturatedAdd(size, saturatedMultiply(lastAtom, count));
                        lastAtom = saturatedMultiply(lastAtom, count + 1);
                        i = close;
                    }
                }
                default -> {
                    if (c == '\\') {
                        i++;
                    } else if (c == '[') {
                        i = classEnd(regex, i);
                    }
                    size = saturatedAdd(size, 1);
                    lastAtom = 1;
                }
            }
        }
        while (!groups.isEmpty()) {
            size = saturatedAdd(groups.pop()[0], size);
        }
        return size;
    }

    /** The larger bound of a repetition body such as {@code 3}, {@code 3,} or {@code 3,5}; -1 if not one. */
    private static long repeatCount(String body) {
        String[] bounds = body.split(",", -1);
        if (bounds.length > 2 || bounds[0].isEmpty() || bounds[0].length() > 9 || (bounds.length == 2 && bounds[1].length() > 9)
                || !body.chars().allMatch(ch -> isAsciiDigit((char) ch) || ch == ',')) {
            return -1;
        }
        long low = Long.parseLong(bounds[0]);
        return bounds.length == 2 && !bounds[1].isEmpty() ? Math.max(low, Long.parseLong(bounds[1])) : low;
    }

    /** Index of the ']' closing the character class opened at {@code open}, or the last index. */
    private static int classEnd(String regex, int open) {
        int i = open + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        for (; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[' && regex.startsWith("[:", i)) {
                int end = regex.indexOf(":]", i + 2);
                i = end < 0 ? i : end + 1;
            } else if (c == ']') {
                return i;
            }
        }
        return regex.length() - 1;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatedMultiply(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    /** Index of {@code needle} in {@code haystack} or -1, in linear time (Knuth-Morris-Pratt). */
    static int indexOf(String haystack, String needle) {
        if (needle.isEmpty()) {
            return 0;
        }
        int[] fallback = new int[needle.length()];
        for (int i = 1, k = 0; i < needle.length(); i++) {
            while (k > 0 && needle.charAt(i) != needle.charAt(k)) {
                k = fallback[k - 1];
            }
            if (needle.charAt(i) == needle.charAt(k)) {
                k++;
            }
            fallback[i] = k;
        }
        for (int i = 0, k = 0; i < haystack.length(); i++) {
            while (k > 0 && haystack.charAt(i) != needle.charAt(k)) {
                k = fallback[k - 1];
            }
            if (haystack.charAt(i) == needle.charAt(k)) {
                k++;
            }
            if (k == needle.length()) {
                return i - k + 1;
            }
        }
        return -1;
    }

    /** Python's name for the type of a value, for error messages. */
    static String typeName(Object value) {
        return switch (value) {
            case BigInteger ignored -> "int";
            case Double ignored -> "float";
            case String ignored -> "str";
            case Boolean ignored -> "bool";
            case List<?> ignored -> "list";
            default -> value.getClass().getSimpleName();
        };
    }

    /** Python's {@code str()} of a float: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int pointAt = digits.length() - exact.scale(); // value = 0.digits * 10^pointAt
        int exponent = pointAt - 1;
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
        }
        if (pointAt <= 0) {
            return sign + "0." + "0".repeat(-pointAt) + digits;
        }
        if (pointAt >= digits.length()) {
            return sign + digits + "0".repeat(pointAt - digits.length()) + ".0";
        }
        return sign + digits.substring(0, pointAt) + "." + digits.substring(pointAt);
    }

    /**
     * Seconds since the Unix epoch (UTC) for a date {@code yyyy-mm-dd} (month and day may have one
     * digit) or an ISO-8601 date-time ({@code 2024-01-31T10:00:00}, optionally with an offset);
     * null if it is neither.
     */
    static Double epochSeconds(String text) {
        String s = text.strip();
        String[] parts = s.split("-", -1);
        if (parts.length == 3 && List.of(parts).stream().allMatch(p -> !p.isEmpty() && p.length() <= 9
                && p.chars().allMatch(c -> c >= '0' && c <= '9'))) {
            try {
                LocalDate date = LocalDate.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                return (double) date.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            } catch (DateTimeException e) {
                return null;
            }
        }
        try {
            OffsetDateTime at = OffsetDateTime.parse(s);
            return at.toEpochSecond() + at.getNano() / 1e9;
        } catch (DateTimeException e) {
            // not with an offset; try without
        }
        try {
            LocalDateTime at = LocalDateTime.parse(s);
            return at.toEpochSecond(ZoneOffset.UTC) + at.getNano() / 1e9;
        } catch (DateTimeException e) {
            return null;
        }
    }
}
