package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.Map;
import java.util.Set;

/**
 * A language's grammar facts as data: the node kinds and fields the matcher treats specially. Each
 * language states its table once; {@link LanguageSyntax} answers from it, and a language adds code
 * only for the equivalences a table cannot say.
 *
 * @param unordered            kinds whose children match in any order, more in the file allowed
 * @param blocks               kinds that hold a list of statements
 * @param expressionStatements kinds of a statement that is just an expression
 * @param optionalKinds        kinds of children the file may have where the pattern says nothing
 * @param optionalFields       fields of such children
 * @param kindAliases          another kind a pattern node of a kind also matches as it is
 * @param chainFields          for member accesses and calls, the field holding what they apply to
 * @param spelling             how pattern syntax is written so that the grammar accepts it
 * @param parameterNames       for parameter kinds, the field holding the parameter's name
 * @param declarations         the kinds of Semgrep's assignment-declaration equivalence, or null
 */
record SyntaxTable(Set<String> unordered, Set<String> blocks, Set<String> expressionStatements, Set<String> optionalKinds,
                   Set<String> optionalFields, Map<String, String> kindAliases, Map<String, String> chainFields,
                   Spelling spelling, Map<String, String> parameterNames, Declarations declarations) {
    /** tree-sitter's naming conventions and nothing more. */
    static final SyntaxTable STRUCTURAL = new SyntaxTable(Set.of(), Set.of("block"), Set.of("expression_statement"), Set.of(),
            Set.of(), Map.of(), Map.of(), Spelling.PLAIN, Map.of(), null);

    /**
     * How pattern syntax is written in the language's own grammar.
     *
     * @param typeBeforeName    a typed metavariable is written {@code (Type $X)} (Java, C#), else {@code ($X : Type)}
     * @param statementEllipsis what follows an ellipsis that stands for statements so that it is a statement
     *                          ({@code ;} in Java, a call in C#, whose statements cannot be a bare name)
     * @param parametersAfter   what the text before a parenthesis ends with when it lists a declaration's
     *                          parameters ({@code def f}, {@code fun f}), or null
     * @param parameterEllipsis how an ellipsis among such parameters is written so that it is one
     * @param forHeaderEllipsis how {@code for (...)} is written so that it is a loop header, or "" to leave it
     */
    record Spelling(boolean typeBeforeName, String statementEllipsis, java.util.regex.Pattern parametersAfter,
                    String parameterEllipsis, String forHeaderEllipsis) {
        static final Spelling PLAIN = new Spelling(false, "");

        Spelling(boolean typeBeforeName, String statementEllipsis) {
            this(typeBeforeName, statementEllipsis, null, "", "");
        }
    }

    SyntaxTable withUnordered(String... kinds) {
        return new SyntaxTable(Set.of(kinds), blocks, expressionStatements, optionalKinds, optionalFields, kindAliases, chainFields,
                spelling, parameterNames, declarations);
    }

    SyntaxTable withBlocks(String... kinds) {
        return new SyntaxTable(unordered, Set.of(kinds), expressionStatements, optionalKinds, optionalFields, kindAliases, chainFields,
                spelling, parameterNames, declarations);
    }

    SyntaxTable withExpressionStatements(String... kinds) {
        return new SyntaxTable(unordered, blocks, Set.of(kinds), optionalKinds, optionalFields, kindAliases, chainFields,
                spelling, parameterNames, declarations);
    }

    SyntaxTable withOptional(Set<String> kinds, Set<String> fields) {
        return new SyntaxTable(unordered, blocks, expressionStatements, kinds, fields, kindAliases, chainFields,
                spelling, parameterNames, declarations);
    }

    SyntaxTable withKindAliases(Map<String, String> aliases) {
        return new SyntaxTable(unordered, blocks, expressionStatements, optionalKinds, optionalFields, aliases, chainFields,
                spelling, parameterNames, declarations);
    }

    SyntaxTable withChainFields(Map<String, String> fields) {
        return new SyntaxTable(unordered, blocks, expressionStatements, optionalKinds, optionalFields, kindAliases, fields,
                spelling, parameterNames, declarations);
    }

    SyntaxTable withSpelling(Spelling newSpelling) {
        return new SyntaxTable(unordered, blocks, expressionStatements, optionalKinds, optionalFields, kindAliases, chainFields,
                newSpelling, parameterNames, declarations);
    }

    SyntaxTable withParameterNames(Map<String, String> fields) {
        return new SyntaxTable(unordered, blocks, expressionStatements, optionalKinds, optionalFields, kindAliases, chainFields,
                spelling, fields, declarations);
    }

    SyntaxTable withDeclarations(Declarations newDeclarations) {
        return new SyntaxTable(unordered, blocks, expressionStatements, optionalKinds, optionalFields, kindAliases, chainFields,
                spelling, parameterNames, newDeclarations);
    }

    boolean isOptional(SyntaxNode node) {
        return optionalKinds.contains(node.kind()) || node.field() != null && optionalFields.contains(node.field());
    }
}
