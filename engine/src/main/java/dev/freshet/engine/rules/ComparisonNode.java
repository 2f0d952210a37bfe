package dev.freshet.engine.rules;

import dev.freshet.engine.regex.RuleRegex;
import java.util.List;

/**
 * Syntax tree of a {@link Comparison} expression. Chains of operators of one precedence level are
 * kept flat (one node with a list of operands) so that long chains such as {@code 1 + 1 + ... + 1}
 * do not make the tree, and therefore the evaluator's recursion, deep.
 */
sealed interface ComparisonNode {

    /** Binary operators. */
    enum Op {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), IN("in"), NOT_IN("not in"),
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), FLOOR_DIV("//"), MOD("%");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    /** Built-in functions other than {@code re.match}, with their number of arguments. */
    enum Builtin {
        INT("int", 1), FLOAT("float", 1), STR("str", 1), TODAY("today", 0), STRPTIME("strptime", 1);

        final String pythonName;
        final int arity;

        Builtin(String pythonName, int arity) {
            this.pythonName = pythonName;
            this.arity = arity;
        }
    }

    /** A constant: BigInteger, Double, String, Boolean or List of those. */
    record Literal(Object value) implements ComparisonNode {}

    /** A metavariable such as {@code $X}; {@code name} includes the dollar sign. */
    record Metavariable(String name) implements ComparisonNode {}

    /** A list or tuple display: {@code [a, b]} or {@code (a, b)}. */
    record ListDisplay(List<ComparisonNode> items) implements ComparisonNode {}

    /** {@code not operand}. */
    record Not(ComparisonNode operand) implements ComparisonNode {}

    /** Unary {@code -operand} (negate) or {@code +operand}. */
    record Sign(boolean negate, ComparisonNode operand) implements ComparisonNode {}

    /** {@code a and b and ...} or {@code a or b or ...}; short-circuits. */
    record Logical(boolean and, List<ComparisonNode> operands) implements ComparisonNode {}

    /** {@code first op1 rest1 op2 rest2 ...} evaluated left to right (arithmetic). */
    record Arithmetic(ComparisonNode first, List<Op> ops, List<ComparisonNode> rest) implements ComparisonNode {}

    /** A Python comparison chain: {@code a < b < c} means {@code a < b and b < c}, b evaluated once. */
    record Compare(ComparisonNode first, List<Op> ops, List<ComparisonNode> rest) implements ComparisonNode {}

    /** A call of a built-in function. */
    record Call(Builtin function, List<ComparisonNode> arguments) implements ComparisonNode {}

    /** {@code re.match(pattern, subject)}; {@code compiled} is non-null when the pattern is a literal. */
    record ReMatch(ComparisonNode pattern, ComparisonNode subject, RuleRegex compiled) implements ComparisonNode {}
}
