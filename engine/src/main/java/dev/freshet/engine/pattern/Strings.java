package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;
import java.util.Set;

/** Facts about string literals and wrappers across the tree-sitter grammars that matching relies on. */
public final class Strings {
    /** YAML's unquoted string: a string whose text is all content (DataDocuments). */
    private static final String PLAIN = "plain_scalar";
    /**
     * HCL's heredoc: without interpolations, the string of its lines (Semgrep's {@code Here_temp} is
     * {@code G.interpolated} of one literal, a string); with them, a concatenation.
     */
    private static final String HEREDOC = "heredoc_template";
    private static final Set<String> STRINGS = Set.of(
            "string", "string_literal", "interpreted_string_literal", "raw_string_literal", "template_string",
            "text_block", "string_lit", "json_string", PLAIN, "subshell", "encapsed_string",
            // Scala's s"..." after its interpolator.
            "interpolated_string", HEREDOC,
            // Swift's "..." and """...""".
            "line_string_literal", "multi_line_string_literal",
            // C#'s @"..." (backslashes are no escapes), a string literal to Semgrep like any other.
            "verbatim_string_literal");


    /** Interpolated strings that are their own kind, holes or not (C#'s {@code $"..."}). */
    private static final Set<String> INTERPOLATED = Set.of("interpolated_string_expression");

    private Strings() {
    }

    /** Whether the kind is a string literal that interpolates code, as its kind tells. */
    public static boolean isInterpolatedString(String kind) {
        return INTERPOLATED.contains(kind);
    }

    public static boolean isString(String kind) {
        return STRINGS.contains(kind);
    }

    /**
     * Code inside strings: PHP writes variables, members and subscripts straight into its double-quoted strings;
     * Bash's {@code "$(...)"} holds commands (AST_bash's Command_substitution fragment).
     */
    private static final Set<String> INTERPOLATIONS = Set.of("interpolation", "template_substitution", "variable_name",
            "dynamic_variable_name", "member_access_expression", "subscript_expression", "command_substitution",
            "template_interpolation",
            // Swift's \(...).
            "interpolated_expression");

    /** Interpolations inside f-strings, template strings and PHP's double-quoted strings. */
    public static boolean isInterpolation(String kind) {
        return INTERPOLATIONS.contains(kind);
    }

    /** The text between the quotes of a string literal, without prefixes such as {@code r} or {@code f}. */
    public static String content(String literal) {
        int[] span = contentSpan(literal);
        return literal.substring(span[0], span[1]);
    }

    /**
     * The content of a string literal node; a string without quotes (YAML's plain scalar) is all content,
     * and a YAML scalar is its decoded value (Semgrep compares the values of {@code Yaml_to_generic}'s strings).
     */
    public static String content(SyntaxNode literal) {
        if (literal.value() != null) {
            return literal.value();
        }
        int[] span = contentSpan(literal);
        return literal.text().substring(span[0], span[1]);
    }

    /** Where the content of a string literal node starts and ends within its text. */
    public static int[] contentSpan(SyntaxNode literal) {
        if (literal.kind().equals(HEREDOC)) {
            // Its lines: from the first literal after the opening identifier to the last before the closing one.
            List<SyntaxNode> lines = literal.children().stream().filter(c -> c.kind().equals("template_literal")).toList();
            int start = lines.isEmpty() ? literal.text().length() : lines.get(0).start() - literal.start();
            return new int[] {start, lines.isEmpty() ? start : lines.get(lines.size() - 1).end() - literal.start()};
        }
        return literal.kind().equals(PLAIN) ? new int[] {0, literal.text().length()} : contentSpan(literal.text());
    }

    /** Where the content of a string literal starts and ends within its text. */
    public static int[] contentSpan(String literal) {
        int start = 0;
        // Prefixes: Python's r/b/f, C#'s verbatim @.
        while (start < literal.length() && (Character.isLetter(literal.charAt(start)) || literal.charAt(start) == '@')) {
            start++;
        }
        int end = literal.length();
        if (start >= end) {
            return new int[] {0, end};
        }
        char quote = literal.charAt(start);
        if (quote != '"' && quote != '\'' && quote != '`') {
            return new int[] {0, end};
        }
        int width = literal.startsWith(String.valueOf(quote).repeat(3), start) && end - start >= 6 ? 3 : 1;
        if (end - start < 2 * width) {
            return new int[] {start, end};
        }
        return new int[] {start + width, end - width};
    }

    /** The quotes of a string that has parts (Python's f-strings). */
    public static boolean isQuote(String kind) {
        return kind.equals("string_start") || kind.equals("string_end");
    }

    /** A binary {@code +}, which joins two strings when both are constant. */
    public static boolean isConcatenation(SyntaxNode node) {
        return (node.kind().equals("binary_expression") || node.kind().equals("binary_operator"))
                && node.children().size() == 3 && node.children().get(1).text().equals("+");
    }

    /** Python's "a" "b": literals written side by side, one constant string to Semgrep's constant folding. */
    public static boolean isImplicitConcatenation(SyntaxNode node) {
        return node.kind().equals("concatenated_string");
    }

    /** Expressions in parentheses match the bare expression, as in Semgrep. */
    public static boolean isParenthesized(String kind) {
        return kind.equals("parenthesized_expression");
    }
}
