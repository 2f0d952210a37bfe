package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.Language;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites pattern syntax ({@code $X}, {@code $...XS}, {@code ...}, {@code <... e ...>}) into plain
 * identifiers so that the language's own parser accepts the pattern. String literals are left alone.
 */
final class Placeholders {
    static final String METAVARIABLE = "__fmv__";
    static final String METAVARIABLE_ELLIPSIS = "__fmvs__";
    /** A metavariable where the grammar wants a capitalized name (Ruby's class names). */
    static final String CONSTANT_METAVARIABLE = "Fmv__";
    static final String ELLIPSIS = "__fell__";
    static final String DEEP = "__fdeep__";
    /** A typed metavariable: this prefix, the type's UTF-8 bytes in hex, an underscore, the name. */
    static final String TYPED_METAVARIABLE = "__ftmv__";

    /** Java's {@code (Type $X)}: a type (dotted, generic, array, or a metavariable) and a metavariable in parentheses. */
    private static final Pattern JAVA_TYPED = Pattern.compile(
            "\\(\\s*(\\$?[A-Za-z_][\\w.]*(?:\\s*<[^()]*>)?(?:\\s*\\[\\s*\\])*)\\s+\\$([A-Z_][A-Z0-9_]*)\\s*\\)");
    /** C's {@code (char *$X)}: a type, perhaps qualified or a struct, its pointer stars, and a metavariable in parentheses. */
    private static final Pattern C_TYPED = Pattern.compile(
            "\\(\\s*((?:(?:const|volatile|unsigned|signed|struct|union|enum)\\s+)*\\$?[A-Za-z_]\\w*(?:\\s*\\*)*)\\s*\\$([A-Z_][A-Z0-9_]*)\\s*\\)");
    /** Go's, TypeScript's and Python's {@code ($X : Type)}. */
    private static final Pattern COLON_TYPED = Pattern.compile("\\(\\s*\\$([A-Z_][A-Z0-9_]*)\\s*:\\s*([^()]+?)\\s*\\)");
    /** Python's {@code f($X: int)}: an argument written with a type, without its own parentheses. */
    private static final Pattern PYTHON_TYPED_ARGUMENT = Pattern.compile("\\$([A-Z_][A-Z0-9_]*)\\s*:\\s*([A-Za-z_][\\w.]*)\\s*(?=[,)])");
    /** Words before a parenthesis that make it a parameter list, not an expression. */
    private static final Set<String> DECLARING_WORDS = Set.of("catch", "for", "function", "func", "def",
            "constructor", "lambda");
    /** Words after which a parenthesis holds an expression even when a word precedes them. */
    private static final Set<String> EXPRESSION_WORDS = Set.of("return", "if", "while", "switch", "case",
            "throw", "yield", "await", "not", "and", "or", "in", "else", "new", "typeof", "elif", "assert");

