package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.parse.SyntaxTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The types a file declares for its expressions, as far as local reading tells: variables,
 * fields and parameters with written types (or initialized with {@code new T()}, {@code T{}} or a
 * literal), object creations, casts and literals. Nothing is inferred across calls; an expression
 * whose type is unknown has none, and a typed metavariable does not match it (as in Semgrep).
 */
final class Types {
    /** Nodes that open a scope for the declarations directly inside them. */
    private static final Set<String> SCOPES = Set.of("block", "statement_block", "statement_list", "class_body",
            "program", "module", "source_file", "method_declaration", "constructor_declaration", "lambda_expression",
            "function_declaration", "function_definition", "func_literal", "function_expression", "arrow_function",
            "method_definition", "enhanced_for_statement", "for_statement", "catch_clause", "try_with_resources_statement",
            "function", "generator_function_declaration", "class_declaration", "class",
            // C#'s top-level statements (C# 9) declare their locals in the file's own scope.
            "compilation_unit");
    /** C's scopes: blocks and the file. */
    private static final Set<String> C_SCOPES = Set.of("compound_statement", "translation_unit", "for_statement");
    /** Literal kinds and the built-in type each has. */
    private static final Map<String, String> LITERALS = Map.ofEntries(
            Map.entry("string_literal", "string"), Map.entry("text_block", "string"), Map.entry("string", "string"),
            Map.entry("template_string", "string"), Map.entry("interpreted_string_literal", "string"),
            Map.entry("raw_string_literal", "string"), Map.entry("concatenated_string", "string"),
            Map.entry("decimal_integer_literal", "int"), Map.entry("hex_integer_literal", "int"),
            Map.entry("int_literal", "int"), Map.entry("integer", "int"),
            Map.entry("decimal_floating_point_literal", "float"), Map.entry("float_literal", "float"), Map.entry("float", "float"),
            Map.entry("number", "number"), Map.entry("true", "bool"), Map.entry("false", "bool"));
    /** The names a type pattern may give each built-in type. */
    private static final Map<String, Set<String>> BUILTIN_NAMES = Map.of(
            "string", Set.of("string", "str", "String", "java.lang.String"),
            "int", Set.of("int", "integer", "Integer", "long", "Long", "short", "byte"),
            "float", Set.of("float", "double", "Float", "Double", "float64", "float32"),
            "number", Set.of("number", "float", "int"),
            "bool", Set.of("bool", "boolean", "Boolean"));
    /** Type names (built-in or written) whose values are numbers. */
    private static final Set<String> NUMBERS = Set.of("int", "float", "number", "long", "short", "byte", "double",
            "Integer", "Long", "Short", "Byte", "Float", "Double", "BigInteger", "BigDecimal", "int8", "int16", "int32",
            "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "float32", "float64", "bigint");
    private static final int MAX_DEPTH = 16;
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "===", "!==", "<", ">", "<=", ">=", "&&", "||");

    /** A type as written ({@code builtin} false) or the built-in type of a literal. */
    record Type(String text, boolean builtin) {
    }

    private record Declaration(SyntaxNode type, SyntaxNode value, String suffix) {
    }

    private final SyntaxTree tree;
    private final Imports imports;
    private final Constants constants;
    private final Map<SyntaxNode, Map<String, Declaration>> scopes = new IdentityHashMap<>();

    Types(SyntaxTree tree, Imports imports, Constants constants) {
        this.tree = tree;
        this.imports = imports;
        this.constants = constants;
        tree.nodes().forEach(this::collect);
    }

    /** Whether the file tells that the expression is a number. */
    boolean isNumber(SyntaxNode expression) {
        Type type = typeOf(expression);
        return type != null && NUMBERS.contains(type.text());
    }

    /** The expression's type, or null when the file does not tell. */
    Type typeOf(SyntaxNode expression) {
        return typeOf(expression, 0);
    }

