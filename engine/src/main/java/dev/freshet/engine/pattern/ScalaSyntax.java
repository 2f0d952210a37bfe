package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Scala's kinds and Semgrep's Scala equivalences: {@code $X = e} also matches {@code val x: T = e};
 * a parameter binds its name; {@code import a.b} also matches {@code import a.b._}; and a method
 * named by an operator is the same call written {@code x.!} or postfix {@code x !}, which Semgrep's
 * Scala translation turns into the same member access.
 */
final class ScalaSyntax implements LanguageSyntax {
    static final ScalaSyntax INSTANCE = new ScalaSyntax();
    private static final Declarations DECLARATIONS =
            new Declarations(Set.of("assignment_expression"), Set.of(), Set.of("val_definition", "var_definition"));
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withBlocks("block", "template_body")
            // "__fell__:" would be one identifier in Scala (a name ending in _ takes the operator after it).
            .withSpelling(new SyntaxTable.Spelling(false, "", Pattern.compile("\\bdef\\s+[\\w$]+\\s*(\\[[^\\]]*\\])?\\s*$"),
                    Placeholders.ELLIPSIS + " : " + Placeholders.ELLIPSIS, ""))
            .withParameterNames(Map.of("parameter", "name"))
            .withDeclarations(DECLARATIONS);
    private static final String MEMBER = "field_expression";
    private static final String POSTFIX = "postfix_expression";

    private ScalaSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    /** The {@code ._} that ends a wildcard import, which a pattern naming the package alone leaves out. */
    @Override
    public boolean isOptional(SyntaxNode node) {
        SyntaxNode parent = node.parent();
        return TABLE.isOptional(node) || parent != null && parent.kind().equals("import_declaration") && node.field() == null
                && (node.kind().equals("namespace_wildcard") || node.kind().equals(".")
                && parent.children().stream().anyMatch(c -> c.kind().equals("namespace_wildcard")));
    }

    @Override
    public boolean matchesOtherKind(PatternNode.Node pattern, SyntaxNode node) {
        return DECLARATIONS.startsAt(pattern, node) || pattern.kind().equals(MEMBER) && node.kind().equals(POSTFIX);
    }

    @Override
    public List<SyntaxNode> candidates(PatternNode.Node pattern, Function<String, List<SyntaxNode>> byKind) {
        List<SyntaxNode> all = LanguageSyntax.super.candidates(pattern, byKind);
        return pattern.kind().equals(MEMBER) ? LanguageSyntax.withKinds(all, byKind, List.of(POSTFIX)) : all;
    }

    @Override
    public void matchEquivalent(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (pattern.kind().equals(MEMBER) && node.kind().equals(POSTFIX)) {
            // x.op and x op: the same receiver and operator, without the dot.
            List<PatternNode> withoutDot = pattern.children().stream()
                    .filter(child -> !(child instanceof PatternNode.Token token && token.text().equals("."))).toList();
            matcher.matchChildren(withoutDot, 0, node.children(), 0, bindings, next);
        } else {
            DECLARATIONS.match(matcher, pattern, node, bindings, next);
        }
    }
}
