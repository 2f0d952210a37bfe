package dev.freshet.engine.regex;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rewrites a PCRE2 regex into java.util.regex syntax with the same meaning. Both read lookaround,
 * backreferences, atomic groups and possessive quantifiers alike; where their syntax differs, the
 * PCRE2 reading ({@code pcre2pattern(3)}) is kept:
 * <ul>
 *   <li>a {@code {} that does not start a quantifier {n}, {n,} or {n,m} is a literal;</li>
 *   <li>in a class, {@code [} and {@code &&} are literals (Java would read a union, an intersection),
 *       a leading {@code ]} is a literal, {@code [:alpha:]} is a POSIX class, {@code \b} is a backspace;</li>
 *   <li>named groups ({@code (?<n>..)}, {@code (?P<n>..)}, {@code (?'n'..)}) are numbered with the
 *       others (Java refuses names such as {@code my_name}), and named backreferences become numbers;</li>
 *   <li>{@code \xh} takes one or two hex digits, {@code \o{..}} and {@code \0nn} are octal, {@code \N} is
 *       any character but a newline, {@code (?#..)} is a comment.</li>
 * </ul>
 * PCRE features Java has no counterpart for (recursion, subroutine calls, conditionals, branch reset,
 * backtracking verbs, callouts, {@code \K}) are refused as unsupported.
 */
final class PcreSyntax {
    private final String re;
    private final StringBuilder out = new StringBuilder();
    private final Map<String, Integer> names = new LinkedHashMap<>();
    private int groups;
    private int i;

    /** A regex in Java syntax with the PCRE group names and their numbers. */
    record Translation(String javaRegex, Map<String, Integer> namedGroups) {
    }

    private PcreSyntax(String re) {
        this.re = re;
    }

    static Translation toJava(String pcre) throws RegexSyntaxException {
        PcreSyntax syntax = new PcreSyntax(pcre);
        syntax.translate();
        return new Translation(syntax.out.toString(), Map.copyOf(syntax.names));
    }

    private void translate() throws RegexSyntaxException {
        while (i < re.length()) {
            char c = re.charAt(i);
            switch (c) {
                case '\\' -> escape(false);
                case '[' -> characterClass();
                case '(' -> group();
                case '{' -> brace();
                case '}' -> {
                    out.append("\\}");
                    i++;
                }
                default -> {
                    out.append(c);
                    i++;
                }
            }
        }
    }

    /** {@code {n}}, {@code {n,}} and {@code {n,m}} are quantifiers; any other brace is the character itself. */
    private void brace() {
        int j = i + 1;
        int digits = digitsFrom(j);
        boolean quantifier = false;
        if (digits > 0) {
            j += digits;
            if (j < re.length() && re.charAt(j) == ',') {
                j++;
                j += digitsFrom(j);
            }
            quantifier = j < re.length() && re.charAt(j) == '}';
        }
        if (quantifier) {
            out.append(re, i, j + 1);
            i = j + 1;
        } else {
            out.append("\\{");
            i++;
        }
    }

    private int digitsFrom(int j) {
        int n = 0;
        while (j + n < re.length() && Character.isDigit(re.charAt(j + n))) {
            n++;
        }
        return n;
    }

    private void group() throws RegexSyntaxException {
        if (re.startsWith("(*", i)) {
            throw RegexSyntaxException.unsupported("PCRE backtracking control verb " + snippet());
        }
        if (!re.startsWith("(?", i)) {
            groups++;
            out.append('(');
            i++;
            return;
        }
        String rest = re.substring(i + 2);
        if (rest.startsWith("#")) {
            int close = re.indexOf(')', i);
            if (close < 0) {
                throw RegexSyntaxException.invalid("missing ) after (?# comment");
            }
            i = close + 1;
        } else if (rest.startsWith("P<") || rest.startsWith("<") && !rest.startsWith("<=") && !rest.startsWith("<!")
                || rest.startsWith("'")) {
            int nameStart = i + 2 + (rest.startsWith("P<") ? 2 : 1);
            char closing = rest.startsWith("'") ? '\'' : '>';
            int nameEnd = re.indexOf(closing, nameStart);
            if (nameEnd < 0) {
                throw RegexSyntaxException.invalid("unterminated group name at " + snippet());
            }
            groups++;
            names.put(re.substring(nameStart, nameEnd), groups);
            out.append('(');
            i = nameEnd + 1;
        } else if (rest.startsWith("P=")) {
            int close = re.indexOf(')', i);
            if (close < 0) {
                throw RegexSyntaxException.invalid("unterminated (?P= backreference");
            }
            backreference(re.substring(i + 4, close));
            i = close + 1;
        } else if (rest.startsWith("P>") || rest.startsWith("&") || rest.startsWith("R") || !rest.isEmpty()
                && (Character.isDigit(rest.charAt(0)) || (rest.charAt(0) == '+' || rest.charAt(0) == '-')
                && rest.length() > 1 && Character.isDigit(rest.charAt(1)))) {
            throw RegexSyntaxException.unsupported("PCRE recursion or subroutine call " + snippet());
        } else if (rest.startsWith("|")) {
            throw RegexSyntaxException.unsupported("PCRE branch reset group " + snippet());
        } else if (rest.startsWith("(")) {
            throw RegexSyntaxException.unsupported("PCRE conditional group " + snippet());
        } else if (rest.startsWith("C")) {
            throw RegexSyntaxException.unsupported("PCRE callout " + snippet());
        } else {
            // (?: (?= (?! (?<= (?<! (?> and inline flags read the same in Java.
            out.append("(?");
            i += 2;
        }
    }

    private void backreference(String name) throws RegexSyntaxException {
        Integer number = names.get(name);
        if (number == null) {
            throw RegexSyntaxException.unsupported("regex backreference to a group not yet defined: " + name);
        }
        numberedBackreference(number);
    }

    private void numberedBackreference(int number) {
        // In a group of its own, so that a digit after it is not read as part of the number.
        out.append("(?:\\").append(number).append(')');
    }

    /** An escape outside or (inClass) inside a character class. */
    private void escape(boolean inClass) throws RegexSyntaxException {
        if (i + 1 >= re.length()) {
            throw RegexSyntaxException.invalid("\\ at end of pattern");
        }
        char next = re.charAt(i + 1);
        switch (next) {
            case 'Q' -> {
                int end = re.indexOf("\\E", i + 2);
                String literal = re.substring(i + 2, end < 0 ? re.length() : end);
                for (char ch : literal.toCharArray()) {
                    out.append(Character.isLetterOrDigit(ch) ? String.valueOf(ch) : "\\x{" + Integer.toHexString(ch) + "}");
                }
                i = end < 0 ? re.length() : end + 2;
            }
            case 'E' -> i += 2; // \E without \Q is ignored
            case 'x' -> {
                if (i + 2 < re.length() && re.charAt(i + 2) == '{') {
                    copyEscape();
                } else {
                    int j = i + 2;
                    while (j < re.length() && j < i + 4 && Character.digit(re.charAt(j), 16) >= 0) {
                        j++;
                    }
                    out.append("\\x{").append(j == i + 2 ? "0" : re.substring(i + 2, j)).append('}');
                    i = j;
                }
            }
            case 'o' -> {
                int close = re.indexOf('}', i);
                if (i + 2 >= re.length() || re.charAt(i + 2) != '{' || close < 0) {
                    throw RegexSyntaxException.invalid("\\o needs {octal digits}");
                }
                codePoint(re.substring(i + 3, close), 8);
                i = close + 1;
            }
            case '0' -> {
                int j = i + 2;
                while (j < re.length() && j < i + 4 && re.charAt(j) >= '0' && re.charAt(j) <= '7') {
                    j++;
                }
                codePoint(j == i + 2 ? "0" : re.substring(i + 2, j), 8);
                i = j;
            }
            case 'b' -> {
                out.append(inClass ? "\\x{8}" : "\\b");
                i += 2;
            }
            case 'N' -> {
                if (inClass) {
                    throw RegexSyntaxException.invalid("\\N is not allowed in a character class");
                }
                out.append("[^\\n]");
                i += 2;
            }
            case 'k' -> namedEscape();
            case 'g' -> gEscape();
            case 'K' -> throw RegexSyntaxException.unsupported("PCRE match start reset \\K");
            case 'C' -> throw RegexSyntaxException.unsupported("PCRE single code unit \\C");
            default -> copyEscape();
        }
    }

    private void codePoint(String digits, int radix) throws RegexSyntaxException {
        try {
            out.append("\\x{").append(Integer.toHexString(Integer.parseInt(digits, radix))).append('}');
        } catch (NumberFormatException e) {
            throw RegexSyntaxException.invalid("bad character code " + digits);
        }
    }

    /** {@code \x{..}}, {@code \p{..}} and the like: copied whole; anything else, the escape and its character. */
    private void copyEscape() {
        char next = re.charAt(i + 1);
        int close = re.indexOf('}', i);
        if ((next == 'x' || next == 'p' || next == 'P') && i + 2 < re.length() && re.charAt(i + 2) == '{' && close > 0) {
            out.append(re, i, close + 1);
            i = close + 1;
        } else {
            out.append(re, i, i + 2);
            i += 2;
        }
    }

    /** {@code \k<name>}, {@code \k'name'}, {@code \k{name}}: a named backreference. */
    private void namedEscape() throws RegexSyntaxException {
        if (i + 2 >= re.length()) {
            throw RegexSyntaxException.invalid("\\k needs a group name");
        }
        char open = re.charAt(i + 2);
        char closing = open == '<' ? '>' : open == '\'' ? '\'' : open == '{' ? '}' : 0;
        int close = closing == 0 ? -1 : re.indexOf(closing, i + 3);
        if (close < 0) {
            throw RegexSyntaxException.invalid("\\k needs a group name in <>, '' or {}");
        }
        backreference(re.substring(i + 3, close));
        i = close + 1;
    }

    /** {@code \gN}, {@code \g{N}}, {@code \g{-N}}, {@code \g{name}}: backreferences; {@code \g<..>} is a subroutine call. */
    private void gEscape() throws RegexSyntaxException {
        int j = i + 2;
        String reference;
        if (j < re.length() && re.charAt(j) == '{') {
            int close = re.indexOf('}', j);
            if (close < 0) {
                throw RegexSyntaxException.invalid("unterminated \\g{");
            }
            reference = re.substring(j + 1, close);
            i = close + 1;
        } else if (j < re.length() && (re.charAt(j) == '<' || re.charAt(j) == '\'')) {
            throw RegexSyntaxException.unsupported("PCRE subroutine call " + snippet());
        } else {
            int end = j + (j < re.length() && re.charAt(j) == '-' ? 1 : 0);
            end += digitsFrom(end);
            reference = re.substring(j, end);
            i = end;
        }
        if (reference.matches("-?\\d+")) {
            int number = Integer.parseInt(reference);
            numberedBackreference(number < 0 ? groups + 1 + number : number);
        } else {
            backreference(reference);
        }
    }

    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alpha", "Alpha"), Map.entry("digit", "Digit"), Map.entry("alnum", "Alnum"),
            Map.entry("upper", "Upper"), Map.entry("lower", "Lower"), Map.entry("space", "Space"),
            Map.entry("punct", "Punct"), Map.entry("xdigit", "XDigit"), Map.entry("blank", "Blank"),
            Map.entry("cntrl", "Cntrl"), Map.entry("graph", "Graph"), Map.entry("print", "Print"),
            Map.entry("ascii", "ASCII"));

    private void characterClass() throws RegexSyntaxException {
        out.append('[');
        i++;
        if (i < re.length() && re.charAt(i) == '^') {
            out.append('^');
            i++;
        }
        if (i < re.length() && re.charAt(i) == ']') {
            out.append("\\]");
            i++;
        }
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == ']') {
                out.append(']');
                i++;
                return;
            }
            if (c == '\\') {
                escape(true);
            } else if (c == '[' && re.startsWith("[:", i) && re.indexOf(":]", i + 2) > 0) {
                posixClass();
            } else {
                out.append(c == '[' || c == '&' || Character.isWhitespace(c) ? "\\x{" + Integer.toHexString(c) + "}"
                        : String.valueOf(c));
                i++;
            }
        }
        throw RegexSyntaxException.invalid("missing terminating ] for a character class");
    }

    private void posixClass() throws RegexSyntaxException {
        int close = re.indexOf(":]", i + 2);
        String name = re.substring(i + 2, close);
        boolean negated = name.startsWith("^");
        String bare = negated ? name.substring(1) : name;
        if (bare.equals("word")) {
            out.append(negated ? "\\W" : "\\w");
        } else if (POSIX.containsKey(bare)) {
            out.append(negated ? "\\P{" : "\\p{").append(POSIX.get(bare)).append('}');
        } else {
            throw RegexSyntaxException.invalid("unknown POSIX class name [:" + name + ":]");
        }
        i = close + 2;
    }

    private String snippet() {
        return re.substring(i, Math.min(re.length(), i + 12));
    }
}
