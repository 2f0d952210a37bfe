package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.Language;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites pattern syntax ({@code $X}, {@code $...XS}, {@code ...}, {@code <... e ...>}) into plain
 * identifiers so that the language's own parser accepts the pattern. String literals are left alone.
 */
final class Placeholders {
    static final String METAVARIABLE = "__fmv__";
    static final String METAVARIABLE_ELLIPSIS = "__fmvs__";
    static final String ELLIPSIS = "__fell__";
    static final String DEEP = "__fdeep__";

    /** {@code Type name(} or {@code $RET $M(}: what comes before a method's parameter list. */
    private static final Pattern JAVA_DECLARATION_BEFORE_PAREN = Pattern.compile("([\\w$\\]>]+)\\s+[\\w$]+\\s*$");
    private static final java.util.Set<String> NOT_A_TYPE = java.util.Set.of("new", "return", "throw", "else", "case", "yield");
    private static final Pattern ANNOTATION_BEFORE_PAREN = Pattern.compile("@[\\w.$]+$");
    private static final Pattern METAVARIABLE_NAME = Pattern.compile("\\$([A-Z_][A-Z0-9_]*)");
    private static final Pattern METAVARIABLE_ELLIPSIS_NAME = Pattern.compile("\\$\\.\\.\\.([A-Z_][A-Z0-9_]*)");

    private Placeholders() {
    }

