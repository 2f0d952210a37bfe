package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.DataScalars;
import dev.freshet.engine.parse.SyntaxNode;
import java.util.ArrayList;
import java.util.List;

/**
 * YAML and JSON as Semgrep matches them ({@code Generic_vs_generic} on the trees of
 * {@code Yaml_to_generic} and {@code Json_to_generic}): a mapping is a dictionary whose pairs match
 * in any order, exactly those pairs unless the pattern has {@code ...} among them
 * ({@code m_container_set_or_dict_unordered_elements}); a sequence matches item by item with
 * ellipses; plain scalars are typed, so {@code true} matches {@code True} and {@code yes} but not
 * {@code "true"}, and {@code 1} matches {@code 1.0}.
 */
final class DataSyntax implements LanguageSyntax {
    static final DataSyntax INSTANCE = new DataSyntax();
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withBlocks();

    private DataSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    @Override
    public boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (!pattern.kind().equals("mapping")) {
            return false;
        }
        List<PatternNode> pairs = pattern.children().stream().filter(c -> !(c instanceof PatternNode.Ellipsis)).toList();
        boolean open = pairs.size() < pattern.children().size();
        if (open || pairs.size() == node.children().size()) {
            matcher.matchUnordered(pairs, 0, node.children(), new boolean[node.children().size()], bindings, next);
        }
        return true;
    }

    /** A plain scalar of the pattern against one of the file: the same boolean, null or number, however written. */
    @Override
    public boolean sameToken(String patternToken, SyntaxNode leaf) {
        String canonical = canonical(leaf.kind(), leaf.value() != null ? leaf.value() : leaf.text());
        return canonical != null && canonical.equals(canonical(DataScalars.kindOf(patternToken), patternToken));
    }

    private static String canonical(String kind, String text) {
        return switch (kind) {
            case "boolean" -> "bool:" + DataScalars.isTrue(text);
            case "null" -> "null";
            case "number" -> "number:" + DataScalars.number(text);
            default -> null;
        };
    }

    /**
     * The pattern as Semgrep reads a YAML or JSON pattern: a mapping whose only entry is {@code ...}
     * is any value, and an entry whose key is {@code ...} (its value {@code ...} or left out, as in
     * JSON's {@code {..., "k": v}}) stands for any entries.
     */
    static PatternNode normalize(PatternNode pattern) {
        if (!(pattern instanceof PatternNode.Node node)) {
            return pattern;
        }
        List<PatternNode> children = new ArrayList<>();
        for (PatternNode child : node.children()) {
            children.add(normalize(child));
        }
        if (node.kind().equals("pair") && children.size() == 2 && children.get(0) instanceof PatternNode.Ellipsis
                && (children.get(1) instanceof PatternNode.Ellipsis || isNull(children.get(1)))) {
            return new PatternNode.Ellipsis();
        }
        if (node.kind().equals("mapping") && !children.isEmpty() && children.stream().allMatch(c -> c instanceof PatternNode.Ellipsis)) {
            return new PatternNode.Ellipsis();
        }
        return new PatternNode.Node(node.kind(), children);
    }

    /** A value left out ({@code ...:}): the empty string, as Semgrep reads an empty scalar. */
    private static boolean isNull(PatternNode value) {
        return value instanceof PatternNode.Token token && token.text().isEmpty()
                || value instanceof PatternNode.StringLiteral literal && "".equals(literal.content());
    }
}