    private Type typeOf(SyntaxNode node, int depth) {
        if (depth > MAX_DEPTH) {
            return null;
        }
        String literal = LITERALS.get(node.kind());
        if (literal != null && isC() && literal.equals("string")) {
            // A C string literal is a char pointer (Generic_vs_generic's m_compatible_type "for C specific literals").
            return new Type("char*", false);
        }
        if (literal != null) {
            return new Type(literal, true);
        }
        return switch (node.kind()) {
            // C# wraps each argument in a node of its own (which may name it or add ref/out).
            case "parenthesized_expression", "argument" -> node.children().size() == 1 ? typeOf(node.children().get(0), depth + 1) : null;
            case "identifier" -> declared(node, node.text(), depth);
            case "field_access" -> {
                SyntaxNode object = field(node, "object");
                SyntaxNode name = field(node, "field");
                yield object != null && object.kind().equals("this") && name != null ? declared(node, name.text(), depth) : null;
            }
            case "object_creation_expression", "cast_expression", "composite_literal" -> written(field(node, "type"));
            case "array_creation_expression" -> {
                SyntaxNode type = field(node, "type");
                long dimensions = node.children().stream().filter(c -> c.kind().startsWith("dimensions")).count();
                yield type == null ? null : new Type(normalize(type.text()) + "[]".repeat((int) Math.max(1, dimensions)), false);
            }
            case "binary_expression", "comparison_operator", "boolean_operator", "instanceof_expression" -> binary(node, depth);
            case "not_operator" -> new Type("bool", true);
            case "new_expression" -> written(field(node, "constructor"));
            case "as_expression" -> node.children().size() >= 2 ? written(node.children().get(node.children().size() - 1)) : null;
            case "unary_expression" -> {
                // Go's &T{...} is a *T.
                SyntaxNode operand = field(node, "operand");
                Type inner = operand != null && operand.kind().equals("composite_literal") && node.text().startsWith("&")
                        ? typeOf(operand, depth + 1) : null;
                yield inner == null ? null : new Type("*" + inner.text(), false);
            }
            case "call_expression" -> {
                // Go's new(T) is a *T.
                SyntaxNode function = field(node, "function");
                SyntaxNode arguments = field(node, "arguments");
                yield tree.language() == Language.GO && function != null && function.text().equals("new") && arguments != null
                        && arguments.children().size() == 1 ? new Type("*" + normalize(arguments.children().get(0).text()), false) : null;
            }
            default -> null;
        };
    }

    /** Comparisons and logic are booleans; adding to a string makes a string. */
    private Type binary(SyntaxNode node, int depth) {
        List<SyntaxNode> children = node.children();
        String operator = children.size() == 3 ? children.get(1).text() : "";
        if (node.kind().equals("comparison_operator") || node.kind().equals("boolean_operator")
                || node.kind().equals("instanceof_expression") || COMPARISONS.contains(operator)) {
            return new Type("bool", true);
        }
        if (operator.equals("+")) {
            for (SyntaxNode operand : List.of(children.get(0), children.get(2))) {
                Type type = typeOf(operand, depth + 1);
                if (type != null && (type.builtin() && type.text().equals("string") || type.text().equals("String"))) {
                    return new Type("string", true);
                }
            }
        }
        return null;
    }

    private static Type written(SyntaxNode type) {
        return type == null ? null : new Type(normalize(type.text()), false);
    }

    /** The declared type of {@code name} as seen from {@code use}: the innermost declaration in scope. */
    private Type declared(SyntaxNode use, String name, int depth) {
        for (SyntaxNode scope = use; scope != null; scope = scope.parent()) {
            Map<String, Declaration> names = scopes.get(scope);
            Declaration declaration = names == null ? null : names.get(name);
            if (declaration != null) {
                if (declaration.type() != null) {
                    return new Type(normalize(declaration.type().text()) + declaration.suffix(), false);
                }
                if (declaration.value() == null) {
                    return null;
                }
                Type value = typeOf(declaration.value(), depth + 1);
                return value == null ? null : new Type(value.text() + declaration.suffix(), value.builtin());
            }
        }
        if (use.kind().equals("identifier")) {
            // A name assigned a literal once (Python has no declarations) has the literal's type.
            SyntaxNode constant = constants.valueOf(use);
            String literal = constant == null ? null : LITERALS.get(constant.kind());
            if (literal != null) {
                return new Type(literal, true);
            }
        }
        return null;
    }

