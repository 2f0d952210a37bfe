package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.parse.SyntaxTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Simple constant and symbolic propagation: a variable assigned exactly once in its function (or,
 * failing that, at the top of the file) stands for the expression it was assigned; when that is a
 * literal, {@code "..."} in a pattern matches {@code name} after {@code name = "x"}. Within the
 * function a use sits in, only the writes that reach it count, as in Semgrep's flow-sensitive
 * Dataflow_svalue: those before it, and those after it in a loop around it ({@code q = "..."; q =
 * f(q)} leaves {@code q} constant inside {@code f(q)}).
 */
final class Constants {
    private static final Set<String> FUNCTIONS = Set.of("function_definition", "function_declaration",
            "method_declaration", "constructor_declaration", "arrow_function", "function_expression", "function",
            "method_definition", "func_literal", "lambda", "generator_function_declaration", "anonymous_function");
    private static final Set<String> LITERALS = Set.of("string", "string_literal", "interpreted_string_literal",
            "raw_string_literal", "integer", "float", "number", "decimal_integer_literal", "int_literal", "true", "false");

    /** Plain assignments and definitions: each gives its name one value (other writes make it non-constant). */
    private static final Set<String> DEFINITIONS = Set.of("assignment", "assignment_expression", "short_var_declaration",
            "val_definition", "var_definition", "assignment_statement", "const_spec", "var_spec");

    private static final Set<String> LOOPS = Set.of("for_statement", "for_in_statement", "enhanced_for_statement",
            "while_statement", "do_statement", "foreach_statement", "for_expression", "while_expression", "loop_expression",
            "for", "while", "until");

    /** A write of a name: the node that writes it, and the value written (null when not known). */
    private record Write(SyntaxNode at, SyntaxNode value) {
    }

    /** The kinds {@link #assignment} reads a write from. */
    private static final Set<String> WRITES = Set.of("assignment", "assignment_expression", "variable_declarator",
            "augmented_assignment", "augmented_assignment_expression", "update_expression", "val_definition", "var_definition",
            "const_spec", "var_spec", "assignment_statement", "short_var_declaration");

    private final SyntaxNode root;
    /** For each scope (function or file), each name's writes in the order of the file. */
    private final Map<SyntaxNode, Map<String, List<Write>>> assignments = new IdentityHashMap<>();
    /** The names written anywhere in the file. */
    private final Set<String> written = new HashSet<>();

    Constants(SyntaxTree tree) {
        this.root = tree.root();
        // From the tree's kind index, in preorder: no walk over every node.
        for (SyntaxNode node : tree.nodesOfKinds(WRITES)) {
            collect(node);
        }
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
        if (!written.contains(name)) {
            return null; // most names compared are never written in the file: no walk up to their scopes
        }
        SyntaxNode own = enclosingScope(identifier);
        for (SyntaxNode scope = own; scope != null; scope = scope == root ? null : enclosingScope(scope)) {
            List<Write> writes = assignments.getOrDefault(scope, Map.of()).get(name);
            if (writes != null) {
                List<Write> reaching = scope == own ? reaching(writes, identifier) : writes;
                return reaching.size() == 1 ? reaching.get(0).value() : null;
            }
        }
        return null;
    }

    /** The writes that reach a use in their own scope; all of them when none comes before it. */
    private static List<Write> reaching(List<Write> writes, SyntaxNode use) {
        List<Write> reaching = writes.stream().filter(w -> w.at().end() <= use.start() || inLoopAround(w.at(), use)).toList();
        return reaching.isEmpty() ? writes : reaching;
    }

    /** Whether a write after the use sits in a loop that holds the use too. */
    private static boolean inLoopAround(SyntaxNode write, SyntaxNode use) {
        if (write.start() < use.start()) {
            return false;
        }
        for (SyntaxNode p = use.parent(); p != null && !FUNCTIONS.contains(p.kind()); p = p.parent()) {
            if (LOOPS.contains(p.kind()) && p.start() <= write.start() && write.end() <= p.end()) {
                return true;
            }
        }
        return false;
    }

    private SyntaxNode enclosingScope(SyntaxNode node) {
        for (SyntaxNode p = node.parent(); p != null; p = p.parent()) {
            if (FUNCTIONS.contains(p.kind())) {
                return p;
            }
        }
        return root;
    }

    private void collect(SyntaxNode node) {
        SyntaxNode[] target = assignment(node);
        if (target != null && (target[0].kind().endsWith("identifier") || isVariable(target[0]))) {
            // Other writes (augmented assignments, loops) give the name no known value.
            boolean known = target[1] != null && (node.kind().contains("declarator") || DEFINITIONS.contains(node.kind()));
            written.add(target[0].text());
            assignments.computeIfAbsent(enclosingScope(node), s -> new HashMap<>())
                    .computeIfAbsent(target[0].text(), n -> new ArrayList<>()).add(new Write(node, known ? target[1] : null));
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
            // Go's const x = e and var x T = e (one name, one value).
            case "const_spec", "var_spec" -> {
                List<SyntaxNode> names = children.stream().filter(c -> "name".equals(c.field())).toList();
                SyntaxNode values = LanguageSyntax.field(node, "value");
                yield names.size() == 1 && values != null && values.children().size() == 1
                        ? new SyntaxNode[] {names.get(0), values.children().get(0)} : null;
            }
            // Go's x = e; an update (x += e) is a write of no known value.
            case "assignment_statement" -> {
                SyntaxNode left = LanguageSyntax.field(node, "left");
                SyntaxNode right = LanguageSyntax.field(node, "right");
                SyntaxNode operator = LanguageSyntax.field(node, "operator");
                if (left == null || right == null || operator == null || left.children().size() != 1 || right.children().size() != 1) {
                    yield null;
                }
                yield new SyntaxNode[] {left.children().get(0), operator.text().equals("=") ? right.children().get(0) : null};
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
