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
 */
record SyntaxTable(Set<String> unordered, Set<String> blocks, Set<String> expressionStatements, Set<String> optionalKinds,
                   Set<String> optionalFields, Map<String, String> kindAliases, Map<String, String> chainFields) {
    /** tree-sitter's naming conventions and nothing more. */
    static final SyntaxTable STRUCTURAL = new SyntaxTable(Set.of(), Set.of("block"), Set.of("expression_statement"), Set.of(),
            Set.of(), Map.of(), Map.of());

    SyntaxTable withUnordered(String... kinds) {
        return new SyntaxTable(Set.of(kinds), blocks, expressionStatements, optionalKinds, optionalFields, kindAliases, chainFields);
    }

    SyntaxTable withBlocks(String... kinds) {
        return new SyntaxTable(unordered, Set.of(kinds), expressionStatements, optionalKinds, optionalFields, kindAliases, chainFields);
    }

    SyntaxTable withExpressionStatements(String... kinds) {
        return new SyntaxTable(unordered, blocks, Set.of(kinds), optionalKinds, optionalFields, kindAliases, chainFields);
    }

    SyntaxTable withOptional(Set<String> kinds, Set<String> fields) {
        return new SyntaxTable(unordered, blocks, expressionStatements, kinds, fields, kindAliases, chainFields);
    }

    SyntaxTable withKindAliases(Map<String, String> aliases) {
        return new SyntaxTable(unordered, blocks, expressionStatements, optionalKinds, optionalFields, aliases, chainFields);
    }

    SyntaxTable withChainFields(Map<String, String> fields) {
        return new SyntaxTable(unordered, blocks, expressionStatements, optionalKinds, optionalFields, kindAliases, fields);
    }

    boolean isOptional(SyntaxNode node) {
        return optionalKinds.contains(node.kind()) || node.field() != null && optionalFields.contains(node.field());
    }
}
