package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.parse.SyntaxTree;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Clojure as Semgrep reads it: not as code but as a raw tree of forms ({@code Parse_clojure_tree_sitter}
 * builds {@code Raw_tree}s, which {@code Generic_vs_generic.m_raw_tree} matches). So a pattern is
 * read by the same reader as a file, and:
 * <ul>
 * <li>atoms match when written the same (a symbol, keyword, number or string token compared as text);
 * {@code a.b/c} is two tokens, its namespace and its name;</li>
 * <li>{@code $X} is any one form, {@code ...} any run of forms, {@code "..."} any string;</li>
 * <li>a collection matches one of its kind whose forms match in order, all of them: there is no
 * implicit ellipsis at either end (m_list_with_dots with less_is_ok false);</li>
 * <li>a pattern of several forms is a list of forms ({@code Raw (List ...)}), matching the forms of
 * any collection or of the whole file; a pattern of one form is that form
 * ({@code Parse_pattern.normalize_any}).</li>
 * </ul>
 * There is no deep expression operator or any other equivalence in raw trees.
 */
final class ClojureSyntax implements LanguageSyntax {
    static final ClojureSyntax INSTANCE = new ClojureSyntax();
    /** The reader's root: the kind of a pattern of several forms. */
    private static final String FORMS = "source";
    /** Kinds that hold a list of forms, which such a pattern matches. */
    private static final List<String> FORM_LISTS = List.of(FORMS, "list_lit", "vec_lit", "map_lit", "set_lit", "anon_fn_lit",
            "read_cond_lit", "splicing_read_cond_lit");
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withBlocks().withExpressionStatements();
    private static final Pattern METAVARIABLE = Pattern.compile("\\$[A-Z_][A-Z0-9_]*");
    private static final Pattern METAVARIABLE_ELLIPSIS = Pattern.compile("\\$\\.\\.\\.[A-Z_][A-Z0-9_]*");

    private ClojureSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    /** The pattern the forms of a parsed pattern make. */
    static PatternNode pattern(SyntaxTree tree) throws PatternException {
        if (tree.errorCount() > 0) {
            throw new PatternException("does not read as Clojure forms (unbalanced brackets or an unterminated string)");
        }
        List<SyntaxNode> forms = tree.root().children();
        if (forms.isEmpty()) {
            throw new PatternException("empty pattern");
        }
        return forms.size() == 1 ? convert(forms.get(0)) : convert(tree.root());
    }

    private static PatternNode convert(SyntaxNode node) {
        String text = node.text();
        if (!node.isLeaf()) {
            List<PatternNode> children = new ArrayList<>(node.children().size());
            node.children().forEach(child -> children.add(convert(child)));
            return new PatternNode.Node(node.kind(), children);
        }
        if (text.equals("...") && node.kind().equals("sym_lit")) {
            return new PatternNode.Ellipsis();
        }
        if (METAVARIABLE_ELLIPSIS.matcher(text).matches() && node.kind().equals("sym_lit")) {
            return new PatternNode.MetavariableEllipsis(text);
        }
        if (METAVARIABLE.matcher(text).matches()) {
            // Any one form (or either part of a namespaced symbol: a.b/$F).
            return new PatternNode.Metavariable(text);
        }
        if (text.equals("\"...\"") && node.kind().equals("str_lit")) {
            // A string node with no children to match: any string.
            return new PatternNode.Node("str_lit", List.of());
        }
        return new PatternNode.Token(text);
    }

    @Override
    public boolean matchesOtherKind(PatternNode.Node pattern, SyntaxNode node) {
        return pattern.kind().equals(FORMS) && FORM_LISTS.contains(node.kind());
    }

    @Override
    public List<SyntaxNode> candidates(PatternNode.Node pattern, Function<String, List<SyntaxNode>> byKind) {
        return pattern.kind().equals(FORMS) ? LanguageSyntax.withKinds(List.of(), byKind, FORM_LISTS) : byKind.apply(pattern.kind());
    }

    /** Several forms match the forms of any collection, all of them in order. */
    @Override
    public boolean matchOtherKindOnly(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (!matchesOtherKind(pattern, node)) {
            return false;
        }
        matcher.matchChildren(pattern.children(), 0, node.children(), 0, bindings, next);
        return true;
    }
}
