package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Simple constant and symbolic propagation: a variable assigned exactly once in its function (or,
 * failing that, at the top of the file) stands for the expression it was assigned; when that is a
 * literal, {@code "..."} in a pattern matches {@code name} after {@code name = "x"}.
 */
final class Constants {
    private static final Set<String> FUNCTIONS = Set.of("function_definition", "function_declaration",
            "method_declaration", "constructor_declaration", "arrow_function", "function_expression", "function",
            "method_definition", "func_literal", "lambda", "generator_function_declaration", "anonymous_function");
    private static final Set<String> LITERALS = Set.of("string", "string_literal", "interpreted_string_literal",
            "raw_string_literal", "integer", "float", "number", "decimal_integer_literal", "int_literal", "true", "false");

    /** Plain assignments and definitions: each gives its name one value (other writes make it non-constant). */
    private static final Set<String> DEFINITIONS = Set.of("assignment", "assignment_expression", "short_var_declaration",
            "val_definition", "var_definition");

    private final SyntaxNode root;
    /** For each scope (function or file), each name's assigned values; null marks a non-literal. */
    private final Map<SyntaxNode, Map<String, List<SyntaxNode>>> assignments = new IdentityHashMap<>();

    Constants(SyntaxNode root) {
        this.root = root;
        collect(root, root);
    }

    /** The literal the identifier stands for here, or null. */
    SyntaxNode valueOf(SyntaxNode identifier) {
        SyntaxNode value = definitionOf(identifier);
        return value != null && isLiteral(value) ? value : null;
    }

    /** A literal; PHP's double-quoted string is one when it interpolates nothing. */
    static boolean isLiteral(SyntaxNode value) {
        return LITERALS.contains(value.kind())
                || value.kind().equals("encapsed_string") && value.children().stream().noneMatch(c -> Strings.isInterpolation(c.kind()));
    }

    /** A name that can hold a constant: an identifier, or PHP's variable ({@code $x}, a sigil and a name). */
    static boolean isVariable(SyntaxNode node) {
        return node.kind().equals("identifier") || node.kind().equals("variable_name");
    }

    /** The expression a variable assigned exactly once in its scope was assigned, or null. */
    SyntaxNode definitionOf(SyntaxNode identifier) {
        String name = identifier.text();
        for (SyntaxNode scope = enclosingScope(identifier); scope != null; scope = scope == root ? null : enclosingScope(scope)) {
            List<SyntaxNode> values = assignments.getOrDefault(scope, Map.of()).get(name);
            if (values != null) {
                return values.size() == 1 ? values.get(0) : null;
            }
        }
        return null;
    }

    private SyntaxNode enclosingScope(SyntaxNode node) {
        for (SyntaxNode p = node.parent(); p != null; p = p.parent()) {
            if (FUNCTIONS.contains(p.kind())) {
                return p;
            }
        }
        return root;
    }

    private void collect(SyntaxNode node, SyntaxNode scope) {
        SyntaxNode inner = FUNCTIONS.contains(node.kind()) ? node : scope;
        SyntaxNode[] target = assignment(node);
        if (target != null && (target[0].kind().endsWith("identifier") || isVariable(target[0]))) {
            SyntaxNode value = target[1];
            assignments.computeIfAbsent(scope, s -> new HashMap<>())
                    .computeIfAbsent(target[0].text(), n -> new ArrayList<>()).add(value);
            if (target[1] == null || !node.kind().contains("declarator") && !DEFINITIONS.contains(node.kind())) {
                // Other writes (augmented assignments, loops) make the name non-constant.
                assignments.get(scope).get(target[0].text()).add(null);
            }
        }
        for (SyntaxNode child : node.children()) {
            collect(child, inner);
        }
    }

    /** The name and value a node assigns, or null when it assigns nothing. */
    private static SyntaxNode[] assignment(SyntaxNode node) {
        List<SyntaxNode> children = node.children();
        return switch (node.kind()) {
            case "assignment", "assignment_expression", "variable_declarator" ->
                    children.size() >= 3 ? new SyntaxNode[] {children.get(0), children.get(children.size() - 1)} : null;
            case "augmented_assignment", "augmented_assignment_expression", "update_expression" ->
                    children.isEmpty() ? null : new SyntaxNode[] {children.get(0), null};
            // Scala's val x: T = e and var x = e.
            case "val_definition", "var_definition" -> {
                SyntaxNode name = LanguageSyntax.field(node, "pattern");
                SyntaxNode value = LanguageSyntax.field(node, "value");
                yield name == null || value == null ? null : new SyntaxNode[] {name, value};
            }
            case "short_var_declaration" -> {
                if (children.size() != 3 || children.get(0).children().size() != 1 || children.get(2).children().size() != 1) {
                    yield null;
                }
                yield new SyntaxNode[] {children.get(0).children().get(0), children.get(2).children().get(0)};
            }
            default -> null;
        };
    }
}
