package dev.freshet.engine.scan;

import dev.freshet.engine.fix.Edit;
import dev.freshet.engine.pattern.Captured;
import dev.freshet.engine.pattern.Match;
import dev.freshet.engine.regex.RegexMatcher;
import dev.freshet.engine.rules.Autofix;
import java.util.Map;

/** Computes the fix a rule's {@code fix:} / {@code fix-regex:} gives for one match. */
final class Fixes {
    /** A fix bigger than this is refused: a template repeating a large capture must not exhaust memory. */
    static final int MAX_REPLACEMENT_CHARS = 1 << 20;

    private Fixes() {
    }

    /** Thrown when a fix would exceed {@link #MAX_REPLACEMENT_CHARS}. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("the fix would be larger than " + MAX_REPLACEMENT_CHARS + " characters", null, false, false);
        }
    }

    static Finding.Fix of(Autofix autofix, Match match, String source) {
        int end = match.end();
        String replacement;
        if (autofix instanceof Autofix.Template template) {
            replacement = indent(interpolate(template.text(), match.bindings().asMap()), indentation(source, match.start()));
            if (usesCrLf(source, match.start())) {
                replacement = replacement.replaceAll("(?<!\r)\n", "\r\n"); // the fix's line breaks follow the file's
            }
            // A statement pattern (foo();) matches the call; its fix, written as a statement, replaces the ';' too.
            if (replacement.endsWith(";") && end < source.length() && source.charAt(end) == ';') {
                end++;
            }
        } else {
            replacement = replace((Autofix.RegexReplace) autofix, source.substring(match.start(), end));
        }
        Edit edit = new Edit(match.start(), end, source.substring(match.start(), end), replacement);
        return new Finding.Fix(edit, fixedLines(source, edit), end - match.end());
    }

    /** Whether the line holding {@code offset} ends with CR LF. */
    static boolean usesCrLf(String source, int offset) {
        int newline = source.indexOf('\n', offset);
        return newline > 0 && source.charAt(newline - 1) == '\r';
    }

    /** The blanks that start the line holding {@code offset}, up to the code. */
    static String indentation(String source, int offset) {
        int from = source.lastIndexOf('\n', offset - 1) + 1;
        int to = from;
        while (to < offset && (source.charAt(to) == ' ' || source.charAt(to) == '\t')) {
            to++;
        }
        return source.substring(from, to);
    }

    /** Later lines of a multi-line fix start at the indentation of the matched line, as in Semgrep; blank lines stay empty. */
    static String indent(String text, String indentation) {
        if (indentation.isEmpty() || text.indexOf('\n') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int from = 0;
        for (int newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', from)) {
            out.append(text, from, newline + 1);
            from = newline + 1;
            if (from < text.length() && text.charAt(from) != '\n' && text.charAt(from) != '\r') {
                out.append(indentation);
            }
            check(out);
        }
        return check(out.append(text, from, text.length())).toString();
    }

    /** The template with each metavariable it names replaced by the code that metavariable captured. */
    static String interpolate(String template, Map<String, Captured> bindings) {
        java.util.regex.Matcher m = Scanner.METAVARIABLE_REFERENCE.matcher(template);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        while (m.find()) {
            Captured captured = bindings.get(m.group());
            out.append(template, copied, m.start()).append(captured != null ? captured.text() : m.group());
            copied = m.end();
            check(out);
        }
        return check(out.append(template, copied, template.length())).toString();
    }

    /**
     * Python's {@code re.sub} on the matched text, as Semgrep's fix-regex is: {@code \1} and {@code \g<name>}
     * name groups, {@code \n} and {@code \t} are line break and tab, any other escaped character stands for itself.
     */
    static String replace(Autofix.RegexReplace fix, String text) {
        RegexMatcher m = fix.regex().matcher(text);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        int done = 0;
        while ((fix.count() == 0 || done < fix.count()) && m.find()) {
            out.append(text, copied, m.start());
            expand(fix.replacement(), m, out);
            copied = m.end();
            done++;
            check(out);
            if (m.end() == m.start() && m.end() == text.length()) {
                break;
            }
        }
        return check(out.append(text, copied, text.length())).toString();
    }

    private static void expand(String replacement, RegexMatcher m, StringBuilder out) {
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c != '\\' || i + 1 == replacement.length()) {
                out.append(c);
                continue;
            }
            char next = replacement.charAt(++i);
            if (Character.isDigit(next)) {
                int end = i + 1;
                if (end < replacement.length() && Character.isDigit(replacement.charAt(end)) && (next - '0') * 10
                        + (replacement.charAt(end) - '0') <= m.groupCount()) {
                    end++; // \12 is group 12 when there is one
                }
                appendGroup(m, replacement.substring(i, end), out);
                i = end - 1;
            } else if (next == 'g' && i + 1 < replacement.length() && replacement.charAt(i + 1) == '<'
                    && replacement.indexOf('>', i) > 0) {
                int close = replacement.indexOf('>', i);
                appendGroup(m, replacement.substring(i + 2, close), out);
                i = close;
            } else {
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> next;
                });
            }
        }
    }

    private static void appendGroup(RegexMatcher m, String group, StringBuilder out) {
        String value;
        try {
            value = group.chars().allMatch(Character::isDigit) ? m.group(Integer.parseInt(group)) : m.group(group);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IllegalArgumentException("fix-regex replacement names group " + group + ", which the regex does not have");
        }
        if (value != null) {
            out.append(value);
        }
    }

    private static StringBuilder check(StringBuilder out) {
        if (out.length() > MAX_REPLACEMENT_CHARS) {
            throw new TooLarge();
        }
        return out;
    }

    /** From the start of the match's first line to the end of its last line, with the fix in place. */
    private static String fixedLines(String source, Edit edit) {
        int from = source.lastIndexOf('\n', edit.start() - 1) + 1;
        int lineEnd = source.indexOf('\n', edit.end());
        int to = lineEnd < 0 ? source.length() : lineEnd;
        if (to - 1 >= edit.end() && source.charAt(to - 1) == '\r') {
            to--; // a CRLF line ends before its CR
        }
        return source.substring(from, edit.start()) + edit.replacement() + source.substring(edit.end(), to);
    }
}
