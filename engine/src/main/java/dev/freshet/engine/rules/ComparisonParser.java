package dev.freshet.engine.rules;

import dev.freshet.engine.regex.RuleRegex;
import dev.freshet.engine.rules.ComparisonNode.Builtin;
import dev.freshet.engine.rules.ComparisonNode.Op;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Hand-written lexer and recursive-descent parser for {@link Comparison} expressions, with Python's
 * precedence: {@code or} &lt; {@code and} &lt; {@code not} &lt; comparisons (chained, including
 * {@code in} / {@code not in}) &lt; {@code + -} &lt; {@code * / // %} &lt; unary {@code + -} &lt;
 * literals, metavariables, calls, parentheses, lists. Every error is an IllegalArgumentException
 * naming the 1-based column and what was expected.
 */
final class ComparisonParser {

    static final int MAX_LENGTH = 10_000;
    static final int MAX_DEPTH = 100;

    private enum Kind { NUMBER, STRING, NAME, METAVAR, OP, END }

    private record Token(Kind kind, String text, Object value, int position) {
        String describe() {
            return kind == Kind.END ? "end of input" : "'" + text + "'";
        }
    }

    private static final Map<String, Builtin> BUILTINS = Map.of(
            "int", Builtin.INT, "float", Builtin.FLOAT, "str", Builtin.STR,
            "today", Builtin.TODAY, "strptime", Builtin.STRPTIME);
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "is", "if", "else", "None", "lambda");
    private static final List<String> OPERATORS = List.of(
            "//", "==", "!=", "<=", ">=", "**", "<<", ">>", "<>",
            "(", ")", "[", "]", ",", ".", "+", "-", "*", "/", "%", "<", ">", "=", "!", "&", "|", "^", "~", "@", ":");
    private static final Set<String> UNSUPPORTED = Set.of("**", "<<", ">>", "<>", "&", "|", "^", "~", "@", ":");

    record Result(ComparisonNode root, Set<String> metavariables) {}

    private final String source;
    private final List<Token> tokens = new ArrayList<>();
    private final Set<String> metavariables = new LinkedHashSet<>();
    private int index;
    private int depth;

    private ComparisonParser(String source) {
        this.source = source;
    }

    static Result parse(String source) {
        if (source.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Invalid metavariable-comparison: expression is " + source.length()
                    + " characters long; the limit is " + MAX_LENGTH);
        }
        ComparisonParser parser = new ComparisonParser(source);
        parser.lex();
        ComparisonNode root = parser.expression();
        Token extra = parser.peek();
        if (extra.kind != Kind.END) {
            throw parser.error(extra.position, "expected an operator or end of input but found " + extra.describe());
        }
        return new Result(root, parser.metavariables);
    }

    private IllegalArgumentException error(int position, String message) {
        String shown = source.length() <= 120 ? source : source.substring(0, 117) + "...";
        return new IllegalArgumentException(
                "Invalid metavariable-comparison at column " + (position + 1) + ": " + message + " (in: " + shown + ")");
    }

    // ---------------------------------------------------------------- lexer

    private void lex() {
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '$') {
                i = lexMetavariable(i);
            } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(source.charAt(i + 1)))) {
                i = lexNumber(i);
            } else if (c == '\'' || c == '"') {
                i = lexString(i, i, false);
            } else if ((c >= 'a' && c <= 'z') || isUpper(c) || c == '_') {
                int end = i;
                while (end < n && isIdentifierPart(source.charAt(end))) {
                    end++;
                }
                String word = source.substring(i, end);
                String lower = word.toLowerCase(Locale.ROOT);
                boolean quoteFollows = end < n && (source.charAt(end) == '\'' || source.charAt(end) == '"');
                if (quoteFollows && Set.of("r", "u", "b", "rb", "br").contains(lower)) {
                    i = lexString(i, end, lower.contains("r"));
                } else if (quoteFollows && Set.of("f", "rf", "fr").contains(lower)) {
                    throw error(i, "f-strings are not supported");
                } else {
                    tokens.add(new Token(Kind.NAME, word, null, i));
                    i = end;
                }
            } else {
                i = lexOperator(i);
            }
        }
        tokens.add(new Token(Kind.END, "", null, n));
    }

    private int lexMetavariable(int start) {
        int j = start + 1;
        if (source.startsWith("...", j)) {
            j += 3; // $...X, a metavariable bound to a sequence
        }
        int nameStart = j;
        while (j < source.length() && isIdentifierPart(source.charAt(j))) {
            j++;
        }
        String name = source.substring(nameStart, j);
        boolean valid = !name.isEmpty() && (isUpper(name.charAt(0)) || name.charAt(0) == '_')
                && name.chars().allMatch(ch -> isUpper((char) ch) || isDigit((char) ch) || ch == '_');
        if (!valid) {
            throw error(start, "invalid metavariable '" + source.substring(start, j)
                    + "': expected '$' followed by an uppercase letter or '_', then uppercase letters, digits or '_'");
        }
        tokens.add(new Token(Kind.METAVAR, source.substring(start, j), null, start));
        return j;
    }

    private int lexNumber(int start) {
        int j = start;
        boolean hex = source.startsWith("0x", start) || source.startsWith("0X", start);
        while (j < source.length()) {
            char d = source.charAt(j);
            boolean exponentSign = (d == '+' || d == '-') && !hex && j > start
                    && (source.charAt(j - 1) == 'e' || source.charAt(j - 1) == 'E');
            if (isIdentifierPart(d) || d == '.' || exponentSign) {
                j++;
            } else {
                break;
            }
        }
        String text = source.substring(start, j);
        Object value = ComparisonValues.parseInteger(text, false);
        if (value == null) {
            value = ComparisonValues.parseFloat(text, false);
        }
        if (value == null) {
            if (text.chars().filter(ComparisonParser::isDigitCode).count() > ComparisonValues.MAX_DIGITS) {
                throw error(start, "number literal has more than " + ComparisonValues.MAX_DIGITS + " digits");
            }
            if (text.length() > 1 && text.charAt(0) == '0' && text.chars().allMatch(ch -> isDigitCode(ch) || ch == '_')) {
                throw error(start, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers: '"
                        + text + "'");
            }
            throw error(start, "invalid number literal '" + text + "'");
        }
        tokens.add(new Token(Kind.NUMBER, text, value, start));
        return j;
    }

    /** Lexes a Python string literal whose prefix starts at {@code start} and quote at {@code quoteAt}. */
    private int lexString(int start, int quoteAt, boolean raw) {
        char quote = source.charAt(quoteAt);
        String closing = source.startsWith(String.valueOf(quote).repeat(3), quoteAt) ? String.valueOf(quote).repeat(3) : String.valueOf(quote);
        StringBuilder value = new StringBuilder();
        int j = quoteAt + closing.length();
        while (true) {
            if (j >= source.length()) {
                throw error(start, "unterminated string literal");
            }
            if (source.startsWith(closing, j)) {
                j += closing.length();
                break;
            }
            char d = source.charAt(j);
            if (d == '\\' && j + 1 < source.length()) {
                if (raw) {
                    value.append(d).append(source.charAt(j + 1));
                    j += 2;
                } else {
                    j = escape(value, j);
                }
            } else {
                value.append(d);
                j++;
            }
        }
        tokens.add(new Token(Kind.STRING, source.substring(start, j), value.toString(), start));
        return j;
    }

    /** Appends the character(s) of the escape sequence at {@code at} (a backslash); returns the index after it. */
    private int escape(StringBuilder out, int at) {
        char e = source.charAt(at + 1);
        int next = at + 2;
        switch (e) {
            case '\n' -> { } // line continuation
            case '\\', '\'', '"' -> out.append(e);
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000B');
            case 'x', 'u', 'U' -> {
                int length = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                String hex = source.substring(next, Math.min(source.length(), next + length));
                if (hex.length() != length || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 && ch < 128)) {
                    throw error(at, "truncated \\" + e + " escape: expected " + length + " hex digits");
                }
                int codePoint = Integer.parseUnsignedInt(hex, 16);
                if (!Character.isValidCodePoint(codePoint)) {
                    throw error(at, "invalid \\" + e + " escape: not a Unicode code point");
                }
                out.appendCodePoint(codePoint);
                next += length;
            }
            case 'N' -> {
                int close = source.indexOf('}', next);
                if (!source.startsWith("{", next) || close < 0) {
                    throw error(at, "malformed \\N{...} escape");
                }
                try {
                    out.appendCodePoint(Character.codePointOf(source.substring(next + 1, close)));
                } catch (IllegalArgumentException unknown) {
                    throw error(at, "unknown Unicode character name in \\N{...} escape");
                }
                next = close + 1;
            }
            default -> {
                if (e >= '0' && e <= '7') {
                    int end = at + 1;
                    while (end < source.length() && end < at + 4 && source.charAt(end) >= '0' && source.charAt(end) <= '7') {
                        end++;
                    }
                    out.append((char) Integer.parseInt(source.substring(at + 1, end), 8));
                    next = end;
                } else {
                    out.append('\\').append(e); // Python keeps unknown escapes, e.g. "\d" in a regex
                }
            }
        }
        return next;
    }

    private int lexOperator(int start) {
        for (String op : OPERATORS) {
            if (source.startsWith(op, start)) {
                if (UNSUPPORTED.contains(op)) {
                    throw error(start, "operator '" + op + "' is not supported");
                }
                if (op.equals("=")) {
                    throw error(start, "'=' is assignment; use '==' to compare");
                }
                if (op.equals("!")) {
                    throw error(start, "unexpected '!'; use 'not' for negation or '!=' to compare");
                }
                tokens.add(new Token(Kind.OP, op, null, start));
                return start + op.length();
            }
        }
        throw error(start, "unexpected character '" + source.charAt(start) + "'");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isDigitCode(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isIdentifierPart(char c) {
        return (c >= 'a' && c <= 'z') || isUpper(c) || isDigit(c) || c == '_';
    }

    // ---------------------------------------------------------------- parser

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token token = tokens.get(index);
        if (token.kind != Kind.END) {
            index++;
        }
        return token;
    }

    private boolean at(Kind kind, String text) {
        Token token = peek();
        return token.kind == kind && token.text.equals(text);
    }

    private boolean accept(Kind kind, String text) {
        if (at(kind, text)) {
            index++;
            return true;
        }
        return false;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error(peek().position, "expression is nested too deeply (more than " + MAX_DEPTH + " levels)");
        }
    }

    private void leave() {
        depth--;
    }

    private ComparisonNode expression() {
        enter();
        ComparisonNode result = logical(true);
        leave();
        return result;
    }

    /** {@code or} (when {@code or} is true) or {@code and} chains. */
    private ComparisonNode logical(boolean or) {
        String keyword = or ? "or" : "and";
        ComparisonNode first = or ? logical(false) : negation();
        if (!at(Kind.NAME, keyword)) {
            return first;
        }
        List<ComparisonNode> operands = new ArrayList<>(List.of(first));
        while (accept(Kind.NAME, keyword)) {
            operands.add(or ? logical(false) : negation());
        }
        return new ComparisonNode.Logical(!or, List.copyOf(operands));
    }

    private ComparisonNode negation() {
        if (!accept(Kind.NAME, "not")) {
            return comparison();
        }
        enter();
        ComparisonNode operand = negation();
        leave();
        return new ComparisonNode.Not(operand);
    }

    private ComparisonNode comparison() {
        ComparisonNode first = sum();
        List<Op> ops = new ArrayList<>();
        List<ComparisonNode> rest = new ArrayList<>();
        for (Op op = comparisonOperator(); op != null; op = comparisonOperator()) {
            ops.add(op);
            rest.add(sum());
        }
        return ops.isEmpty() ? first : new ComparisonNode.Compare(first, List.copyOf(ops), List.copyOf(rest));
    }

    private Op comparisonOperator() {
        Token token = peek();
        if (token.kind == Kind.NAME && token.text.equals("not") && tokens.get(index + 1).kind == Kind.NAME
                && tokens.get(index + 1).text.equals("in")) {
            index += 2;
            return Op.NOT_IN;
        }
        if (token.kind == Kind.NAME && token.text.equals("is")) {
            throw error(token.position, "'is' is not supported; use '==' or '!='");
        }
        boolean candidate = token.kind == Kind.OP || (token.kind == Kind.NAME && token.text.equals("in"));
        Op op = candidate ? operator(token.text, Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE, Op.IN) : null;
        if (op != null) {
            index++;
        }
        return op;
    }

    private ComparisonNode sum() {
        return arithmetic(false);
    }

    /** Left-associative {@code + -} (multiplicative false) or {@code * / // %} chains. */
    private ComparisonNode arithmetic(boolean multiplicative) {
        ComparisonNode first = multiplicative ? factor() : arithmetic(true);
        List<Op> ops = new ArrayList<>();
        List<ComparisonNode> rest = new ArrayList<>();
        while (true) {
            Token token = peek();
            Op op = token.kind != Kind.OP ? null : multiplicative
                    ? operator(token.text, Op.MUL, Op.DIV, Op.FLOOR_DIV, Op.MOD)
                    : operator(token.text, Op.ADD, Op.SUB);
            if (op == null) {
                break;
            }
            index++;
            ops.add(op);
            rest.add(multiplicative ? factor() : arithmetic(true));
        }
        return ops.isEmpty() ? first : new ComparisonNode.Arithmetic(first, List.copyOf(ops), List.copyOf(rest));
    }

    private static Op operator(String text, Op... candidates) {
        for (Op op : candidates) {
            if (op.symbol.equals(text)) {
                return op;
            }
        }
        return null;
    }

    private ComparisonNode factor() {
        Token token = peek();
        if (token.kind == Kind.OP && (token.text.equals("-") || token.text.equals("+"))) {
            index++;
            enter();
            ComparisonNode operand = factor();
            leave();
            return new ComparisonNode.Sign(token.text.equals("-"), operand);
        }
        return primary();
    }

    private ComparisonNode primary() {
        Token token = next();
        switch (token.kind) {
            case NUMBER:
                return new ComparisonNode.Literal(token.value);
            case STRING: {
                StringBuilder text = new StringBuilder((String) token.value);
                while (peek().kind == Kind.STRING) { // "a" "b" is "ab", as in Python
                    text.append((String) next().value);
                }
                return new ComparisonNode.Literal(text.toString());
            }
            case METAVAR:
                metavariables.add(token.text);
                return new ComparisonNode.Metavariable(token.text);
            case NAME:
                return name(token);
            case OP:
                if (token.text.equals("(")) {
                    return sequence(token, ")", true);
                }
                if (token.text.equals("[")) {
                    return sequence(token, "]", false);
                }
                throw error(token.position, "expected an operand but found " + token.describe());
            default:
                throw error(token.position, "expected an operand but found end of input");
        }
    }

    /** A parenthesized expression, tuple or list; the opening bracket has been consumed. */
    private ComparisonNode sequence(Token open, String close, boolean parenthesis) {
        List<ComparisonNode> items = new ArrayList<>();
        boolean comma = false;
        while (!accept(Kind.OP, close)) {
            items.add(expression());
            if (!accept(Kind.OP, ",")) {
                if (!accept(Kind.OP, close)) {
                    throw error(peek().position, "expected ',' or '" + close + "' to match '" + open.text
                            + "' at column " + (open.position + 1) + " but found " + peek().describe());
                }
                break;
            }
            comma = true;
        }
        if (parenthesis && items.size() == 1 && !comma) {
            return items.get(0);
        }
        return new ComparisonNode.ListDisplay(List.copyOf(items));
    }

    private ComparisonNode name(Token token) {
        String word = token.text;
        switch (word) {
            case "True":
                return new ComparisonNode.Literal(Boolean.TRUE);
            case "False":
                return new ComparisonNode.Literal(Boolean.FALSE);
            case "re":
                return reMatch(token);
            default:
                break;
        }
        Builtin builtin = BUILTINS.get(word);
        if (builtin != null) {
            List<ComparisonNode> arguments = arguments(word);
            if (arguments.size() != builtin.arity) {
                throw error(token.position, word + "() takes " + builtin.arity + " argument" + (builtin.arity == 1 ? "" : "s")
                        + " but " + arguments.size() + " were given");
            }
            return new ComparisonNode.Call(builtin, arguments);
        }
        if (word.equals("true") || word.equals("false")) {
            throw error(token.position, "unknown name '" + word + "' (did you mean '"
                    + Character.toUpperCase(word.charAt(0)) + word.substring(1) + "'?)");
        }
        if (KEYWORDS.contains(word)) {
            throw error(token.position, "expected an operand but found '" + word + "'");
        }
        if (at(Kind.OP, "(")) {
            throw error(token.position, "unknown function '" + word
                    + "'; supported: int, float, str, today, strptime, re.match");
        }
        throw error(token.position, "unknown name '" + word + "'; metavariables start with '$', e.g. $X");
    }

    private ComparisonNode reMatch(Token re) {
        if (!accept(Kind.OP, ".") || !accept(Kind.NAME, "match")) {
            throw error(re.position, "only re.match(pattern, string) is supported from module 're'");
        }
        int patternAt = tokens.get(Math.min(index + 1, tokens.size() - 1)).position;
        List<ComparisonNode> arguments = arguments("re.match");
        if (arguments.size() != 2) {
            throw error(re.position, "re.match() takes 2 arguments (pattern, string) but " + arguments.size() + " were given");
        }
        RuleRegex compiled = null;
        if (arguments.get(0) instanceof ComparisonNode.Literal literal && literal.value() instanceof String regex) {
            try {
                compiled = ComparisonValues.compileRegex(regex);
            } catch (IllegalArgumentException e) {
                throw error(patternAt, "invalid regular expression: " + e.getMessage());
            }
        }
        return new ComparisonNode.ReMatch(arguments.get(0), arguments.get(1), compiled);
    }

    private List<ComparisonNode> arguments(String function) {
        if (!at(Kind.OP, "(")) {
            throw error(peek().position, "expected '(' after " + function + " but found " + peek().describe());
        }
        Token open = next();
        ComparisonNode arguments = sequence(open, ")", false);
        return ((ComparisonNode.ListDisplay) arguments).items();
    }
}