    private boolean isC() {
        return tree.language() == Language.C || tree.language() == Language.CPP;
    }

    /**
     * C's declarations: the type is written once ({@code char *s = "a", **t;}) and each declarator adds its
     * own pointers and array dimensions; a function's parameters are in scope in its body.
     */
    private void collectC(SyntaxNode node) {
        if (!node.kind().equals("declaration") && !node.kind().equals("parameter_declaration")) {
            return;
        }
        SyntaxNode function = node.parent() == null || node.parent().parent() == null ? null : node.parent().parent().parent();
        SyntaxNode scope = !node.kind().equals("parameter_declaration") ? scopeOf(node)
                : function != null && function.kind().equals("function_definition") ? function : null;
        for (SyntaxNode child : node.children()) {
            if (!"declarator".equals(child.field())) {
                continue;
            }
            SyntaxNode declarator = child;
            SyntaxNode value = null;
            if (declarator.kind().equals("init_declarator")) {
                value = field(declarator, "value");
                declarator = field(declarator, "declarator");
            }
            StringBuilder suffix = new StringBuilder();
            while (declarator != null && (declarator.kind().equals("pointer_declarator") || declarator.kind().equals("array_declarator"))) {
                suffix.append(declarator.kind().equals("pointer_declarator") ? "*" : "[]");
                declarator = field(declarator, "declarator");
            }
            if (declarator != null && declarator.kind().equals("identifier")) {
                declareIn(scope, declarator, field(node, "type"), value, suffix.toString());
            }
        }
    }

