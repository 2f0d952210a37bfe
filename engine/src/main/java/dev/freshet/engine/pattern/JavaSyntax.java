package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Java's kinds and Semgrep's Java equivalences: locals and fields, methods written without a return type. */
final class JavaSyntax implements LanguageSyntax {
    static final JavaSyntax INSTANCE = new JavaSyntax();
    private static final Set<String> UNORDERED = Set.of("modifiers", "class_body");
    private static final Set<String> BLOCKS = Set.of("block", "class_body", "switch_block_statement_group", "constructor_body");
    private static final Set<String> OPTIONAL = Set.of("modifiers", "type_parameters", "throws", "type_arguments");
    private static final Declarations DECLARATIONS = new Declarations(Set.of("assignment_expression"),
            Set.of("local_variable_declaration", "field_declaration"), Set.of("variable_declarator"));

    private JavaSyntax() {
    }

    @Override
    public boolean isUnordered(String kind) {
        return UNORDERED.contains(kind);
    }

    @Override
    public boolean isBlock(String kind) {
        return BLOCKS.contains(kind);
    }

    @Override
    public boolean isOptional(SyntaxNode node) {
        return OPTIONAL.contains(node.kind());
    }

    /** A local declaration pattern also matches a field. */
    @Override
    public String kindAlias(String patternKind) {
        return patternKind.equals("local_variable_declaration") ? "field_declaration" : null;
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
    public SyntaxNode chainInner(SyntaxNode node) {
        return node.kind().equals("field_access") || node.kind().equals("method_invocation") ? LanguageSyntax.field(node, "object") : null;
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
