package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;
import java.util.function.Function;

/**
 * Terraform/HCL as Semgrep reads it ({@code Terraform_to_generic}): a block
 * {@code type "label" { body }} is a call of {@code type} with its labels and a record of its body as
 * arguments, and a block body, like an object, is a record whose fields (attributes and nested
 * blocks) match in any order, with more in the file than in the pattern allowed (Semgrep's
 * {@code implicit_ellipsis}, on by default). So a pattern body lists what a block must hold, not all
 * it holds, and an empty pattern body matches any block. A nested block of a pattern body is an
 * expression statement, which Semgrep matches deeply: it may sit at any depth inside a field. An
 * attribute and an object's element named by an identifier are both fields, so an attribute pattern
 * ({@code Action = "*"}) matches either.
 */
final class HclSyntax implements LanguageSyntax {
    static final HclSyntax INSTANCE = new HclSyntax();

    private HclSyntax() {
    }

    @Override
    public boolean isUnordered(String kind) {
        return kind.equals("body") || kind.equals("object");
    }

    /** A block's body where the pattern has {@code {}}: the record's fields beyond the pattern's. */
    @Override
    public boolean isOptional(SyntaxNode node) {
        return node.kind().equals("body") && node.parent() != null && node.parent().kind().equals("block");
    }

    /** Attributes and blocks are the statements of a body; the top of a file is one body too. */
    @Override
    public boolean isBlock(String kind) {
        return kind.equals("body");
    }

    @Override
    public boolean matchesOtherKind(PatternNode.Node pattern, SyntaxNode node) {
        return pattern.kind().equals("attribute") && node.kind().equals("object_elem");
    }

    @Override
    public List<SyntaxNode> candidates(PatternNode.Node pattern, Function<String, List<SyntaxNode>> byKind) {
        List<SyntaxNode> sameKind = LanguageSyntax.super.candidates(pattern, byKind);
        return pattern.kind().equals("attribute") ? LanguageSyntax.withKinds(sameKind, byKind, List.of("object_elem")) : sameKind;
    }

    @Override
    public void matchEquivalent(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (!matchesOtherKind(pattern, node) || pattern.children().size() != 3) {
            return;
        }
        SyntaxNode key = LanguageSyntax.field(node, "key");
        SyntaxNode value = LanguageSyntax.field(node, "val");
        while (key != null && key.children().size() == 1) {
            key = key.children().get(0);
        }
        if (key != null && value != null && key.kind().equals("identifier")) {
            // name = value: the name against the key, the value against the value.
            matcher.matchChildren(List.of(pattern.children().get(0), pattern.children().get(2)), 0, List.of(key, value), 0,
                    bindings, next);
        }
    }

    /** The pattern with each block nested in a pattern body matching at any depth of the field it meets. */
    static PatternNode nestedBlocksDeep(PatternNode pattern) {
        if (!(pattern instanceof PatternNode.Node node)) {
            return pattern;
        }
        List<PatternNode> children = node.children().stream().map(HclSyntax::nestedBlocksDeep)
                .map(child -> node.kind().equals("body") && child instanceof PatternNode.Node block && block.kind().equals("block")
                        ? new PatternNode.Deep(block) : child)
                .toList();
        return new PatternNode.Node(node.kind(), children);
    }
}