    /** Records the names a declaration node introduces, with their types, in the scope they belong to. */
    private void collect(SyntaxNode node) {
        if (isC()) {
            collectC(node);
            return;
        }
        switch (node.kind()) {
            case "local_variable_declaration", "field_declaration", "constant_declaration" -> {
                SyntaxNode type = field(node, "type");
                boolean inferred = type != null && type.text().equals("var");
                for (SyntaxNode declarator : node.children()) {
                    if (declarator.kind().equals("variable_declarator")) {
                        SyntaxNode dimensions = field(declarator, "dimensions");
                        declare(node, field(declarator, "name"), inferred ? null : type, field(declarator, "value"),
                                dimensions == null ? "" : normalize(dimensions.text()));
                    }
                }
            }
            case "formal_parameter", "typed_parameter", "typed_default_parameter", "required_parameter", "optional_parameter", "parameter" -> {
                SyntaxNode name = field(node, "name");
                if (name == null) {
                    name = field(node, "pattern");
                }
                if (name == null) {
                    name = node.children().stream().filter(c -> c.kind().equals("identifier")).findFirst().orElse(null);
                }
                SyntaxNode dimensions = field(node, "dimensions");
                declareParameter(node, name, field(node, "type"), dimensions == null ? "" : normalize(dimensions.text()));
            }
            case "spread_parameter" -> {
                SyntaxNode type = node.children().stream().filter(SyntaxNode::named).findFirst().orElse(null);
                SyntaxNode declarator = node.children().stream().filter(c -> c.kind().equals("variable_declarator")).findFirst().orElse(null);
                if (type != null && declarator != null) {
                    declareParameter(node, field(declarator, "name"), type, "[]");
                }
            }
            case "parameter_declaration", "variadic_parameter_declaration" -> {
                SyntaxNode type = field(node, "type");
                String suffix = node.kind().startsWith("variadic") ? "[]" : "";
                for (SyntaxNode child : node.children()) {
                    if ("name".equals(child.field())) {
                        declareParameter(node, child, type, suffix);
                    }
                }
            }
            case "catch_formal_parameter" -> {
                SyntaxNode type = node.children().stream().filter(c -> c.kind().equals("catch_type")).findFirst().orElse(null);
                declare(node, field(node, "name"), type, null, "");
            }
            case "enhanced_for_statement", "resource" -> {
                SyntaxNode type = field(node, "type");
                boolean inferred = type != null && type.text().equals("var");
                declareIn(node.kind().equals("resource") ? scopeOf(node) : node, field(node, "name"),
                        inferred ? null : type, node.kind().equals("resource") ? field(node, "value") : null, "");
            }
            case "var_spec", "const_spec" -> {
                List<SyntaxNode> names = node.children().stream().filter(c -> "name".equals(c.field())).toList();
                SyntaxNode values = field(node, "value");
                List<SyntaxNode> valueList = values == null ? List.of() : values.children();
                for (int i = 0; i < names.size(); i++) {
                    declare(node, names.get(i), field(node, "type"), valueList.size() == names.size() ? valueList.get(i) : null, "");
                }
            }
            case "short_var_declaration" -> {
                SyntaxNode left = field(node, "left");
                SyntaxNode right = field(node, "right");
                if (left != null && right != null && left.children().size() == right.children().size()) {
                    for (int i = 0; i < left.children().size(); i++) {
                        declare(node, left.children().get(i), null, right.children().get(i), "");
                    }
                }
            }
            case "variable_declarator" -> {
                if (tree.language() != Language.JAVA) {
                    // C# writes the type once for its declarators ("T a = x, b;"), and "var" infers it.
                    SyntaxNode parent = node.parent();
                    SyntaxNode type = field(node, "type") != null || parent == null ? field(node, "type") : field(parent, "type");
                    boolean inferred = type != null && type.text().equals("var");
                    declare(node, field(node, "name"), inferred ? null : type, valueOf(node), "");
                }
            }
            case "assignment" -> {
                if (tree.language() == Language.PYTHON && field(node, "type") != null) {
                    declare(node, field(node, "left"), field(node, "type"), null, "");
                }
            }
            default -> {
            }
        }
    }

    /** A declarator's initial value: its value field, or what follows its {@code =} where the grammar names no field. */
    private static SyntaxNode valueOf(SyntaxNode declarator) {
        SyntaxNode value = field(declarator, "value");
        List<SyntaxNode> children = declarator.children();
        for (int i = 0; value == null && i + 1 < children.size(); i++) {
            if (!children.get(i).named() && children.get(i).text().equals("=")) {
                value = children.get(i + 1);
            }
        }
        return value;
    }

    private void declare(SyntaxNode declaration, SyntaxNode name, SyntaxNode type, SyntaxNode value, String suffix) {
        declareIn(scopeOf(declaration), name, type, value, suffix);
    }

    /** A parameter belongs to its function, whose body is beside the parameter list, not inside it. */
    private void declareParameter(SyntaxNode parameter, SyntaxNode name, SyntaxNode type, String suffix) {
        SyntaxNode list = parameter.parent();
        declareIn(list == null || list.parent() == null ? scopeOf(parameter) : list.parent(), name, type, null, suffix);
    }

    private void declareIn(SyntaxNode scope, SyntaxNode name, SyntaxNode type, SyntaxNode value, String suffix) {
        if (scope == null || name == null || !name.isLeaf() || type == null && value == null) {
            return;
        }
        scopes.computeIfAbsent(scope, s -> new HashMap<>()).putIfAbsent(name.text(), new Declaration(type, value, suffix));
    }

    private SyntaxNode scopeOf(SyntaxNode node) {
        Set<String> scopes = isC() ? C_SCOPES : SCOPES;
        for (SyntaxNode p = node.parent(); p != null; p = p.parent()) {
            if (scopes.contains(p.kind())) {
                return p;
            }
        }
        return null;
    }

