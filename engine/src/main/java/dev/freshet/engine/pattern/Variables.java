package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.Set;

/**
 * Which variable a name refers to, as far as parameters tell: Semgrep unifies a metavariable
 * bound twice only when both bindings name the same variable, so {@code token} in one function
 * is not {@code token} in another when each function declares it as a parameter.
 */
final class Variables {
    private static final Set<String> FUNCTIONS = Set.of("function_definition", "function_declaration",
            "method_declaration", "constructor_declaration", "arrow_function", "function_expression", "function",
            "method_definition", "func_literal", "lambda", "lambda_expression", "generator_function_declaration",
            "generator_function");
    /** Where a function lists what it declares: parameters, a lone arrow parameter, a Go receiver. */
    private static final Set<String> PARAMETER_FIELDS = Set.of("parameters", "parameter", "receiver");
    /** Local declarations: a variable declared in a block is its own there, as Semgrep names each local apart. */
    private static final Set<String> DECLARATIONS = Set.of("val_definition", "var_definition", "local_variable_declaration",
            "lexical_declaration");
    /** Parts of a parameter that name no variable: its type and its default value. */
    private static final Set<String> NOT_NAMES = Set.of("type", "value", "right", "default_value");

    /** Python's function, whose assignments declare its locals (C's function_definition assigns with assignment_expression). */
    private static final String PYTHON_FUNCTION = "function_definition";

    private Variables() {
    }

    /** Whether two identifiers of the same name denote the same variable (unknown counts as same). */
    static boolean same(SyntaxNode a, SyntaxNode b) {
        return a == b || !a.kind().equals("identifier") || !b.kind().equals("identifier")
                || declaringScope(a) == declaringScope(b);
    }

    /**
     * Whether two pieces of the same code name the same variables throughout ({@code f(_pool)} in
     * one function is not {@code f(_pool)} in another where each declares {@code _pool}).
     */
    static boolean sameThroughout(SyntaxNode a, SyntaxNode b) {
        if (a.kind().equals("identifier") || b.kind().equals("identifier")) {
            return same(a, b);
        }
        if (a.children().size() != b.children().size()) {
            return true;
        }
        for (int i = 0; i < a.children().size(); i++) {
            if (!sameThroughout(a.children().get(i), b.children().get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The innermost function that declares the identifier's name as a parameter, or block that
     * declares it as a local variable; null when none does.
     */
    private static SyntaxNode declaringScope(SyntaxNode identifier) {
        String name = identifier.text();
        for (SyntaxNode scope = identifier.parent(); scope != null; scope = scope.parent()) {
            boolean function = FUNCTIONS.contains(scope.kind());
            for (SyntaxNode child : scope.children()) {
                // Solidity lists its parameters straight in the function, without a field.
                boolean declaration = function ? child.field() != null && PARAMETER_FIELDS.contains(child.field())
                        || child.kind().equals("parameter")
                        : DECLARATIONS.contains(child.kind());
                if (declaration && declares(child, name)) {
                    return scope;
                }
            }
            if (scope.kind().equals(PYTHON_FUNCTION) && assignsLocally(scope, name)) {
                return scope;
            }
        }
        return null;
    }

    /**
     * Python's scoping, which Semgrep's naming follows: a name a function assigns (and does not
     * declare global or nonlocal) is that function's own local, not the module's variable.
     */
    private static boolean assignsLocally(SyntaxNode function, String name) {
        SyntaxNode body = LanguageSyntax.field(function, "body");
        boolean[] assigned = {false};
        boolean[] outer = {false};
        if (body != null) {
            visitOwnCode(body, node -> {
                if (node.kind().equals("assignment") && LanguageSyntax.field(node, "left") != null
                        && LanguageSyntax.field(node, "left").kind().equals("identifier")
                        && LanguageSyntax.field(node, "left").text().equals(name)) {
                    assigned[0] = true;
                } else if ((node.kind().equals("global_statement") || node.kind().equals("nonlocal_statement"))
                        && node.children().stream().anyMatch(c -> c.kind().equals("identifier") && c.text().equals(name))) {
                    outer[0] = true;
                }
            });
        }
        return assigned[0] && !outer[0];
    }

    /** The nodes of a function body outside the functions and classes nested in it. */
    private static void visitOwnCode(SyntaxNode node, java.util.function.Consumer<SyntaxNode> visit) {
        visit.accept(node);
        for (SyntaxNode child : node.children()) {
            if (!child.kind().equals(PYTHON_FUNCTION) && !child.kind().equals("class_definition") && !child.kind().equals("lambda")) {
                visitOwnCode(child, visit);
            }
        }
    }

    private static boolean declares(SyntaxNode parameters, String name) {
        if (parameters.kind().equals("identifier")) {
            return parameters.text().equals(name);
        }
        for (SyntaxNode child : parameters.children()) {
            if (!(child.field() != null && NOT_NAMES.contains(child.field())) && declares(child, name)) {
                return true;
            }
        }
        return false;
    }
}
