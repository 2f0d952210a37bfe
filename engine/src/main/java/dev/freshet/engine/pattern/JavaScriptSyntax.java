package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * JavaScript's and TypeScript's kinds and Semgrep's equivalences for them: function expressions
 * and arrow functions, bare imports, destructuring and object literals in any order.
 */
final class JavaScriptSyntax implements LanguageSyntax {
    static final JavaScriptSyntax INSTANCE = new JavaScriptSyntax();
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL
            .withUnordered("object", "class_body", "named_imports", "object_pattern")
            .withBlocks("statement_block", "class_body")
            .withOptional(Set.of("decorator", "type_parameters", "async", "type_arguments"), Set.of("return_type"))
            .withChainFields(Map.of("member_expression", "object", "call_expression", "function"));
    /** Declarations that may import a module CommonJS's way. */
    private static final Set<String> REQUIRE_DECLARATIONS = Set.of("lexical_declaration", "variable_declaration");
    private static final Declarations DECLARATIONS = new Declarations(Set.of("assignment_expression"),
            Set.of("lexical_declaration", "variable_declaration"), Set.of("variable_declarator"));

    private JavaScriptSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    @Override
    public boolean matchesOtherKind(PatternNode.Node pattern, SyntaxNode node) {
        return isAnyFunction(pattern) && (node.kind().equals("function_expression") || node.kind().equals("arrow_function"))
                || pattern.kind().equals("function_expression") && node.kind().equals("arrow_function")
                || isBareImport(pattern) && REQUIRE_DECLARATIONS.contains(node.kind())
                || DECLARATIONS.startsAt(pattern, node);
    }

    @Override
    public List<SyntaxNode> candidates(PatternNode.Node pattern, Function<String, List<SyntaxNode>> byKind) {
        List<SyntaxNode> sameKind = byKind.apply(pattern.kind());
        if (pattern.kind().equals("function_expression")) {
            return LanguageSyntax.withKinds(sameKind, byKind, List.of("arrow_function"));
        }
        if (isAnyFunction(pattern)) {
            return LanguageSyntax.withKinds(sameKind, byKind, List.of("function_expression", "arrow_function"));
        }
        if (isBareImport(pattern)) {
            return LanguageSyntax.withKinds(sameKind, byKind, List.copyOf(REQUIRE_DECLARATIONS));
        }
        return DECLARATIONS.candidates(pattern, sameKind, byKind);
    }

    /** A metavariable written as a parameter binds its name, whatever its type annotation or default. */
    @Override
    public SyntaxNode parameterName(SyntaxNode node) {
        if (node.kind().equals("required_parameter") || node.kind().equals("optional_parameter")) {
            SyntaxNode name = LanguageSyntax.field(node, "pattern");
            return name != null && name.kind().equals("identifier") ? name : node;
        }
        return node;
    }

    /** A TypeScript class's decorators sit on the export statement around it, yet belong to the class. */
    @Override
    public int matchStart(SyntaxNode node) {
        SyntaxNode parent = node.parent();
        if (node.kind().equals("class_declaration") && parent != null && parent.kind().equals("export_statement")
                && !parent.children().isEmpty() && parent.children().get(0).kind().equals("decorator")) {
            return parent.start();
        }
        return node.start();
    }

