package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;
import java.util.Map;
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
    /** Kinds that are the same record or field to Semgrep: a pattern of the one also matches the other. */
    private static final Map<String, String> RECORDS = Map.of("attribute", "object_elem", "object_elem", "attribute",
            "object", "body");

    /** Block bodies and objects are records; attributes and blocks are the statements of a body, the file's top one too. */
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withUnordered("body", "object").withBlocks("body");

    private HclSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    /**
     * The grammar's wrappers of a literal or template, which Semgrep's AST does not have: a string
     * pattern meets a quoted string or a heredoc inside them.
     */
    @Override
    public boolean isWrapper(String kind) {
        return kind.equals("literal_value") || kind.equals("template_expr");
    }

    /** A block's body where the pattern has {@code {}}: the record's fields beyond the pattern's. */
    @Override
    public boolean isOptional(SyntaxNode node) {
        return isBlockBody(node);
    }

    @Override
    public boolean matchesOtherKind(PatternNode.Node pattern, SyntaxNode node) {
        return node.kind().equals(RECORDS.get(pattern.kind())) && (!node.kind().equals("body") || isBlockBody(node));
    }

    @Override
    public List<SyntaxNode> candidates(PatternNode.Node pattern, Function<String, List<SyntaxNode>> byKind) {
        List<SyntaxNode> sameKind = LanguageSyntax.super.candidates(pattern, byKind);
        String other = RECORDS.get(pattern.kind());
        return other == null ? sameKind : LanguageSyntax.withKinds(sameKind, byKind, List.of(other));
    }

    /** A record's range starts at its brace, which the grammar leaves outside a block's body. */
    @Override
    public int matchStart(SyntaxNode node) {
        if (isBlockBody(node)) {
            List<SyntaxNode> siblings = node.parent().children();
            int at = siblings.indexOf(node);
            return at > 0 ? siblings.get(at - 1).start() : node.start();
        }
        return node.start();
    }

    @Override
    public void matchEquivalent(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (!matchesOtherKind(pattern, node)) {
            return;
        }
        if (pattern.kind().equals("object")) {
            // The object's elements, without its braces, against the body's fields.
            List<PatternNode> fields = pattern.children().stream().filter(c -> !(c instanceof PatternNode.Token)).toList();
            matcher.matchUnordered(fields, 0, node.children(), new boolean[node.children().size()], bindings, next);
            return;
        }
        // name = value, as an attribute or as an element named by an identifier.
        List<PatternNode> patternField = field(pattern.children());
        List<SyntaxNode> nodeField = field(node);
        if (patternField != null && nodeField != null) {
            matcher.matchChildren(patternField, 0, nodeField, 0, bindings, next);
        }
    }

    /** An attribute's or element's name and value patterns, the name out of its expression wrappers. */
    private static List<PatternNode> field(List<PatternNode> children) {
        if (children.size() != 3) {
            return null;
        }
        PatternNode name = children.get(0);
        while (name instanceof PatternNode.Node wrapper && wrapper.children().size() == 1) {
            name = wrapper.children().get(0);
        }
        return List.of(name, children.get(2));
    }

    /** An attribute's or element's name (an identifier) and value, or null for another key. */
    private static List<SyntaxNode> field(SyntaxNode node) {
        List<SyntaxNode> children = node.children();
        if (children.size() != 3) {
            return null;
        }
        SyntaxNode name = children.get(0);
        while (name.children().size() == 1) {
            name = name.children().get(0);
        }
        return name.kind().equals("identifier") ? List.of(name, children.get(2)) : null;
    }

    private static boolean isBlockBody(SyntaxNode node) {
        return node.kind().equals("body") && node.parent() != null && node.parent().kind().equals("block");
    }

    /**
     * The pattern with each block nested in a pattern body matching at any depth of the field it meets,
     * and its strings out of their literal wrapper.
     */
    static PatternNode nestedBlocksDeep(PatternNode pattern) {
        if (!(pattern instanceof PatternNode.Node node)) {
            return pattern;
        }
        if (node.kind().equals("literal_value") && node.children().size() == 1 && node.children().get(0) instanceof PatternNode.StringLiteral string) {
            // A string pattern is the string, whichever wrapper of the file's grammar holds it (isWrapper).
            return string;
        }
        List<PatternNode> children = node.children().stream().map(HclSyntax::nestedBlocksDeep)
                .map(child -> node.kind().equals("body") && child instanceof PatternNode.Node block && block.kind().equals("block")
                        ? new PatternNode.Deep(block) : child)
                .toList();
        return new PatternNode.Node(node.kind(), children);
    }
}
