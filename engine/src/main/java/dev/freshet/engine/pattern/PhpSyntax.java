package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * PHP as Semgrep's {@code php_to_generic} reads it: names of functions, classes and constants are
 * case-insensitive (variables are not), and {@code include}, {@code require} and their
 * {@code _once} forms are calls of the function the keyword names, so {@code $FUNC(...)} matches them.
 */
final class PhpSyntax implements LanguageSyntax {
    static final PhpSyntax INSTANCE = new PhpSyntax();
    /** PHP's statements sit in compound statements; an expression statement holds one expression. */
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withBlocks("compound_statement");
    private static final String CALL = "function_call_expression";
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
