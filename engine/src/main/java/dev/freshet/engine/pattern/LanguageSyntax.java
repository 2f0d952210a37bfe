package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SyntaxNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What the matcher knows about one language's grammar, so that the matcher itself stays free of
 * node kinds: which kinds Semgrep's generic AST treats as one, which children a pattern may leave
 * out, where statements are grouped, and the language's own equivalences. The facts are data, one
 * {@link SyntaxTable} per language; a language that needs code for an equivalence has its own class
 * (ast-grep's {@code Language} trait plays this part there), the others are a table alone.
 */
sealed interface LanguageSyntax permits PythonSyntax, JavaScriptSyntax, JavaSyntax, GoSyntax, HclSyntax, DataSyntax, ShellSyntax,
        RubySyntax, PhpSyntax, ScalaSyntax, SoliditySyntax, HtmlSyntax, OcamlSyntax, ClojureSyntax, DartSyntax, LanguageSyntax.TableOnly {

    static LanguageSyntax of(Language language) {
        return switch (language) {
            case PYTHON -> PythonSyntax.INSTANCE;
            case JAVASCRIPT, TYPESCRIPT, TSX -> JavaScriptSyntax.INSTANCE;
            // Apex's grammar (tree-sitter-sfapex) is a fork of Java's, with its node kinds; Semgrep maps both
            // to the generic AST the same way.
            case JAVA, APEX -> JavaSyntax.INSTANCE;
            case GO -> GoSyntax.INSTANCE;
            case YAML, JSON -> DataSyntax.INSTANCE;
            case BASH -> ShellSyntax.INSTANCE;
            case DOCKERFILE -> ShellSyntax.DOCKERFILE;
            case OCAML -> OcamlSyntax.INSTANCE;
            case CSHARP -> TableOnly.CSHARP;
            case RUBY -> RubySyntax.INSTANCE;
            case PHP -> PhpSyntax.INSTANCE;
            case RUST -> TableOnly.RUST;
            case LUA -> TableOnly.LUA;
            case KOTLIN -> TableOnly.KOTLIN;
            case SCALA -> ScalaSyntax.INSTANCE;
            case HCL -> HclSyntax.INSTANCE;
            case SOLIDITY -> SoliditySyntax.INSTANCE;
            case HTML -> HtmlSyntax.INSTANCE;
            case SWIFT -> TableOnly.SWIFT;
            case C, CPP -> TableOnly.C;
            case CLOJURE -> ClojureSyntax.INSTANCE;
            case DART -> DartSyntax.INSTANCE;
            default -> TableOnly.STRUCTURAL;
        };
    }

    /** A language with no equivalences that need code: its table is all there is to know. */
    record TableOnly(SyntaxTable table) implements LanguageSyntax {
        static final TableOnly STRUCTURAL = new TableOnly(SyntaxTable.STRUCTURAL);
        /**
         * C# as Semgrep reads it: statements at the top of a file sit in a global statement; a local
         * function is a method (both are Semgrep's function definition) and a pattern leaves out the
         * modifiers and attributes it does not name; {@code $X = e} also matches {@code T x = e}.
         */
        static final TableOnly CSHARP = new TableOnly(SyntaxTable.STRUCTURAL
                .withExpressionStatements("expression_statement", "global_statement")
                .withBlocks("block", "declaration_list")
                // Semgrep's If: a pattern without an else matches an if with one.
                .withOptional(Set.of("modifier", "attribute_list", "type_parameter_list", "else"), Set.of("alternative"))
                .withKindAliases(Map.of("local_function_statement", "method_declaration"))
                .withChainFields(Map.of("member_access_expression", "expression", "invocation_expression", "function"))
                .withSpelling(new SyntaxTable.Spelling(true, "();"))
                .withParameterNames(Map.of("parameter", "name"))
                .withDeclarations(new Declarations(Set.of("assignment_expression"),
                        Set.of("local_declaration_statement", "field_declaration", "variable_declaration"), Set.of("variable_declarator"))));
        /**
         * C: a function body ({@code compound_statement}) is a block, so a pattern of statements matches a run of them
         * in it; an ellipsis line among statements is written as a statement ({@code ...;}) so the grammar reads it as one.
         */
        static final TableOnly C = new TableOnly(SyntaxTable.STRUCTURAL.withBlocks("compound_statement")
                .withSpelling(new SyntaxTable.Spelling(true, ";")));
        /** Kotlin: {@code $X = e} also matches {@code val x: T = e} (Semgrep's assignment-declaration equivalence). */
        static final TableOnly KOTLIN = new TableOnly(SyntaxTable.STRUCTURAL.withBlocks("statements", "class_body")
                .withSpelling(new SyntaxTable.Spelling(false, "", Pattern.compile("\\bfun\\s+[\\w$.]+\\s*$"),
                        Placeholders.ELLIPSIS + ": " + Placeholders.ELLIPSIS, ""))
                .withDeclarations(new Declarations(Set.of("assignment"), Set.of(), Set.of("property_declaration"), Set.of("variable_declaration"))));
        /**
         * Swift: {@code $X = e} also matches {@code let x = e} and {@code var x = e} (Semgrep's vardef_assign
         * equivalence, as for Kotlin): the declaration's {@code pattern} holds the declared name.
         */
        static final TableOnly SWIFT = new TableOnly(SyntaxTable.STRUCTURAL
                .withDeclarations(new Declarations(Set.of("assignment"), Set.of(), Set.of("property_declaration"), Set.of("pattern"))));
        /**
         * Lua: calls stand as statements with no wrapper, so each statement is Semgrep's expression statement
         * of itself (a call pattern also matches inside {@code local f = call(x)}); a statement cannot be a
         * bare name, so an ellipsis standing for statements is written as a call.
         */
        static final TableOnly LUA = new TableOnly(SyntaxTable.STRUCTURAL.withExpressionStatements()
                .withSpelling(new SyntaxTable.Spelling(false, "()")));
        /**
         * Rust as Semgrep reads it: a path is one name whether it names a value or a type
         * ({@code a::B} in an expression or in {@code a::B { .. }}), and {@code let} binds whether or
         * not the pattern says {@code mut}.
         */
        static final TableOnly RUST = new TableOnly(SyntaxTable.STRUCTURAL.withKindAliases(Map.of("scoped_identifier", "scoped_type_identifier"))
                .withOptional(Set.of("mutable_specifier"), Set.of()));
    }

    /** The language's grammar facts. */
    SyntaxTable table();

    /**
     * Kinds whose children match in any order, with more in the file than in the pattern allowed (a
     * destructuring {@code {a}} takes fields out of an object, so it matches {@code {a, b}} too).
     */
    default boolean isUnordered(String kind) {
        return table().unordered().contains(kind);
    }

    /** Kinds that hold a list of statements, matched statement by statement. */
    default boolean isBlock(String kind) {
        return table().blocks().contains(kind);
    }

    /** The kind of a statement that is just an expression. */
    default boolean isExpressionStatement(String kind) {
        return table().expressionStatements().contains(kind);
    }

    /** Children the file may have where the pattern says nothing (annotations, modifiers, type arguments). */
    default boolean isOptional(SyntaxNode node) {
        return table().isOptional(node);
    }

    /** Kinds that only wrap their one child, which a pattern matches through them (Bash's command name is a word). */
    default boolean isWrapper(String kind) {
        return false;
    }

    /** Another kind a pattern node of this kind also matches as it is, or null. */
    default String kindAlias(String patternKind) {
        return table().kindAliases().get(patternKind);
    }

    /** Whether the pattern node, through one of the language's equivalences, can match a node of another kind. */
    default boolean matchesOtherKind(PatternNode.Node pattern, SyntaxNode node) {
        return table().declarations() != null && table().declarations().startsAt(pattern, node);
    }

    /**
     * The file's nodes the pattern node can match: those of its kind and of its alias, and those of
     * other kinds an equivalence lets it match. {@code byKind} gives the file's nodes of a kind.
     */
    default List<SyntaxNode> candidates(PatternNode.Node pattern, Function<String, List<SyntaxNode>> byKind) {
        List<SyntaxNode> sameKind = byKind.apply(pattern.kind());
        String alias = kindAlias(pattern.kind());
        List<SyntaxNode> all = alias == null ? sameKind : withKinds(sameKind, byKind, List.of(alias));
        return table().declarations() == null ? all : table().declarations().candidates(pattern, all, byKind);
    }

    /** What a metavariable written as a parameter binds (its name, whatever its type or default). */
    default SyntaxNode parameterName(SyntaxNode node) {
        String field = table().parameterNames().get(node.kind());
        SyntaxNode name = field == null ? null : field(node, field);
        return name == null ? node : name;
    }

    /** What a member access or call applies to ({@code a.b} for {@code a.b.c} and {@code a.b(x)}), or null. */
    default SyntaxNode chainInner(SyntaxNode node) {
        String field = table().chainFields().get(node.kind());
        return field == null ? null : field(node, field);
    }

    /** Where a match on this node starts (it may take in decorators that sit outside it). */
    default int matchStart(SyntaxNode node) {
        return node.start();
    }

    /** Whether a pattern token also matches a file token written differently (Go's {@code var} for {@code const}). */
    default boolean sameToken(String patternToken, SyntaxNode leaf) {
        return false;
    }

    /** A keyword argument, which a metavariable (Semgrep's positional argument) does not match. */
    default boolean isKeywordArgument(SyntaxNode node) {
        return false;
    }

    /** Matches a pattern token by the language's own rule (a Ruby symbol naming a metavariable); false when none applies. */
    default boolean matchToken(PatternNode.Token token, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        return false;
    }

    /**
     * Matches a pattern node against a file node of the same kind when the language has its own
     * rule for that kind; returns false when the structural rule applies instead.
     */
    default boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        return false;
    }

    /**
     * Matches a pattern node against a file node of another kind by an equivalence that replaces
     * every other reading (no parentheses are looked through); returns false when none applies.
     */
    default boolean matchOtherKindOnly(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings,
                                       Matcher.Found next) {
        return false;
    }

    /** Forms of another kind Semgrep treats as the same as the pattern node. */
    default void matchEquivalent(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (table().declarations() != null) {
            table().declarations().match(matcher, pattern, node, bindings, next);
        }
    }

    /** Concatenates the file's nodes of the given kinds after {@code first}. */
    static List<SyntaxNode> withKinds(List<SyntaxNode> first, Function<String, List<SyntaxNode>> byKind, List<String> kinds) {
        List<SyntaxNode> all = new ArrayList<>(first);
        kinds.forEach(kind -> all.addAll(byKind.apply(kind)));
        return all;
    }

    /** The child in the given field, or null. */
    static SyntaxNode field(SyntaxNode node, String field) {
        for (SyntaxNode child : node.children()) {
            if (field.equals(child.field())) {
                return child;
            }
        }
        return null;
    }
}