    @Override
    public boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (pattern.kind().equals("variable_declarator") && pattern.children().size() == 1) {
            // "var $X;" also matches a declaration with an initializer.
            matcher.match(pattern.children().get(0), node.children().get(0), bindings, next);
            return true;
        }
        if (isBareImport(pattern)) {
            // "import 'm';" stands for any import of module m, whatever names it binds.
            SyntaxNode source = LanguageSyntax.field(node, "source");
            PatternNode module = pattern.children().stream().filter(c -> c instanceof PatternNode.StringLiteral).findFirst().orElseThrow();
            if (source != null) {
                matcher.match(module, source, bindings, next);
            }
            return true;
        }
        if (pattern.kind().equals("function_expression") && anonymous(pattern) != pattern
                && node.children().stream().noneMatch(c -> "name".equals(c.field()))) {
            // function $NAME(...) {...} also stands for an anonymous function expression.
            matcher.matchChildren(anonymous(pattern).children(), 0, node.children(), 0, bindings, next);
            return true;
        }
        return false;
    }

    @Override
    public void matchEquivalent(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (pattern.kind().equals("function_expression") && node.kind().equals("arrow_function")) {
            matchArrowFunction(matcher, anonymous(pattern), node, bindings, next);
        } else if (isAnyFunction(pattern)) {
            // "function ... (...) {...}": any function, named or not, arrow functions too.
            if (node.kind().equals("function_expression")) {
                matcher.matchChildren(pattern.children(), 0, node.children(), 0, bindings, next);
            } else if (node.kind().equals("arrow_function")) {
                List<PatternNode> anonymous = new ArrayList<>(pattern.children());
                anonymous.remove(1);
                matchArrowFunction(matcher, new PatternNode.Node("function_expression", anonymous), node, bindings, next);
            }
        } else if (isBareImport(pattern) && REQUIRE_DECLARATIONS.contains(node.kind())) {
            matchRequire(matcher, pattern, node, bindings, next);
        } else {
            DECLARATIONS.match(matcher, pattern, node, bindings, next);
        }
    }

    /**
     * Semgrep's m_directive_vs_def: {@code import 'm'} also matches {@code const x = require('m')} and
     * {@code const {a, b} = require('m')} (var and let too), CommonJS's form of the same import; the
     * module is compared as a string, with no prefix.
     */
    private static void matchRequire(Matcher matcher, PatternNode.Node pattern, SyntaxNode declaration, Bindings bindings,
                                     Matcher.Found next) {
        PatternNode module = pattern.children().stream().filter(c -> c instanceof PatternNode.StringLiteral).findFirst().orElseThrow();
        for (SyntaxNode declarator : declaration.children()) {
            SyntaxNode name = LanguageSyntax.field(declarator, "name");
            SyntaxNode value = LanguageSyntax.field(declarator, "value");
            SyntaxNode function = value == null || !value.kind().equals("call_expression") ? null : LanguageSyntax.field(value, "function");
            SyntaxNode arguments = function == null ? null : LanguageSyntax.field(value, "arguments");
            if (name != null && (name.kind().equals("identifier") || name.kind().equals("object_pattern"))
                    && function != null && function.text().equals("require") && arguments != null && arguments.children().size() == 1
                    && Strings.isString(arguments.children().get(0).kind())) {
                matcher.match(module, arguments.children().get(0), bindings, next);
            }
        }
    }

    /** {@code function ... (...) {...}}: a function of any name or none. */
    private static boolean isAnyFunction(PatternNode.Node pattern) {
        return pattern.kind().equals("function_declaration") && pattern.children().size() > 1
                && pattern.children().get(1) instanceof PatternNode.Ellipsis;
    }

    /** An {@code import 'm'} that names no bindings. */
    private static boolean isBareImport(PatternNode.Node pattern) {
        // Only the keyword and the module: "import $X from 'm'" has its clause read as the metavariable.
        return pattern.kind().equals("import_statement")
                && pattern.children().stream().allMatch(c -> c instanceof PatternNode.StringLiteral
                        || c instanceof PatternNode.Token t && (t.text().equals("import") || t.text().equals(";")))
                && pattern.children().stream().anyMatch(c -> c instanceof PatternNode.StringLiteral);
    }

    /**
     * A function expression pattern without its name when the name is a metavariable: Semgrep's
     * function values carry no name, so {@code function $NAME(...)} matches anonymous ones too.
     */
    private static PatternNode.Node anonymous(PatternNode.Node function) {
        List<PatternNode> children = function.children();
        if (children.size() > 1 && children.get(1) instanceof PatternNode.Metavariable) {
            List<PatternNode> rest = new ArrayList<>(children);
            rest.remove(1);
            return new PatternNode.Node(function.kind(), rest);
        }
        return function;
    }

    /** {@code function(...) {...}} also matches {@code x => ...} and {@code (a, b) => {...}}. */
    private static void matchArrowFunction(Matcher matcher, PatternNode.Node pattern, SyntaxNode arrow, Bindings bindings,
                                           Matcher.Found next) {
        PatternNode parameters = null;
        PatternNode body = null;
        for (PatternNode child : pattern.children()) {
            if (child instanceof PatternNode.Node n && n.kind().equals("formal_parameters")) {
                parameters = n;
            } else if (child instanceof PatternNode.Node n && n.kind().equals("statement_block")) {
                body = n;
            } else if (!(child instanceof PatternNode.Token t && t.text().equals("function"))) {
                return; // a named function expression in the pattern
            }
        }
        SyntaxNode arrowParameters = arrow.children().get(arrow.children().get(0).kind().equals("async") ? 1 : 0);
        SyntaxNode arrowBody = arrow.children().get(arrow.children().size() - 1);
        PatternNode wantedBody = body;
        Matcher.Found matchBody = b -> {
            if (wantedBody == null) {
                next.found(b);
            } else if (arrowBody.kind().equals("statement_block")) {
                matcher.match(wantedBody, arrowBody, b, next);
            } else if (wantedBody instanceof PatternNode.Node block && block.children().size() == 1
                    && block.children().get(0) instanceof PatternNode.Ellipsis) {
                next.found(b);
            }
        };
        if (parameters == null) {
            matchBody.found(bindings);
        } else if (arrowParameters.kind().equals("formal_parameters")) {
            matcher.match(parameters, arrowParameters, bindings, matchBody);
        } else {
            matcher.matchChildren(((PatternNode.Node) parameters).children(), 0, List.of(arrowParameters), 0, bindings, matchBody);
        }
    }
}
