package dev.freshet.engine.pattern;

import java.util.List;
import java.util.Set;

/**
 * Bash, and Dockerfile whose shell commands are Bash ({@code Bash_to_generic},
 * {@code Dockerfile_to_generic}): a simple command is a call of its words, the command's name the
 * first of them, so {@code ... apk upgrade ...} matches any command holding those two words in a
 * row. A command in a Dockerfile instruction's pattern is an expression statement, which Semgrep
 * matches deeply: inside a list ({@code a && b}), a pipeline or a subshell of the instruction.
 */
final class ShellSyntax implements LanguageSyntax {
    static final ShellSyntax INSTANCE = new ShellSyntax();
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withBlocks("program", "source_file", "do_group", "compound_statement");
    private static final Set<String> WRAPPERS = Set.of("command_name");

    private ShellSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    @Override
    public boolean isWrapper(String kind) {
        return WRAPPERS.contains(kind);
    }

    /** The pattern with each statement of an instruction's shell command matching at any depth of the command it meets. */
    static PatternNode commandsDeep(PatternNode pattern) {
        if (!(pattern instanceof PatternNode.Node node)) {
            return pattern;
        }
        List<PatternNode> children = node.children().stream().map(ShellSyntax::commandsDeep)
                .map(child -> node.kind().equals("shell_command") && child instanceof PatternNode.Node ? new PatternNode.Deep(child) : child)
                .toList();
        return new PatternNode.Node(node.kind(), children);
    }
}