    /** {@code Type name(} or {@code $RET $M(}: what comes before a method's parameter list. */
    private static final Pattern JAVA_DECLARATION_BEFORE_PAREN = Pattern.compile("([\\w$\\]>]+)\\s+[\\w$]+\\s*$");
    private static final Pattern CLASS_HEADER = Pattern.compile("\\b(class|interface|enum)\\s+[\\w$]+");
    private static final Pattern NEW_ANONYMOUS = Pattern.compile("\\bnew\\s+[\\w$.<>\\[\\], ]+\\(.*\\)\\s*$", Pattern.DOTALL);
    /** A loop header's opening parenthesis. */
    private static final Pattern FOR_OPEN = Pattern.compile("\\bfor\\s*\\(\\s*$");
    /** C#'s {@code new T} or {@code new T(...)} before an object initializer's brace. */
    private static final Pattern CSHARP_NEW = Pattern.compile("\\bnew\\s+[\\w$.<>\\[\\], ]+(\\(.*\\))?\\s*$", Pattern.DOTALL);
    /** Words whose parenthesis is a condition or header, not a parameter list. */
    private static final Set<String> CONTROL_WORDS = Set.of("if", "while", "for", "switch", "synchronized",
            "try", "catch", "return", "new", "else", "do");
    private static final Set<String> NOT_A_TYPE = Set.of("new", "return", "throw", "else", "case", "yield");
    private static final Pattern ANNOTATION_BEFORE_PAREN = Pattern.compile("@[\\w.$]+$");
    /** Where PHP wants a bare name, not a variable: after a member or scope operator, or a declaring keyword. */
    private static final Pattern BARE_NAME_BEFORE = Pattern.compile("(->|::|\\b(function|fn|class|interface|trait|new|extends|implements|const|namespace|use))\\s*$");
    /** A PHP parenthesis after {@code function} or {@code function name} lists parameters. */
    private static final Pattern PHP_PARAMETERS_BEFORE = Pattern.compile("\\b(function|fn)(\\s+&?[\\w$]+)?\\s*$");
    private static final Pattern RUBY_CONSTANT_BEFORE = Pattern.compile("\\b(class|module)\\s+$|::\\s*$|<\\s*$");
    static final Set<String> SUPERGLOBALS = Set.of("$_SERVER", "$_GET", "$_POST", "$_FILES", "$_COOKIE", "$_SESSION",
            "$_REQUEST", "$_ENV");
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
        SyntaxTable.Spelling spelling = LanguageSyntax.of(language).table().spelling();
        StringBuilder out = new StringBuilder(pattern.length() + 32);
        int deepDepth = 0;
        // For each open parenthesis: does it start a Java method's parameter list?
        ArrayDeque<Boolean> parameterLists = new ArrayDeque<>();
        ArrayDeque<Character> brackets = new ArrayDeque<>();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                int end = endOfString(pattern, i);
                if (language == Language.BASH && c != '\'') {
                    copyShellSubstitutions(pattern, i, end, out);
                    i = end;
                    continue;
                }
                boolean interpolated = c == '`' && language != Language.PYTHON
                        || language == Language.PYTHON && isFormatStringPrefix(out)
                        || language == Language.RUBY && c == '"';
                if (interpolated) {
                    copyInterpolated(pattern, i, end, language, out);
                } else {
                    out.append(pattern, i, end);
                }
                i = end;
                continue;
            }
            if (c == '(' || c == '$' && language == Language.PYTHON) {
                int end = typedMetavariable(pattern, i, language, out);
                if (end > i) {
                    i = end;
                    continue;
                }
            }
            if (c == '(' || c == '[' || c == '{') {
                // Remember braces that open an initializer ({1, 2}) and parentheses of annotations:
                // an ellipsis there is a list item, not a statement.
                String before = out.toString().stripTrailing();
                boolean initializer = c == '{' && language == Language.JAVA && !before.isEmpty() && "=,(]".indexOf(before.charAt(before.length() - 1)) >= 0
                        // C#'s new T(...) { ... } sets members: an object initializer, not a class body.
                        || c == '{' && language == Language.CSHARP && CSHARP_NEW.matcher(header(before)).find();
                boolean annotation = c == '(' && language == Language.JAVA && ANNOTATION_BEFORE_PAREN.matcher(before).find();
                boolean classBody = c == '{' && language == Language.JAVA && !initializer && isClassHeader(before);
                brackets.push(initializer ? 'i' : annotation ? 'a' : classBody ? 'c' : c);
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
                if (name.lookingAt() && SUPERGLOBALS.contains(name.group())) {
                    // PHP's superglobals look like metavariables but never are (Semgrep's Mvar.is_metavar_name).
                    out.append(name.group());
                    i = name.end();
                    continue;
                }
                if (name.lookingAt() && language == Language.PHP) {
                    // PHP writes variables with the sigil: $X stays a variable, except where the grammar
                    // wants a bare name (a function, class or member name).
                    out.append(BARE_NAME_BEFORE.matcher(out).find() ? "" : "$").append(METAVARIABLE).append(name.group(1));
                    i = name.end();
                    continue;
                }
                if (name.lookingAt() && language == Language.RUBY && RUBY_CONSTANT_BEFORE.matcher(out).find()) {
                    // Ruby names classes and modules with constants, which start with a capital letter.
                    out.append(CONSTANT_METAVARIABLE).append(name.group(1));
                    i = name.end();
                    continue;
                }
                if (name.lookingAt()) {
                    if (language == Language.JAVA && !parameterLists.isEmpty() && parameterLists.peek() && aloneInList(out, pattern, name.end())) {
                        // A Java parameter written as a bare metavariable: any type, that name.
                        out.append(ELLIPSIS).append(' ');
                    }
                    out.append(METAVARIABLE).append(name.group(1));
                    i = name.end();
                    continue;
                }
            }
            if (c == '(' && language == Language.PHP) {
                parameterLists.push(PHP_PARAMETERS_BEFORE.matcher(out).find());
            } else if (c == '(') {
                parameterLists.push(language == Language.JAVA && (isJavaDeclaration(out) || isJavaConstructor(out, pattern, i))
                        || spelling.parametersAfter() != null && spelling.parametersAfter().matcher(out).find());
            } else if (c == ')' && !parameterLists.isEmpty()) {
                parameterLists.pop();
            }
            if (c == '<' && pattern.startsWith("...", i + 1)) {
                // Bash has no call syntax: <... e ...> is spelled as a command substitution, read back by ShellSyntax.
                out.append(language == Language.BASH ? "$(" + DEEP + " " : DEEP + "(");
                deepDepth++;
                i += 4;
                continue;
            }
            if (pattern.startsWith("...", i)) {
                int after = skipSpaces(pattern, i + 3);
                if (!spelling.forHeaderEllipsis().isEmpty() && after < n && pattern.charAt(after) == ')'
                        && FOR_OPEN.matcher(out).find()) {
                    // for (...): any loop header (Semgrep's ForEllipsis), written as the grammar's header of three parts.
                    out.append(spelling.forHeaderEllipsis());
                    i += 3;
                    continue;
                }
                if (deepDepth > 0 && after < n && pattern.charAt(after) == '>') {
                    out.append(')');
                    deepDepth--;
                    i = after + 1;
                    continue;
                }
                // Apex has no spread: there "...x" is an ellipsis before x.
                boolean glued = i > 0 && Character.isJavaIdentifierPart(pattern.charAt(i - 1))
                        || language != Language.APEX && i + 3 < n && (Character.isJavaIdentifierStart(pattern.charAt(i + 3))
                        && pattern.charAt(i + 3) != '$');
                if (glued) {
                    // Java varargs (String... a) or a JavaScript spread (...args): real syntax, not a wildcard.
                    out.append("...");
                } else if (keyedEntries && (language == Language.PYTHON || language == Language.RUBY) && !brackets.isEmpty() && brackets.peek() == '{'
                        && startsEntry(out)) {
                    out.append(ELLIPSIS).append(": ").append(ELLIPSIS);
                } else if (keyedEntries && language == Language.JAVA && !brackets.isEmpty() && brackets.peek() == 'a') {
                    out.append(ELLIPSIS).append(" = ").append(ELLIPSIS);
                } else if (!parameterLists.isEmpty() && parameterLists.peek() && language == Language.PHP) {
                    // A PHP parameter is a variable.
                    out.append('$').append(ELLIPSIS);
                } else if (!parameterLists.isEmpty() && parameterLists.peek() && language == Language.JAVA) {
                    // A Java parameter needs a type and a name.
                    out.append(ELLIPSIS).append(' ').append(ELLIPSIS);
                } else if (!parameterLists.isEmpty() && parameterLists.peek()) {
                    out.append(spelling.parameterEllipsis().isEmpty() ? ELLIPSIS : spelling.parameterEllipsis());
                } else if (language == Language.JAVA && parameterLists.isEmpty() && !brackets.isEmpty() && brackets.peek() == 'c'
                        && startsStatement(pattern, i)) {
                    // Members of a class body: a member needs a type and a name.
                    out.append(ELLIPSIS).append(' ').append(ELLIPSIS).append(';');
                } else {
                    out.append(ELLIPSIS);
                    // A statement needs its semicolon in Java and Solidity, more in C#.
                    if (parameterLists.isEmpty() && startsStatement(pattern, i) && !continuesExpression(pattern, i + 3)
                            && (brackets.isEmpty() || brackets.peek() == '{')) {
                        out.append(spelling.statementEllipsis());
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

    /** Whether the text written so far and the pattern after {@code end} put an item alone between list separators. */
    private static boolean aloneInList(StringBuilder out, String pattern, int end) {
        String before = out.toString().stripTrailing();
        int after = skipSpaces(pattern, end);
        return (before.endsWith("(") || before.endsWith(",")) && after < pattern.length() && ",)".indexOf(pattern.charAt(after)) >= 0;
    }

    /**
     * Rewrites a typed metavariable starting at {@code at} into one placeholder identifier and
     * returns where the pattern continues, or {@code at} when there is none. A parameter list
     * ({@code catch (IOException $E)}, {@code void f(String $X)}, {@code (String $X) -> ...}) is
     * not a typed metavariable.
     */
    private static int typedMetavariable(String pattern, int at, Language language, StringBuilder out) {
        Matcher m;
        int name;
        int type;
        int open;
        int close;
        if (pattern.charAt(at) == '$') {
            m = PYTHON_TYPED_ARGUMENT.matcher(pattern).region(at, pattern.length());
            String before = pattern.substring(0, at).stripTrailing();
            if (!m.lookingAt() || !(before.endsWith(",") || before.endsWith("("))) {
                return at;
            }
            name = 1;
            type = 2;
            open = enclosingOpen(pattern, at);
            close = matchingClose(pattern, m.end());
        } else {
            boolean typeFirst = LanguageSyntax.of(language).table().spelling().typeBeforeName();
            Pattern typed = language == Language.C || language == Language.CPP ? C_TYPED : typeFirst ? JAVA_TYPED : COLON_TYPED;
            m = typed.matcher(pattern).region(at, pattern.length());
            if (!m.lookingAt()) {
                return at;
            }
            name = typeFirst ? 2 : 1;
            type = typeFirst ? 1 : 2;
            open = at;
            close = m.end() - 1;
        }
        if (open < 0 || close < 0 || isParameterList(pattern.substring(0, open).stripTrailing(),
                pattern.substring(close + 1).stripLeading(), language)) {
            return at;
        }
        // After a callee, f($X: int) in Python, the parentheses are the call's and stay.
        String before = pattern.substring(0, open).stripTrailing();
        String word = lastWord(before);
        boolean call = open != at || !word.isEmpty() && !EXPRESSION_WORDS.contains(word) || before.endsWith(")") || before.endsWith("]");
        out.append(call && open == at ? "(" : "").append(TYPED_METAVARIABLE).append(HexFormat.of().formatHex(
                m.group(type).replaceAll("\\s+", " ").strip().getBytes(StandardCharsets.UTF_8)))
                .append('_').append(m.group(name)).append(call && open == at ? ")" : "");
        return m.end();
    }

    /** The parenthesis that opens the list around {@code at}, or -1. */
    private static int enclosingOpen(String text, int at) {
        int depth = 0;
        for (int k = at - 1; k >= 0; k--) {
            char ch = text.charAt(k);
            if (ch == ')' || ch == ']' || ch == '}') {
                depth++;
            } else if (ch == '(' || ch == '[' || ch == '{') {
                if (depth == 0) {
                    return ch == '(' ? k : -1;
                }
                depth--;
            }
        }
        return -1;
    }

    /** The parenthesis that closes the list {@code from} is in, or -1. */
    private static int matchingClose(String text, int from) {
        int depth = 0;
        for (int k = from; k < text.length(); k++) {
            char ch = text.charAt(k);
            if (ch == '(' || ch == '[' || ch == '{') {
                depth++;
            } else if (ch == ')' || ch == ']' || ch == '}') {
                if (depth == 0) {
                    return ch == ')' ? k : -1;
                }
                depth--;
            }
        }
        return -1;
    }

    /**
     * Whether parentheses with {@code before} and {@code after} around them list a declaration's
     * parameters: after {@code catch}/{@code def}/{@code function}, after a name that follows a
     * type or keyword ({@code void f(}, {@code $RET $M(}), or before a body or arrow.
     */
    private static boolean isParameterList(String before, String after, Language language) {
        if (after.startsWith("->") || after.startsWith("=>") || after.startsWith("{") && language != Language.PYTHON
                || after.startsWith(":") && language != Language.GO && language != Language.JAVA) {
            return true;
        }
        String word = lastWord(before);
        if (word.isEmpty()) {
            return false;
        }
        if (DECLARING_WORDS.contains(word)) {
            return true;
        }
        if (EXPRESSION_WORDS.contains(word)) {
            return false;
        }
        String head = before.substring(0, before.length() - word.length()).stripTrailing();
        if (head.endsWith(">") || head.endsWith("]")) {
            return true;
        }
        String previous = lastWord(head);
        return !previous.isEmpty() && !EXPRESSION_WORDS.contains(previous);
    }

    /** The identifier (metavariables included) the text ends with, or "". */
    private static String lastWord(String text) {
        int start = text.length();
        while (start > 0 && (Character.isJavaIdentifierPart(text.charAt(start - 1)))) {
            start--;
        }
        return text.substring(start);
    }

    /** The typed metavariable a placeholder identifier stands for, or null. */
    static PatternNode.TypedMetavariable typedMetavariable(String identifier) {
        if (!identifier.startsWith(TYPED_METAVARIABLE)) {
            return null;
        }
        String rest = identifier.substring(TYPED_METAVARIABLE.length());
        int split = rest.indexOf('_');
        if (split < 0) {
            return null;
        }
        String type = new String(HexFormat.of().parseHex(rest.substring(0, split)), StandardCharsets.UTF_8);
        return new PatternNode.TypedMetavariable("$" + rest.substring(split + 1), type);
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

    /**
     * Whether the parenthesis at {@code open} lists the parameters of a declaration written
     * without a return type ({@code $METHOD(...) { ... }}): a name, not a keyword nor after
     * {@code new} or a dot, whose parentheses are followed by a body or a throws clause.
     */
    private static boolean isJavaConstructor(CharSequence before, String pattern, int open) {
        String text = before.toString().stripTrailing();
        String name = lastWord(text);
        if (name.isEmpty() || CONTROL_WORDS.contains(name)) {
            return false;
        }
        String head = text.substring(0, text.length() - name.length()).stripTrailing();
        if (head.endsWith(".") || lastWord(head).equals("new")) {
            return false;
        }
        int close = matchingClose(pattern, open + 1);
        String after = close < 0 ? "" : pattern.substring(close + 1).stripLeading();
        return after.startsWith("{") || after.startsWith("throws ");
    }

    /** Whether the text before a brace is a class header ({@code class C extends D}, {@code new T(...)}). */
    private static boolean isClassHeader(String before) {
        String header = header(before);
        return CLASS_HEADER.matcher(header).find() || NEW_ANONYMOUS.matcher(header).find();
    }

    /** The text since the last statement or block boundary: what a brace that follows belongs to. */
    private static String header(String before) {
        int cut = Math.max(before.lastIndexOf(';'), Math.max(before.lastIndexOf('{'), before.lastIndexOf('}')));
        return before.substring(cut + 1);
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
                    : text.startsWith(language == Language.RUBY ? "#{" : "${", i);
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

    /**
     * Bash: a command substitution, {@code $(...)} or {@code `...`}, holds commands, also inside a
     * double-quoted string (AST_bash's {@code Command_substitution} fragment), so its metavariables
     * and ellipses are the pattern's own.
     */
    private static void copyShellSubstitutions(String text, int start, int end, StringBuilder out) {
        if (text.charAt(start) == '`') {
            int close = text.charAt(end - 1) == '`' && end - 1 > start ? end - 1 : end;
            out.append('`').append(substitute(text.substring(start + 1, close), Language.BASH, false)).append(text, close, end);
            return;
        }
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append(text, i, Math.min(i + 2, end));
                i += 2;
            } else if (c == '`' && i > start) {
                int close = text.indexOf('`', i + 1);
                close = close < 0 || close >= end ? end : close;
                out.append('`').append(substitute(text.substring(i + 1, close), Language.BASH, false));
                i = close;
                if (i < end) {
                    out.append('`');
                    i++;
                }
            } else if (text.startsWith("$(", i)) {
                int depth = 1;
                int k = i + 2;
                while (k < end && depth > 0) {
                    depth += text.charAt(k) == '(' ? 1 : text.charAt(k) == ')' ? -1 : 0;
                    k++;
                }
                int codeEnd = depth == 0 ? k - 1 : k;
                out.append("$(").append(substitute(text.substring(i + 2, codeEnd), Language.BASH, false)).append(text, codeEnd, k);
                i = k;
            } else {
                out.append(c);
                i++;
            }
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

    /** Whether an operator follows, so that the ellipsis before it is an operand ({@code ... <= x}), not statements. */
    private static boolean continuesExpression(String text, int from) {
        int after = skipSpaces(text, from);
        return after < text.length() && "<>=!&|+-*/%.?:,)]".indexOf(text.charAt(after)) >= 0;
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

    /** Whether {@code text} is nothing but an ellipsis placeholder (also in its parameter and C# statement forms). */
    static boolean isEllipsis(String text) {
        String t = text.strip();
        if (t.endsWith(";")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        String compact = t.replaceAll("\\s+", " ").replace(" :", ":");
        return t.equals(ELLIPSIS) || t.equals("$" + ELLIPSIS) || compact.equals(ELLIPSIS + "()") || compact.equals(ELLIPSIS + " " + ELLIPSIS) || compact.equals(ELLIPSIS + ": " + ELLIPSIS)
                || compact.equals(ELLIPSIS + " = " + ELLIPSIS);
    }

    /** The metavariable name a placeholder identifier stands for, or null. */
    static String metavariable(String identifier) {
        return identifier.startsWith(METAVARIABLE) ? "$" + identifier.substring(METAVARIABLE.length())
                : identifier.startsWith(CONSTANT_METAVARIABLE) ? "$" + identifier.substring(CONSTANT_METAVARIABLE.length()) : null;
    }

    static String metavariableEllipsis(String identifier) {
        return identifier.startsWith(METAVARIABLE_ELLIPSIS) ? "$..." + identifier.substring(METAVARIABLE_ELLIPSIS.length()) : null;
    }
}
