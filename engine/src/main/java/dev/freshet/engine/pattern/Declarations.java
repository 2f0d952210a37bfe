package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Semgrep's assignment-declaration equivalence in the kinds of one grammar: {@code $X = new Foo()}
 * matches {@code Foo x = new Foo();} and {@code const x = new Foo()}, a declaration of one
 * variable with an initializer. A declarator of several names (Go's {@code var a, b = f()}) is a
 * tuple definition and stands for no single variable's.
 */
record Declarations(Set<String> assignments, Set<String> declarations, Set<String> declarators) {

    boolean startsAt(PatternNode.Node pattern, SyntaxNode node) {
        return assignments.contains(pattern.kind()) && declarators.contains(node.kind());
    }

    List<SyntaxNode> candidates(PatternNode.Node pattern, List<SyntaxNode> sameKind,
                                Function<String, List<SyntaxNode>> byKind) {
        return assignments.contains(pattern.kind()) ? LanguageSyntax.withKinds(sameKind, byKind, List.copyOf(declarators)) : sameKind;
    }

    void match(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        List<PatternNode> children = pattern.children();
        if (!assignments.contains(pattern.kind()) || children.size() != 3) {
            return;
        }
        if (declarations.contains(node.kind())) {
            List<SyntaxNode> declared = node.children().stream().filter(c -> declarators.contains(c.kind())).toList();
            if (declared.size() == 1) {
                matcher.match(pattern, declared.get(0), bindings, next);
            }
        } else if (declarators.contains(node.kind()) && node.children().size() >= 3 && !declaresSeveral(node)) {
            List<SyntaxNode> parts = node.children();
            SyntaxNode value = parts.get(parts.size() - 1);
            matcher.match(children.get(0), parts.get(0), bindings, b -> matcher.match(children.get(2), value, b, next));
        }
    }

    private static boolean declaresSeveral(SyntaxNode declarator) {
        return declarator.children().stream().filter(c -> "name".equals(c.field())).count() > 1;
    }
}