    /**
     * Whether a type pattern ({@code java.util.List<$T>}, {@code *http.Request}, {@code string})
     * names the type; metavariables in it bind the names they stand for.
     */
    Bindings matches(String pattern, Type type, Bindings bindings, SyntaxNode at) {
        if (type.builtin()) {
            String wanted = normalize(pattern);
            return BUILTIN_NAMES.getOrDefault(type.text(), Set.of()).contains(wanted) || wanted.equals(type.text()) ? bindings : null;
        }
        List<String> wanted = tokens(normalize(pattern));
        List<String> actual = tokens(type.text());
        if (!wanted.contains("<")) {
            actual = withoutTypeArguments(actual);
        }
        if (wanted.size() != actual.size()) {
            return null;
        }
        Bindings current = bindings;
        for (int i = 0; i < wanted.size(); i++) {
            String w = wanted.get(i);
            String a = actual.get(i);
            if (w.startsWith("$")) {
                if (!isName(a)) {
                    return null;
                }
                Captured captured = Captured.ofText(at.start(), at.end(), a);
                Captured bound = current.get(w);
                if (bound != null && !bound.sameCode(captured)) {
                    return null;
                }
                if (bound == null && !w.equals("$_")) {
                    current = current.with(w, captured);
                }
            } else if (!(w.equals(a) || isName(w) && isName(a) && sameName(w, a))) {
                return null;
            }
        }
        return current;
    }

    /** A qualified name in the pattern against a name in the file, through the file's imports. */
    private boolean sameName(String wanted, String written) {
        List<String> writtenParts = List.of(written.split("\\."));
        List<String> resolved = imports.resolve(writtenParts.get(0));
        String full = written;
        if (resolved != null) {
            List<String> parts = new ArrayList<>(resolved);
            parts.addAll(writtenParts.subList(1, writtenParts.size()));
            full = String.join(".", parts);
        }
        if (full.equals(wanted)) {
            return true;
        }
        if (!wanted.contains(".")) {
            // A simple name in the pattern matches a qualified one with that last part.
            return full.endsWith("." + wanted);
        }
        // java.lang is imported implicitly.
        return tree.language() == Language.JAVA && resolved == null && wanted.equals("java.lang." + written);
    }

    private static boolean isName(String token) {
        return !token.isEmpty() && (Character.isJavaIdentifierStart(token.charAt(0)));
    }

    private static List<String> tokens(String type) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < type.length()) {
            char c = type.charAt(i);
            if (Character.isJavaIdentifierPart(c) || c == '.' && !type.startsWith("...", i)) {
                int start = i;
                while (i < type.length() && (Character.isJavaIdentifierPart(type.charAt(i)) || type.charAt(i) == '.'
                        && !type.startsWith("...", i))) {
                    i++;
                }
                out.add(type.substring(start, i));
            } else if (type.startsWith("...", i)) {
                out.add("[");
                out.add("]");
                i += 3;
            } else {
                out.add(String.valueOf(c));
                i++;
            }
        }
        return out;
    }

    private static List<String> withoutTypeArguments(List<String> tokens) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        for (String token : tokens) {
            if (token.equals("<")) {
                depth++;
            } else if (token.equals(">")) {
                depth--;
            } else if (depth == 0) {
                out.add(token);
            }
        }
        return out;
    }

    /** Type text without layout, and without a TypeScript annotation's leading colon. */
    static String normalize(String type) {
        String t = type.strip();
        if (t.startsWith(":")) {
            t = t.substring(1);
        }
        return t.replaceAll("\\s+", "");
    }

    private static SyntaxNode field(SyntaxNode node, String field) {
        for (SyntaxNode child : node.children()) {
            if (field.equals(child.field())) {
                return child;
            }
        }
        return null;
    }
}
