package dev.freshet.engine.taint;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The node kinds of the tree-sitter grammars (Python, JavaScript/TypeScript, Java, Go, C#) that data
 * flow cares about. Grammars share most kind and field names, so one table serves them all.
 */
final class Syntax {
    private Syntax() {
    }

    /** Functions analyzed on their own, starting with nothing tainted but what sources say. */
    static final Set<String> NAMED_FUNCTIONS = Set.of("function_definition", "function_declaration", "method_declaration",
            "constructor_declaration", "method_definition", "generator_function_declaration",
            "compact_constructor_declaration", "local_function_statement");
    /** Lambdas and function expressions (PHP's closures too): they see the variables around them as they are where they appear. */
    static final Set<String> ANONYMOUS_FUNCTIONS = Set.of("lambda", "arrow_function", "function_expression", "function",
            "generator_function", "func_literal", "lambda_expression", "anonymous_function");
    /** Bash's and PHP's {@code variable_name} names a variable both where it is set ({@code x=...}) and read ({@code ${x}}). */
    static final Set<String> VARIABLES = Set.of("identifier", "this", "shorthand_property_identifier", "variable_name");
    static final Set<String> MEMBERS = Set.of("attribute", "member_expression", "field_access", "selector_expression",
            "member_access_expression");
    static final Set<String> CALLS = Set.of("call", "call_expression", "new_expression", "method_invocation",
            "object_creation_expression", "function_call_expression", "member_call_expression", "scoped_call_expression", "invocation_expression");
    static final Set<String> SUBSCRIPTS = Set.of("subscript", "subscript_expression", "array_access", "index_expression",
            "slice_expression");
    static final Set<String> ASSIGNMENTS = Set.of("assignment", "augmented_assignment", "assignment_expression",
            "augmented_assignment_expression", "assignment_statement", "short_var_declaration", "variable_declarator",
            "var_spec", "const_spec", "named_expression", "resource", "range_clause", "variable_assignment",
            "operator_assignment", "val_definition", "var_definition", "variable_declaration_statement");
    /** What a declaration statement declares, where the grammar gives it no field (Solidity). */
    static final Set<String> DECLARED = Set.of("variable_declaration", "variable_declaration_tuple");
    static final Set<String> RETURNS = Set.of("return_statement", "throw_statement", "raise_statement");
    static final Set<String> LOOPS = Set.of("while_statement", "for_statement", "for_in_statement", "enhanced_for_statement",
            "do_statement");
    static final Set<String> TRIES = Set.of("try_statement", "try_with_resources_statement");
    static final Set<String> HANDLERS = Set.of("except_clause", "except_group_clause", "catch_clause");
    /** Alternatives of a switch or match: each starts from the state before the first. */
    static final Set<String> CASES = Set.of("switch_case", "switch_default", "switch_block_statement_group", "switch_rule",
            "expression_case", "default_case", "type_case", "communication_case", "case_clause");
    static final Set<String> COMPREHENSIONS = Set.of("list_comprehension", "set_comprehension", "dictionary_comprehension",
            "generator_expression");
    static final Set<String> TERNARIES = Set.of("ternary_expression", "conditional_expression");
    /** Lists on the left of an assignment, matched element by element with a list on the right. */
    static final Set<String> TARGET_LISTS = Set.of("pattern_list", "tuple_pattern", "list_pattern", "expression_list",
            "array_pattern", "tuple", "list", "array");
    static final Set<String> COMPARISON_OPERATORS = Set.of("==", "!=", "===", "!==", "<", ">", "<=", ">=", "instanceof",
            "in", "not", "!");
    private static final Set<String> NOT_EXPRESSIONS_SUFFIXES = Set.of("statement", "declaration", "definition", "block",
            "clause", "declarator", "body", "program", "module", "source_file", "list");

    static SyntaxNode field(SyntaxNode node, String name) {
        for (SyntaxNode child : node.children()) {
            if (name.equals(child.field())) {
                return child;
            }
        }
        return null;
    }

    static List<SyntaxNode> fields(SyntaxNode node, String name) {
        List<SyntaxNode> out = new ArrayList<>();
        for (SyntaxNode child : node.children()) {
            if (name.equals(child.field())) {
                out.add(child);
            }
        }
        return out;
    }

    static List<SyntaxNode> named(SyntaxNode node) {
        List<SyntaxNode> out = new ArrayList<>();
        for (SyntaxNode child : node.children()) {
            if (child.named() && !child.kind().equals("comment")) {
                out.add(child);
            }
        }
        return out;
    }

    static boolean isFunction(String kind) {
        return NAMED_FUNCTIONS.contains(kind) || ANONYMOUS_FUNCTIONS.contains(kind);
    }

    /** The object of a member access ({@code a} in {@code a.b}). */
    static SyntaxNode object(SyntaxNode member) {
        SyntaxNode object = field(member, "object");
        object = object != null ? object : field(member, "operand");
        return object != null ? object : field(member, "expression");
    }

    /** The field name of a member access ({@code b} in {@code a.b}). */
    static SyntaxNode property(SyntaxNode member) {
        for (String name : List.of("attribute", "property", "field", "name")) {
            SyntaxNode property = field(member, name);
            if (property != null) {
                return property;
            }
        }
        return null;
    }

    /** {@code x}, {@code this.a}, {@code x.a.b} as a path, or null when the node is not a variable or field path. */
    static String path(SyntaxNode node) {
        String kind = node.kind();
        if (VARIABLES.contains(kind)) {
            return node.text();
        }
        if (MEMBERS.contains(kind)) {
            SyntaxNode object = object(node);
            SyntaxNode property = property(node);
            String base = object == null || property == null ? null : path(object);
            return base == null ? null : base + "." + property.text();
        }
        if (kind.equals("parenthesized_expression")) {
            List<SyntaxNode> inner = named(node);
            return inner.size() == 1 ? path(inner.get(0)) : null;
        }
        return null;
    }

    /** Whether a sanitizer that covers this node cleans its value (statements are cleaned part by part). */
    static boolean isExpression(SyntaxNode node) {
        String kind = node.kind();
        if (ASSIGNMENTS.contains(kind) || isFunction(kind) || CASES.contains(kind)) {
            return false;
        }
        for (String suffix : NOT_EXPRESSIONS_SUFFIXES) {
            if (kind.endsWith(suffix) && !kind.equals("expression_list")) {
                return false;
            }
        }
        return true;
    }

    /** A comparison or negation: with {@code taint_assume_safe_booleans} its value is never tainted. */
    static boolean isBoolean(SyntaxNode node) {
        String kind = node.kind();
        if (kind.equals("comparison_operator") || kind.equals("not_operator") || kind.equals("instanceof_expression")) {
            return true;
        }
        if (kind.equals("binary_expression") || kind.equals("unary_expression")) {
            SyntaxNode operator = field(node, "operator");
            return operator != null && COMPARISON_OPERATORS.contains(operator.text());
        }
        return false;
    }
}
