package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * PHP as Semgrep's {@code php_to_generic} reads it: names of functions, classes and constants are
 * case-insensitive (variables are not), and {@code include}, {@code require} and their
 * {@code _once} forms are calls of the function the keyword names, so {@code $FUNC(...)} matches them.
 * In a pattern's double-quoted string, Semgrep's PHP lexer reads a bare metavariable as a piece of
 * the string's text (its parser's {@code EncapsString}): {@code "$X"} alone is any string literal,
 * and in {@code "...$X..."} it binds one text piece of an interpolated string, while {@code {$X}} is
 * an interpolated expression. An interpolated string pattern matches only interpolated strings.
 */
final class PhpSyntax implements LanguageSyntax {
    static final PhpSyntax INSTANCE = new PhpSyntax();
    /** PHP's statements sit in compound statements; an expression statement holds one expression. */
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withBlocks("compound_statement");
    private static final String CALL = "function_call_expression";
    private static final String STRING = "encapsed_string";
    private static final String FRAGMENT = "string_content";
    private static final Pattern METAVARIABLE = Pattern.compile("\\$[A-Z_][A-Z0-9_]*");
    private static final List<String> INCLUDES = List.of("include_expression", "include_once_expression", "require_expression",
            "require_once_expression");

    private PhpSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    @Override
    public boolean sameToken(String patternToken, SyntaxNode leaf) {
        return leaf.kind().equals("name") && !(leaf.parent() != null && leaf.parent().kind().equals("variable_name"))
                && patternToken.toLowerCase(Locale.ROOT).equals(leaf.text().toLowerCase(Locale.ROOT));
    }

    /** {@code "$X"}: a string whose only part is a bare metavariable, which is then any string literal; else null. */
    static PatternNode.StringLiteral wholeStringMetavariable(SyntaxNode string) {
        List<SyntaxNode> parts = string.children().stream().filter(SyntaxNode::named).toList();
        String name = parts.size() == 1 && string.kind().equals(STRING) ? metavariable(parts.get(0)) : null;
        return name == null || isBraced(parts.get(0)) ? null : new PatternNode.StringLiteral(null, name, null);
    }

    /**
     * A metavariable inside a pattern's double-quoted string: {@code {$X}} any interpolated
     * expression, a bare {@code $X} one piece of the string's text; null for any other part.
     */
    static PatternNode stringPart(SyntaxNode part) {
        String name = metavariable(part);
        if (name == null) {
            return null;
        }
        PatternNode metavariable = new PatternNode.Metavariable(name);
        return isBraced(part) ? metavariable : new PatternNode.Node(FRAGMENT, List.of(metavariable));
    }

    private static String metavariable(SyntaxNode part) {
        boolean inString = part.parent() != null && part.parent().kind().equals(STRING) && part.kind().equals("variable_name");
        String text = part.text();
        return inString && METAVARIABLE.matcher(text).matches() && !Placeholders.SUPERGLOBALS.contains(text) ? text : null;
    }

    /** Whether an interpolated variable is written in braces ({@code {$x}}): the braces are punctuation, not children. */
    private static boolean isBraced(SyntaxNode part) {
        SyntaxNode string = part.parent();
        int at = part.start() - string.start() - 1;
        return at >= 0 && string.text().charAt(at) == '{';
    }

    @Override
    public boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (pattern.kind().equals(FRAGMENT) && pattern.children().size() == 1
                && pattern.children().get(0) instanceof PatternNode.Metavariable metavariable) {
            Matcher.bind(metavariable.name(), Captured.of(node), bindings, next);
            return true;
        }
        // A double-quoted string without interpolation is a literal to Semgrep, not an interpolated string.
        return pattern.kind().equals(STRING) && node.children().stream().noneMatch(c -> Strings.isInterpolation(c.kind()));
    }

    @Override
    public boolean matchesOtherKind(PatternNode.Node pattern, SyntaxNode node) {
        return pattern.kind().equals(CALL) && INCLUDES.contains(node.kind());
    }

    @Override
    public List<SyntaxNode> candidates(PatternNode.Node pattern, Function<String, List<SyntaxNode>> byKind) {
        List<SyntaxNode> same = LanguageSyntax.super.candidates(pattern, byKind);
        return pattern.kind().equals(CALL) ? LanguageSyntax.withKinds(same, byKind, INCLUDES) : same;
    }

    @Override
    public void matchEquivalent(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (!matchesOtherKind(pattern, node) || node.children().size() != 2 || pattern.children().isEmpty()) {
            return;
        }
        SyntaxNode keyword = node.children().get(0);
        SyntaxNode operand = node.children().get(1);
        if (Strings.isParenthesized(operand.kind()) && operand.children().size() == 1) {
            operand = operand.children().get(0);
        }
        List<PatternNode> arguments = new ArrayList<>();
        for (PatternNode part : pattern.children().subList(1, pattern.children().size())) {
            if (part instanceof PatternNode.Node list && list.kind().equals("arguments")) {
                // An argument stands for its expression: the operand of include is not wrapped as one.
                list.children().forEach(a -> arguments.add(a instanceof PatternNode.Node argument && argument.kind().equals("argument")
                        && argument.children().size() == 1 ? argument.children().get(0) : a));
            } else {
                arguments.add(part);
            }
        }
        List<SyntaxNode> operands = List.of(operand);
        PatternNode callee = pattern.children().get(0);
        Matcher.Found withArguments = b -> matcher.matchChildren(arguments, 0, operands, 0, b, next);
        if (callee instanceof PatternNode.Metavariable metavariable) {
            Matcher.bind(metavariable.name(), Captured.of(keyword), bindings, withArguments);
        } else if (callee instanceof PatternNode.Token token && token.text().equalsIgnoreCase(keyword.text())) {
            withArguments.found(bindings);
        }
    }
}
