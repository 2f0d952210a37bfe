package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Solidity as Semgrep reads it: a function's visibility, mutability, modifiers and return types
 * are attributes a pattern may leave out (it lists those a function must have), every statement
 * sits in a statement node of its own and every operand in an expression node (both wrappers, not
 * Semgrep constructs); a contract's members match in any order, as a class's do; an if pattern
 * without an else also matches an if with one;
 * {@code $X = e} also matches {@code T x = e;}; and a local variable declaration pattern
 * ({@code T x = e;}) also matches a contract's state variable, both Semgrep's variable definition.
 */
final class SoliditySyntax implements LanguageSyntax {
    static final SoliditySyntax INSTANCE = new SoliditySyntax();
    private static final String LOCAL = "variable_declaration_statement";
    private static final String STATE = "state_variable_declaration";
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withUnordered("contract_body")
            .withBlocks("function_body", "block_statement").withExpressionStatements("expression_statement", "statement", "expression")
            .withOptional(Set.of("visibility", "state_mutability", "modifier_invocation", "return_type_definition", "virtual",
                    // A storage location (memory, storage, calldata) is an attribute to Semgrep, which a pattern may leave out.
                    "override_specifier"), Set.of("location"))
            .withKindAliases(Map.of(LOCAL, STATE))
            .withSpelling(new SyntaxTable.Spelling(false, ";", null, "", String.join("; ", Collections.nCopies(3, Placeholders.ELLIPSIS))))
            .withDeclarations(new Declarations(Set.of("assignment_expression"), Set.of(), Set.of(LOCAL), Set.of("variable_declaration")));

    private SoliditySyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    /**
     * Semgrep's If: a pattern without an else matches an if with one. The grammar gives the else
     * branch the same field as the then branch, so it is told by the else before it.
     */
    @Override
    public boolean isOptional(SyntaxNode node) {
        if (TABLE.isOptional(node)) {
            return true;
        }
        SyntaxNode parent = node.parent();
        if (parent == null || !parent.kind().equals("if_statement")) {
            return false;
        }
        if ("else".equals(node.field())) {
            return true;
        }
        List<SyntaxNode> siblings = parent.children();
        int at = siblings.indexOf(node);
        return at > 0 && "else".equals(siblings.get(at - 1).field());
    }

    /** A state variable holds its type and name itself, where a local declaration holds them in a variable declaration. */
    @Override
    public boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (!(pattern.kind().equals(LOCAL) && node.kind().equals(STATE))) {
            return false;
        }
        List<PatternNode> flat = new ArrayList<>();
        for (PatternNode child : pattern.children()) {
            if (child instanceof PatternNode.Node declaration && declaration.kind().equals("variable_declaration")) {
                flat.addAll(declaration.children());
            } else {
                flat.add(child);
            }
        }
        matcher.matchChildren(flat, 0, node.children(), 0, bindings, next);
        return true;
    }
}
