package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;
import java.util.function.Function;

/**
 * OCaml as Semgrep reads it (ocaml_to_generic): a {@code match} is a switch, whose pattern cases are found
 * among the file's in any order, more allowed (Generic_vs_generic's {@code m_case_clauses}); a field access
 * pattern {@code $M.f} is also read as a qualified name, so it matches {@code Int.f} (its DotAccess reinterpreted
 * as a name).
 */
final class OcamlSyntax implements LanguageSyntax {
    static final OcamlSyntax INSTANCE = new OcamlSyntax();
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withExpressionStatements("expression_item").withBlocks();
    private static final String FIELD_ACCESS = "field_get_expression";
    private static final String QUALIFIED = "value_path";

    private OcamlSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    @Override
    public boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (!pattern.kind().equals("match_expression")) {
            return false;
        }
        // The head (match, the scrutinee, with) in order; then the cases, each a different case of the file's.
        List<PatternNode> head = pattern.children().stream().filter(c -> !isCase(c) && !(c instanceof PatternNode.Token t && t.text().equals("|"))).toList();
        List<PatternNode> cases = pattern.children().stream().filter(OcamlSyntax::isCase).toList();
        List<SyntaxNode> fileHead = node.children().stream().filter(c -> !c.kind().equals("match_case") && !c.text().equals("|")).toList();
        List<SyntaxNode> fileCases = node.children().stream().filter(c -> c.kind().equals("match_case")).toList();
        matcher.matchChildren(head, 0, fileHead, 0, bindings,
                afterHead -> matcher.matchUnordered(cases, 0, fileCases, new boolean[fileCases.size()], afterHead, next));
        return true;
    }

    private static boolean isCase(PatternNode node) {
        return node instanceof PatternNode.Node n && n.kind().equals("match_case");
    }

    @Override
    public boolean matchesOtherKind(PatternNode.Node pattern, SyntaxNode node) {
        return pattern.kind().equals(FIELD_ACCESS) && node.kind().equals(QUALIFIED);
    }

    @Override
    public List<SyntaxNode> candidates(PatternNode.Node pattern, Function<String, List<SyntaxNode>> byKind) {
        List<SyntaxNode> sameKind = LanguageSyntax.super.candidates(pattern, byKind);
        return pattern.kind().equals(FIELD_ACCESS) ? LanguageSyntax.withKinds(sameKind, byKind, List.of(QUALIFIED)) : sameKind;
    }

    /** {@code $M.f} against {@code M.f}: the record part matches the module path, and the names are the same. */
    @Override
    public boolean matchOtherKindOnly(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (!matchesOtherKind(pattern, node) || pattern.children().size() != 3 || node.children().size() != 3
                || !node.children().get(0).kind().equals("module_path")) {
            return false;
        }
        String field = lastToken(pattern.children().get(2));
        if (field != null && field.equals(node.children().get(2).text())) {
            matcher.match(pattern.children().get(0), node.children().get(0), bindings, next);
        }
        return true;
    }

    private static String lastToken(PatternNode node) {
        if (node instanceof PatternNode.Token token) {
            return token.text();
        }
        return node instanceof PatternNode.Node n && n.children().size() == 1 ? lastToken(n.children().get(0)) : null;
    }
}
