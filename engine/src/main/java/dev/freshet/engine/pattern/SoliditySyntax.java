package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.Set;

/**
 * Solidity as Semgrep reads it: a function's visibility, mutability, modifiers and return types are
 * attributes a pattern may leave out (it lists those a function must have), and every statement
 * sits in a statement node of its own.
 */
final class SoliditySyntax implements LanguageSyntax {
    static final SoliditySyntax INSTANCE = new SoliditySyntax();
    private static final Set<String> ATTRIBUTES = Set.of("visibility", "state_mutability", "modifier_invocation",
            "return_type_definition", "virtual", "override_specifier");

    private SoliditySyntax() {
    }

    @Override
    public boolean isOptional(SyntaxNode node) {
        return ATTRIBUTES.contains(node.kind());
    }

    @Override
    public boolean isBlock(String kind) {
        return kind.equals("function_body") || kind.equals("block_statement");
    }

    @Override
    public boolean isExpressionStatement(String kind) {
        return kind.equals("expression_statement") || kind.equals("statement");
    }
}