    /**
     * @param keyedEntries whether an ellipsis among keyed entries stands for entries, which the
     *                     parser needs as a key-value pair: Python's {@code {..., "k": v}} and Java's
     *                     {@code @A(..., k = v)}
     */
    static String substitute(String pattern, Language language, boolean keyedEntries) {
        StringBuilder out = new StringBuilder(pattern.length() + 32);
        int deepDepth = 0;
        // For each open parenthesis: does it start a Java method's parameter list?
        java.util.ArrayDeque<Boolean> parameterLists = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Character> brackets = new java.util.ArrayDeque<>();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                int end = endOfString(pattern, i);
                boolean interpolated = c == '`' && language != Language.PYTHON
                        || language == Language.PYTHON && isFormatStringPrefix(out);
                if (interpolated) {
                    copyInterpolated(pattern, i, end, language, out);
                } else {
                    out.append(pattern, i, end);
                }
                i = end;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                // Remember braces that open an initializer ({1, 2}) and parentheses of annotations:
                // an ellipsis there is a list item, not a statement.
                String before = out.toString().stripTrailing();
                boolean initializer = c == '{' && language == Language.JAVA && !before.isEmpty() && "=,(]".indexOf(before.charAt(before.length() - 1)) >= 0;
                boolean annotation = c == '(' && language == Language.JAVA && ANNOTATION_BEFORE_PAREN.matcher(before).find();
                brackets.push(initializer ? 'i' : annotation ? 'a' : c);
            } else if ((c == ')' || c == ']' || c == '}') && !brackets.isEmpty()) {
                brackets.pop();
            }
            if (c == '#' && language == Language.PYTHON || c == '/' && i + 1 < n && pattern.charAt(i + 1) == '/'
                    && language != Language.PYTHON) {
                int end = pattern.indexOf('\n', i);
                i = end < 0 ? n : end;
                continue;
            }
            if (c == '$') {
                Matcher ellipsisName = METAVARIABLE_ELLIPSIS_NAME.matcher(pattern).region(i, n);
                if (ellipsisName.lookingAt()) {
                    out.append(METAVARIABLE_ELLIPSIS).append(ellipsisName.group(1));
                    i = ellipsisName.end();
                    continue;
                }
                Matcher name = METAVARIABLE_NAME.matcher(pattern).region(i, n);
                if (name.lookingAt()) {
                    out.append(METAVARIABLE).append(name.group(1));
                    i = name.end();
                    continue;
                }
            }
            if (c == '(') {
                parameterLists.push(language == Language.JAVA && isJavaDeclaration(out));
            } else if (c == ')' && !parameterLists.isEmpty()) {
                parameterLists.pop();
            }
            if (c == '<' && pattern.startsWith("...", i + 1)) {
                out.append(DEEP).append('(');
                deepDepth++;
                i += 4;
                continue;
            }
            if (pattern.startsWith("...", i)) {
                int after = skipSpaces(pattern, i + 3);
                if (deepDepth > 0 && after < n && pattern.charAt(after) == '>') {
                    out.append(')');
                    deepDepth--;
                    i = after + 1;
                    continue;
                }
                boolean glued = i > 0 && Character.isJavaIdentifierPart(pattern.charAt(i - 1))
                        || i + 3 < n && (Character.isJavaIdentifierStart(pattern.charAt(i + 3)) && pattern.charAt(i + 3) != '$');
                if (glued) {
                    // Java varargs (String... a) or a JavaScript spread (...args): real syntax, not a wildcard.
                    out.append("...");
                } else if (keyedEntries && language == Language.PYTHON && !brackets.isEmpty() && brackets.peek() == '{'
                        && startsEntry(out)) {
                    out.append(ELLIPSIS).append(": ").append(ELLIPSIS);
                } else if (keyedEntries && language == Language.JAVA && !brackets.isEmpty() && brackets.peek() == 'a') {
                    out.append(ELLIPSIS).append(" = ").append(ELLIPSIS);
                } else if (!parameterLists.isEmpty() && parameterLists.peek()) {
                    // A Java parameter needs a type and a name.
                    out.append(ELLIPSIS).append(' ').append(ELLIPSIS);
                } else {
                    out.append(ELLIPSIS);
                    if (language == Language.JAVA && parameterLists.isEmpty() && startsStatement(pattern, i)
                            && (brackets.isEmpty() || brackets.peek() == '{')) {
                        out.append(';');
                    }
                }
                i += 3;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** Whether the text before a parenthesis ends like a method declaration: {@code Type name}. */
    private static boolean isJavaDeclaration(CharSequence before) {
        Matcher m = JAVA_DECLARATION_BEFORE_PAREN.matcher(before);
        if (!m.find() || NOT_A_TYPE.contains(m.group(1))) {
            return false;
        }
        String head = before.subSequence(0, m.start()).toString().stripTrailing();
        return head.isEmpty() || "=.(,!&|+-*/?:".indexOf(head.charAt(head.length() - 1)) < 0;
    }

    /** An ellipsis right after an opening brace or a comma is an entry, not a value. */
    private static boolean startsEntry(CharSequence before) {
        String text = before.toString().stripTrailing();
        return !text.isEmpty() && (text.endsWith("{") || text.endsWith(","));
    }

    /** Python f-strings: the letters right before the quote include f. */
    private static boolean isFormatStringPrefix(CharSequence before) {
        int k = before.length() - 1;
        boolean format = false;
        while (k >= 0 && Character.isLetter(before.charAt(k))) {
            format |= Character.toLowerCase(before.charAt(k)) == 'f';
            k--;
        }
        return format && (k < 0 || !Character.isJavaIdentifierPart(before.charAt(k)));
    }

    /** Copies an f-string or template string, rewriting the code inside its interpolations. */
    private static void copyInterpolated(String text, int start, int end, Language language, StringBuilder out) {
        int i = start;
        while (i < end) {
            boolean opens = language == Language.PYTHON
                    ? text.charAt(i) == '{' && !(i + 1 < end && text.charAt(i + 1) == '{')
                    : text.startsWith("${", i);
            if (!opens) {
                if (language == Language.PYTHON && text.startsWith("{{", i)) {
                    out.append("{{");
                    i += 2;
                    continue;
                }
                out.append(text.charAt(i++));
                continue;
            }
            int codeStart = i + (language == Language.PYTHON ? 1 : 2);
            int depth = 1;
            int k = codeStart;
            while (k < end && depth > 0) {
                char ch = text.charAt(k);
                depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
                k++;
            }
            int codeEnd = depth == 0 ? k - 1 : k;
            out.append(text, i, codeStart).append(substitute(text.substring(codeStart, codeEnd), language, false));
            if (depth == 0) {
                out.append('}');
            }
            i = depth == 0 ? k : end;
        }
    }

    /** Outside parentheses, an ellipsis at the start of a line or after a statement stands for statements. */
    private static boolean startsStatement(String text, int at) {
        int before = at - 1;
        while (before >= 0 && (text.charAt(before) == ' ' || text.charAt(before) == '\t')) {
            before--;
        }
        return before < 0 || "\n{;}".indexOf(text.charAt(before)) >= 0;
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int endOfString(String text, int start) {
        char quote = text.charAt(start);
        boolean triple = text.startsWith(String.valueOf(quote).repeat(3), start);
        int i = start + (triple ? 3 : 1);
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '\n' && !triple && quote != '`') {
                return i;
            }
            if (c == quote && (!triple || text.startsWith(String.valueOf(quote).repeat(3), i))) {
                return i + (triple ? 3 : 1);
            }
            i++;
        }
        return text.length();
    }

    /** Whether {@code text} is nothing but an ellipsis placeholder (also in its parameter form). */
    static boolean isEllipsis(String text) {
        String t = text.strip();
        if (t.endsWith(";")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        String compact = t.replaceAll("\\s+", " ").replace(" :", ":");
        return t.equals(ELLIPSIS) || compact.equals(ELLIPSIS + " " + ELLIPSIS) || compact.equals(ELLIPSIS + ": " + ELLIPSIS)
                || compact.equals(ELLIPSIS + " = " + ELLIPSIS);
    }

    /** The metavariable name a placeholder identifier stands for, or null. */
    static String metavariable(String identifier) {
        return identifier.startsWith(METAVARIABLE) ? "$" + identifier.substring(METAVARIABLE.length()) : null;
    }

    static String metavariableEllipsis(String identifier) {
        return identifier.startsWith(METAVARIABLE_ELLIPSIS) ? "$..." + identifier.substring(METAVARIABLE_ELLIPSIS.length()) : null;
    }
}
