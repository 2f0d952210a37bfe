package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Scala's kinds and Semgrep's Scala equivalences: {@code $X = e} also matches {@code val x: T = e};
 * a parameter binds its name; an import pattern names a prefix of the import; {@code sql"..."} is
 * any string the interpolator builds; and a method named by an operator is the same call written
 * {@code x.!} or postfix {@code x !}, which Semgrep's Scala translation turns into the same member access.
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
    private static final String INTERPOLATED = "interpolated_string_expression";
    private static final String FUNCTION = "function_definition";
    private static final String RESULT_TYPE = "return_type";

    private ScalaSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    /**
     * An import pattern names a prefix of what the file imports, as Semgrep's module names match:
     * {@code import a.b} also matches {@code import a.b._}, {@code import a.b.C} and {@code import a.b.{C, D}}.
     */
    @Override
    public boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (pattern.kind().equals(INTERPOLATED) && pattern.children().size() == 2
                && pattern.children().get(1) instanceof PatternNode.StringLiteral literal && literal.content() == null
                && literal.regex() == null && literal.metavariable() == null && node.children().size() == 2) {
            // sql"..." is any string the sql interpolator builds, whatever it interpolates (Semgrep's
            // "..." among an interpolated string's parts).
            matcher.match(pattern.children().get(0), node.children().get(0), bindings, next);
            return true;
        }
        if (pattern.kind().equals(FUNCTION) && pattern.children().stream().noneMatch(ScalaSyntax::isColon)) {
            // A def pattern without a result type matches a def with one (Semgrep's
            // m_option_none_can_match_some on a function's return type).
            List<SyntaxNode> untyped = node.children().stream()
                    .filter(c -> !RESULT_TYPE.equals(c.field()) && !(!c.named() && c.text().equals(":"))).toList();
            matcher.matchChildren(pattern.children(), 0, untyped, 0, bindings, next);
            return true;
        }
        if (!pattern.kind().equals("import_declaration")) {
            return false;
        }
        List<SyntaxNode> children = node.children();
        for (int end = 1; end <= children.size(); end++) {
            SyntaxNode last = children.get(end - 1);
            if (end == children.size() || "path".equals(last.field()) && last.named()) {
                matcher.matchChildren(pattern.children(), 0, children.subList(0, end), 0, bindings, next);
            }
        }
        return true;
    }

    private static boolean isColon(PatternNode child) {
        return child instanceof PatternNode.Token token && token.text().equals(":");
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
