package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Go's kinds and Semgrep's Go equivalences: {@code var} for {@code const}, import specs as statements. */
final class GoSyntax implements LanguageSyntax {
    static final GoSyntax INSTANCE = new GoSyntax();
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withUnordered("import_spec_list")
            .withBlocks("block", "statement_list")
            .withOptional(Set.of("type_parameters", "type_arguments"), Set.of())
            // Semgrep's var pattern ignores constness.
            .withKindAliases(Map.of("var_declaration", "const_declaration", "var_spec", "const_spec"))
            .withChainFields(Map.of("selector_expression", "operand", "call_expression", "function"));
    private static final Declarations DECLARATIONS = new Declarations(Set.of("assignment_statement"),
            Set.of("var_declaration"), Set.of("short_var_declaration", "var_spec"));

    private GoSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    /** An import pattern without an alias matches the import under any alias, as in Semgrep. */
    @Override
    public boolean isOptional(SyntaxNode node) {
        return TABLE.isOptional(node)
                || "name".equals(node.field()) && node.parent() != null && node.parent().kind().equals("import_spec");
    }

    @Override
    public boolean matchesOtherKind(PatternNode.Node pattern, SyntaxNode node) {
        return DECLARATIONS.startsAt(pattern, node);
    }

    @Override
    public List<SyntaxNode> candidates(PatternNode.Node pattern, Function<String, List<SyntaxNode>> byKind) {
        return DECLARATIONS.candidates(pattern, LanguageSyntax.super.candidates(pattern, byKind), byKind);
    }

    @Override
    public boolean sameToken(String patternToken, SyntaxNode leaf) {
        return patternToken.equals("var") && leaf.kind().equals("const") && leaf.parent().kind().equals("const_declaration");
    }

    @Override
    public void matchEquivalent(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (pattern.kind().equals("import_spec") && node.kind().equals("import_declaration")) {
            // Among statements, an import spec pattern stands for a declaration that imports it.
            for (SyntaxNode child : node.children()) {
                List<SyntaxNode> specs = child.kind().equals("import_spec_list") ? child.children() : List.of(child);
                for (SyntaxNode spec : specs) {
                    if (spec.kind().equals("import_spec")) {
                        matcher.match(pattern, spec, bindings, next);
                    }
                }
            }
        } else {
            DECLARATIONS.match(matcher, pattern, node, bindings, next);
        }
    }
}
