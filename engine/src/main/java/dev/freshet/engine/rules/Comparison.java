package dev.freshet.engine.rules;

import dev.freshet.engine.regex.RuleRegex;
import dev.freshet.engine.rules.ComparisonNode.Arithmetic;
import dev.freshet.engine.rules.ComparisonNode.Call;
import dev.freshet.engine.rules.ComparisonNode.Compare;
import dev.freshet.engine.rules.ComparisonNode.ListDisplay;
import dev.freshet.engine.rules.ComparisonNode.Literal;
import dev.freshet.engine.rules.ComparisonNode.Logical;
import dev.freshet.engine.rules.ComparisonNode.Metavariable;
import dev.freshet.engine.rules.ComparisonNode.Not;
import dev.freshet.engine.rules.ComparisonNode.Op;
import dev.freshet.engine.rules.ComparisonNode.ReMatch;
import dev.freshet.engine.rules.ComparisonNode.Sign;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A Semgrep {@code metavariable-comparison} expression: a small subset of Python.
 *
 * <p>Supported: integer literals ({@code 10}, {@code 0x1F}, {@code 0o17}, {@code 0b101},
 * {@code 1_000}), float literals, strings in single or double quotes (with Python escapes, and
 * {@code r}/{@code b}/{@code u} prefixes), {@code True}/{@code False}, lists {@code [1, "a"]} and
 * tuples {@code (1, 2)}, metavariables {@code $X}; {@code or}, {@code and}, {@code not}, chained
 * comparisons {@code == != < <= > >= in} {@code not in}, {@code + - * / // %}, unary {@code + -};
 * functions {@code int(x)}, {@code float(x)}, {@code str(x)}, {@code re.match(pattern, string)}
 * (RE2 syntax, anchored at the start), {@code today()} and {@code strptime("yyyy-mm-dd")}, both
 * in seconds since the Unix epoch as floats, as Semgrep documents them.
 *
 * <p>Values are Python-like: arbitrary-precision ints, floats, strs, bools and lists. Arithmetic
 * follows Python 3 ({@code /} is true division, {@code //} and {@code %} floor). Unlike Python,
 * bools are not numbers and {@code and}/{@code or}/{@code not} need bool operands (Semgrep is as
 * strict). A comparison holds only when the expression evaluates to {@code True}; an unbound
 * metavariable or any evaluation error (type error, division by zero, ...) makes it not hold.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Comparison {

    /** Longest expression accepted by {@link #parse}. */
    public static final int MAX_LENGTH = ComparisonParser.MAX_LENGTH;
    /** Deepest nesting of parentheses, brackets, calls and unary operators accepted by {@link #parse}. */
    public static final int MAX_DEPTH = ComparisonParser.MAX_DEPTH;

    private static final int MAX_INTEGER_BITS = 1 << 17;
    private static final int MAX_STRING_LENGTH = 1 << 20;

    /**
     * Semgrep's legacy {@code metavariable-comparison} keys. {@code strip} removes the quotes of a
     * string literal and reads its content as a number when it is one; {@code base} reads integer
     * literals in that base ({@code 0700} is 448 with base 8), falling back to the usual reading
     * when the text is not an integer in that base. They apply to {@code metavariable} only, or to
     * every metavariable when it is null.
     */
    public record Options(String metavariable, boolean strip, int base) {
        public static final Options DEFAULT = new Options(null, false, 10);

        public Options {
            if (base < 2 || base > 36) {
                throw new IllegalArgumentException("base must be between 2 and 36, not " + base);
            }
        }

        boolean appliesTo(String name) {
            return metavariable == null || metavariable.equals(name);
        }
    }

    /** Why an expression could not be evaluated; {@link #test} turns it into {@code false}. */
    public static final class EvaluationException extends RuntimeException {
        public EvaluationException(String message) {
            super(message);
        }
    }

    private record Env(Map<String, Object> values, Clock clock) {}

    private final String expression;
    private final ComparisonNode root;
    private final Set<String> metavariables;
    private final Options options;

    private Comparison(String expression, ComparisonNode root, Set<String> metavariables, Options options) {
        this.expression = expression;
        this.root = root;
        this.metavariables = metavariables;
        this.options = options;
    }

    /** Parses once; throws IllegalArgumentException with the column and what was expected on bad syntax. */
    public static Comparison parse(String expression) {
        return parse(expression, Options.DEFAULT);
    }

    /** Parses with Semgrep's legacy {@code strip}/{@code base} keys. */
    public static Comparison parse(String expression, Options options) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(options, "options");
        ComparisonParser.Result result = ComparisonParser.parse(expression);
        return new Comparison(expression, result.root(), Collections.unmodifiableSet(result.metavariables()), options);
    }

    /**
     * Whether the comparison holds; metavariable values come as their source text (e.g. "1024",
     * "0x10", "'abc'", "foo.bar"), see {@link #metavariableValue}. Never throws for unbound
     * metavariables or evaluation errors: it returns false (exceptions thrown by
     * {@code metavariableText} itself propagate). Every metavariable of the expression is looked
     * up once, before evaluation. {@code today()} uses the system clock.
     */
    public boolean test(Function<String, Optional<String>> metavariableText) {
        return test(metavariableText, Clock.systemUTC());
    }

    /** As {@link #test(Function)}, with {@code today()} read from {@code clock}. */
    public boolean test(Function<String, Optional<String>> metavariableText, Clock clock) {
        try {
            return Boolean.TRUE.equals(evaluate(metavariableText, clock));
        } catch (EvaluationException e) {
            return false;
        }
    }

    /**
     * The value of the expression: a BigInteger, Double, String, Boolean or List of those.
     *
     * @throws EvaluationException if a metavariable is unbound or the evaluation fails
     */
    public Object evaluate(Function<String, Optional<String>> metavariableText, Clock clock) {
        Objects.requireNonNull(metavariableText, "metavariableText");
        Objects.requireNonNull(clock, "clock");
        Map<String, Object> values = new HashMap<>();
        for (String name : metavariables) {
            Optional<String> text = metavariableText.apply(name);
            if (text == null || text.isEmpty()) {
                throw new EvaluationException("metavariable " + name + " is not bound");
            }
            values.put(name, options.appliesTo(name)
                    ? ComparisonValues.fromSource(text.get(), options.strip(), options.base())
                    : ComparisonValues.fromSource(text.get(), false, 10));
        }
        return eval(root, new Env(values, clock));
    }

    /** The metavariable names the expression uses, with their dollar sign, in order of appearance. */
    public Set<String> metavariables() {
        return metavariables;
    }

    public Options options() {
        return options;
    }

    /**
     * The value Semgrep gives a metavariable bound to {@code sourceText}: an integer literal in any
     * base and in Python/Java/JavaScript/Go/C forms ({@code 10}, {@code 0x1F}, {@code 1_000},
     * {@code 10L}, {@code 0755}) becomes a BigInteger; a float literal a Double; {@code true}/
     * {@code True}/{@code false}/{@code False} a Boolean; a string literal (quotes ', ", `, triple
     * quotes, prefixes r, b, f, u8, L, @) its content, escapes unprocessed; anything else the text.
     * See {@link Options} for {@code strip} and {@code base}.
     */
    public static Object metavariableValue(String sourceText, boolean strip, int base) {
        if (base < 2 || base > 36) {
            throw new IllegalArgumentException("base must be between 2 and 36, not " + base);
        }
        return ComparisonValues.fromSource(sourceText, strip, base);
    }

    /**
     * Applies the legacy {@code strip}/{@code base} keys to metavariable source text, giving text
     * that {@link #test} with default options reads as the value those keys give: a number becomes
     * its decimal text ({@code "'0700'"} with strip and base 8 becomes {@code "448"}); anything
     * else is returned unchanged.
     */
    public static String normalize(String sourceText, boolean strip, int base) {
        Object value = metavariableValue(sourceText, strip, base);
        if (value instanceof BigInteger integer) {
            return integer.toString();
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return Double.toString(d);
        }
        return sourceText;
    }

    @Override
    public String toString() {
        return expression;
    }

    // ---------------------------------------------------------------- evaluation

    private static Object eval(ComparisonNode node, Env env) {
        return switch (node) {
            case Literal literal -> literal.value();
            case Metavariable metavariable -> env.values().get(metavariable.name());
            case ListDisplay list -> {
                List<Object> items = new ArrayList<>(list.items().size());
                for (ComparisonNode item : list.items()) {
                    items.add(eval(item, env));
                }
                yield List.copyOf(items);
            }
            case Not not -> !bool(eval(not.operand(), env), "not");
            case Sign sign -> negate(eval(sign.operand(), env), sign.negate());
            case Logical logical -> {
                for (ComparisonNode operand : logical.operands()) {
                    boolean value = bool(eval(operand, env), logical.and() ? "and" : "or");
                    if (value != logical.and()) {
                        yield value; // short-circuit, as Python
                    }
                }
                yield logical.and();
            }
            case Arithmetic arithmetic -> {
                Object accumulated = eval(arithmetic.first(), env);
                for (int i = 0; i < arithmetic.ops().size(); i++) {
                    accumulated = arithmetic(arithmetic.ops().get(i), accumulated, eval(arithmetic.rest().get(i), env));
                }
                yield accumulated;
            }
            case Compare compare -> {
                Object left = eval(compare.first(), env);
                for (int i = 0; i < compare.ops().size(); i++) {
                    Object right = eval(compare.rest().get(i), env);
                    if (!compare(compare.ops().get(i), left, right)) {
                        yield false; // a < b < c stops at the first false link, as Python
                    }
                    left = right;
                }
                yield true;
            }
            case Call call -> call(call, env);
            case ReMatch match -> reMatch(match, env);
        };
    }

    private static boolean bool(Object value, String operator) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new EvaluationException("operand of '" + operator + "' must be a bool, not '" + ComparisonValues.typeName(value) + "'");
    }

    private static Object negate(Object value, boolean negate) {
        return switch (value) {
            case BigInteger i -> negate ? i.negate() : i;
            case Double d -> negate ? -d : d;
            default -> throw new EvaluationException("bad operand type for unary " + (negate ? "-" : "+") + ": '"
                    + ComparisonValues.typeName(value) + "'");
        };
    }

    private static boolean isNumber(Object value) {
        return value instanceof BigInteger || value instanceof Double;
    }

    private static double toDouble(Object number) {
        if (number instanceof Double d) {
            return d;
        }
        double d = ((BigInteger) number).doubleValue();
        if (Double.isInfinite(d)) {
            throw new EvaluationException("int too large to convert to float");
        }
        return d;
    }

    private static Object arithmetic(Op op, Object a, Object b) {
        if (op == Op.ADD && a instanceof String x && b instanceof String y) {
            if ((long) x.length() + y.length() > MAX_STRING_LENGTH) {
                throw new EvaluationException("string longer than " + MAX_STRING_LENGTH + " characters");
            }
            return x + y;
        }
        if (op == Op.ADD && a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> joined = new ArrayList<>(x);
            joined.addAll(y);
            return List.copyOf(joined);
        }
        if (a instanceof BigInteger x && b instanceof BigInteger y) {
            return integerArithmetic(op, x, y);
        }
        if (isNumber(a) && isNumber(b)) {
            return floatArithmetic(op, toDouble(a), toDouble(b));
        }
        throw new EvaluationException("unsupported operand types for " + op.symbol + ": '"
                + ComparisonValues.typeName(a) + "' and '" + ComparisonValues.typeName(b) + "'");
    }

    private static Object integerArithmetic(Op op, BigInteger x, BigInteger y) {
        if (y.signum() == 0 && (op == Op.DIV || op == Op.FLOOR_DIV || op == Op.MOD)) {
            throw new EvaluationException("division by zero");
        }
        if (op == Op.MUL && x.bitLength() + y.bitLength() > MAX_INTEGER_BITS) {
            throw new EvaluationException("integer result larger than " + MAX_INTEGER_BITS + " bits");
        }
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.subtract(y);
            case MUL -> x.multiply(y);
            case DIV -> {
                double quotient = new BigDecimal(x).divide(new BigDecimal(y), MathContext.DECIMAL128).doubleValue();
                if (Double.isInfinite(quotient)) {
                    throw new EvaluationException("integer division result too large for a float");
                }
                yield quotient;
            }
            case FLOOR_DIV -> {
                BigInteger[] qr = x.divideAndRemainder(y);
                yield qr[1].signum() != 0 && qr[1].signum() != y.signum() ? qr[0].subtract(BigInteger.ONE) : qr[0];
            }
            case MOD -> {
                BigInteger r = x.remainder(y);
                yield r.signum() != 0 && r.signum() != y.signum() ? r.add(y) : r;
            }
            default -> throw new IllegalStateException("not arithmetic: " + op);
        };
    }

    private static Object floatArithmetic(Op op, double x, double y) {
        if (y == 0 && (op == Op.DIV || op == Op.FLOOR_DIV || op == Op.MOD)) {
            throw new EvaluationException("float division by zero");
        }
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case FLOOR_DIV -> floorDivide(x, y);
            case MOD -> floorModulo(x, y);
            default -> throw new IllegalStateException("not arithmetic: " + op);
        };
    }

    /** Python's float {@code %}: the result has the sign of the divisor. */
    private static double floorModulo(double x, double y) {
        double mod = x % y;
        if (mod != 0) {
            return (y < 0) != (mod < 0) ? mod + y : mod;
        }
        return Math.copySign(0.0, y);
    }

    /** Python's float {@code //}, computed as CPython does to stay consistent with {@code %}. */
    private static double floorDivide(double x, double y) {
        double mod = x % y;
        double div = (x - mod) / y;
        if (mod != 0 && (y < 0) != (mod < 0)) {
            div -= 1.0;
        }
        if (div == 0) {
            return Math.copySign(0.0, x / y);
        }
        double floor = Math.floor(div);
        return div - floor > 0.5 ? floor + 1.0 : floor;
    }

    private static boolean compare(Op op, Object a, Object b) {
        return switch (op) {
            case EQ -> equal(a, b);
            case NE -> !equal(a, b);
            case IN -> contains(b, a);
            case NOT_IN -> !contains(b, a);
            default -> {
                Integer order = order(op, a, b);
                yield order != null && switch (op) {
                    case LT -> order < 0;
                    case LE -> order <= 0;
                    case GT -> order > 0;
                    default -> order >= 0;
                };
            }
        };
    }

    private static boolean equal(Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            Integer order = numericOrder(a, b);
            return order != null && order == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Sign of a compared with b; null when unordered (NaN). */
    private static Integer order(Op op, Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            return numericOrder(a, b);
        }
        if (a instanceof String x && b instanceof String y) {
            return compareCodePoints(x, y);
        }
        throw new EvaluationException("'" + op.symbol + "' not supported between instances of '"
                + ComparisonValues.typeName(a) + "' and '" + ComparisonValues.typeName(b) + "'");
    }

    /** Exact comparison of two numbers, as Python compares ints with floats; null if either is NaN. */
    private static Integer numericOrder(Object a, Object b) {
        if (a instanceof BigInteger x && b instanceof BigInteger y) {
            return x.compareTo(y);
        }
        if ((a instanceof Double x && x.isNaN()) || (b instanceof Double y && y.isNaN())) {
            return null;
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x < y ? -1 : x > y ? 1 : 0; // not Double.compare: -0.0 == 0.0
        }
        if (a instanceof Double x && x.isInfinite()) {
            return x > 0 ? 1 : -1;
        }
        if (b instanceof Double y && y.isInfinite()) {
            return y > 0 ? -1 : 1;
        }
        return exact(a).compareTo(exact(b));
    }

    private static BigDecimal exact(Object number) {
        return number instanceof BigInteger i ? new BigDecimal(i) : new BigDecimal((Double) number);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static boolean contains(Object container, Object item) {
        if (container instanceof List<?> list) {
            for (Object element : list) {
                if (equal(element, item)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof String text) {
            if (item instanceof String part) {
                return ComparisonValues.indexOf(text, part) >= 0;
            }
            throw new EvaluationException("'in <string>' requires string as left operand, not '"
                    + ComparisonValues.typeName(item) + "'");
        }
        throw new EvaluationException("argument of type '" + ComparisonValues.typeName(container) + "' is not a list or str");
    }

    private static Object call(Call call, Env env) {
        if (call.function() == ComparisonNode.Builtin.TODAY) {
            return env.clock().millis() / 1000.0;
        }
        Object argument = eval(call.arguments().get(0), env);
        return switch (call.function()) {
            case INT -> toInt(argument);
            case FLOAT -> toFloat(argument);
            case STR -> toStr(argument);
            case STRPTIME -> {
                if (!(argument instanceof String text)) {
                    throw new EvaluationException("strptime() argument must be str, not '" + ComparisonValues.typeName(argument) + "'");
                }
                Double seconds = ComparisonValues.epochSeconds(text);
                if (seconds == null) {
                    throw new EvaluationException("time data '" + text + "' is not a yyyy-mm-dd date");
                }
                yield seconds;
            }
            case TODAY -> throw new IllegalStateException("handled above");
        };
    }

    private static BigInteger toInt(Object value) {
        return switch (value) {
            case BigInteger i -> i;
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) {
                    throw new EvaluationException("cannot convert float " + ComparisonValues.pythonFloat(d) + " to integer");
                }
                yield new BigDecimal(d).toBigInteger(); // truncates toward zero, as Python
            }
            case Boolean b -> b ? BigInteger.ONE : BigInteger.ZERO;
            case String s -> {
                BigInteger parsed = ComparisonValues.parseInteger(s.strip(), true);
                if (parsed == null) {
                    throw new EvaluationException("invalid literal for int(): '" + s + "'");
                }
                yield parsed;
            }
            default -> throw new EvaluationException("int() argument must be a string or a number, not '"
                    + ComparisonValues.typeName(value) + "'");
        };
    }

    private static double toFloat(Object value) {
        return switch (value) {
            case BigInteger i -> toDouble(i);
            case Double d -> d;
            case Boolean b -> b ? 1.0 : 0.0;
            case String s -> {
                Double parsed = parseFloatText(s.strip());
                if (parsed == null) {
                    throw new EvaluationException("could not convert string to float: '" + s + "'");
                }
                yield parsed;
            }
            default -> throw new EvaluationException("float() argument must be a string or a number, not '"
                    + ComparisonValues.typeName(value) + "'");
        };
    }

    /** Python's {@code float(str)}: a number literal, or inf, infinity, nan with an optional sign. */
    private static Double parseFloatText(String text) {
        boolean signed = text.startsWith("-") || text.startsWith("+");
        switch ((signed ? text.substring(1) : text).toLowerCase(Locale.ROOT)) {
            case "inf", "infinity":
                return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                Object number = ComparisonValues.number(text, 10);
                return number == null ? null : toDouble(number);
        }
    }

    private static String toStr(Object value) {
        return switch (value) {
            case String s -> s;
            case BigInteger i -> i.toString();
            case Double d -> ComparisonValues.pythonFloat(d);
            case Boolean b -> b ? "True" : "False";
            default -> throw new EvaluationException("str() of a '" + ComparisonValues.typeName(value) + "' is not supported");
        };
    }

    private static boolean reMatch(ReMatch match, Env env) {
        RuleRegex pattern = match.compiled();
        if (pattern == null) {
            Object regex = eval(match.pattern(), env);
            if (!(regex instanceof String text)) {
                throw new EvaluationException("re.match() pattern must be a str, not '" + ComparisonValues.typeName(regex) + "'");
            }
            try {
                pattern = ComparisonValues.compileRegex(text);
            } catch (IllegalArgumentException e) {
                throw new EvaluationException("invalid regular expression: " + e.getMessage());
            }
        }
        Object subject = eval(match.subject(), env);
        if (!(subject instanceof String text)) {
            throw new EvaluationException("re.match() expects a str to match, not '" + ComparisonValues.typeName(subject) + "'");
        }
        return pattern.lookingAt(text);
    }
}
