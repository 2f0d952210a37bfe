package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Java's kinds and Semgrep's Java equivalences: locals and fields, methods written without a return type,
 * and class and interface bodies whose members a pattern names in any order among others (both Semgrep's class body).
 */
final class JavaSyntax implements LanguageSyntax {
    static final JavaSyntax INSTANCE = new JavaSyntax();
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withUnordered("modifiers", "class_body", "interface_body")
            .withBlocks("block", "class_body", "interface_body", "switch_block_statement_group", "constructor_body")
            .withOptional(Set.of("modifiers", "type_parameters", "throws", "type_arguments"), Set.of())
            // A local declaration pattern also matches a field.
            .withKindAliases(Map.of("local_variable_declaration", "field_declaration"))
            .withChainFields(Map.of("field_access", "object", "method_invocation", "object"))
            .withSpelling(new SyntaxTable.Spelling(true, ";"));
    private static final Declarations DECLARATIONS = new Declarations(Set.of("assignment_expression"),
            Set.of("local_variable_declaration", "field_declaration"), Set.of("variable_declarator"));

    private JavaSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    @Override
    public boolean matchesOtherKind(PatternNode.Node pattern, SyntaxNode node) {
        return pattern.kind().equals("constructor_declaration") && node.kind().equals("method_declaration")
                || DECLARATIONS.startsAt(pattern, node);
    }

    @Override
    public List<SyntaxNode> candidates(PatternNode.Node pattern, Function<String, List<SyntaxNode>> byKind) {
        if (pattern.kind().equals("constructor_declaration")) {
            return LanguageSyntax.withKinds(byKind.apply(pattern.kind()), byKind, List.of("method_declaration"));
        }
        return DECLARATIONS.candidates(pattern, LanguageSyntax.super.candidates(pattern, byKind), byKind);
    }

    @Override
    public boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (pattern.kind().equals("variable_declarator") && pattern.children().size() == 1) {
            // "Type $X;" also matches a declaration with an initializer.
            matcher.match(pattern.children().get(0), node.children().get(0), bindings, next);
            return true;
        }
        return false;
    }

    @Override
    public void matchEquivalent(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (pattern.kind().equals("constructor_declaration") && node.kind().equals("method_declaration")) {
            // A declaration written without a return type ($M(...) {...}) is a method of any return type.
            List<SyntaxNode> withoutType = node.children().stream().filter(c -> !"type".equals(c.field())).toList();
            List<PatternNode> children = pattern.children().stream()
                    .map(c -> c instanceof PatternNode.Node body && body.kind().equals("constructor_body")
                            ? new PatternNode.Node("block", body.children()) : c).toList();
            matcher.matchChildren(children, 0, withoutType, 0, bindings, next);
        } else {
            DECLARATIONS.match(matcher, pattern, node, bindings, next);
        }
    }
}
