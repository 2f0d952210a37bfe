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
record Declarations(Set<String> assignments, Set<String> declarations, Set<String> declarators, Set<String> nameHolders) {

    /**
     * @param nameHolders kinds of a declarator's child that holds the declared name, in its {@code name} field or
     *                    else first (Kotlin's {@code val x: T} holds {@code x: T} in one); otherwise the name is the
     *                    declarator's {@code name} or {@code pattern} field, or its first child
     */
    Declarations {
    }

    Declarations(Set<String> assignments, Set<String> declarations, Set<String> declarators) {
        this(assignments, declarations, declarators, Set.of());
    }

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
            SyntaxNode name = name(node);
            if (name != null) {
                matcher.match(children.get(0), name, bindings, b -> matcher.match(children.get(2), value, b, next));
            }
        }
    }

    /** The declared name, or null when the declarator has no initializer. */
    private SyntaxNode name(SyntaxNode declarator) {
        if (declarator.children().stream().noneMatch(c -> !c.named() && (c.text().equals("=") || c.text().equals(":=")))) {
            return null;
        }
        SyntaxNode name = LanguageSyntax.field(declarator, "name");
        name = name != null ? name : LanguageSyntax.field(declarator, "pattern");
        for (SyntaxNode child : declarator.children()) {
            if (name == null && nameHolders.contains(child.kind()) && !child.children().isEmpty()) {
                SyntaxNode named = LanguageSyntax.field(child, "name");
                name = named != null ? named : child.children().get(0);
            }
        }
        return name != null ? name : declarator.children().get(0);
    }

    private static boolean declaresSeveral(SyntaxNode declarator) {
        return declarator.children().stream().filter(c -> "name".equals(c.field())).count() > 1;
    }
}
