package dev.freshet.engine.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Dockerfile instructions as Semgrep reads them ({@code Dockerfile_to_generic}): the shell form of
 * {@code RUN}, {@code CMD}, {@code ENTRYPOINT} and the like is a Bash program, parsed by the Bash
 * grammar. The Dockerfile grammar leaves it as text ({@code shell_command}); here the Bash parse of
 * that text takes the place of its fragments, with offsets into the Dockerfile itself.
 */
final class DockerfileShell {
    private static final String SHELL = "shell_command";

    private DockerfileShell() {
    }

    /**
     * The Dockerfile tree with each shell command's content parsed as Bash. All commands are read in
     * one Bash parse of the file with everything else blanked (line breaks kept), so offsets stay.
     */
    static SyntaxTree withBash(SyntaxTree dockerfile, SourceParser parser) {
        List<SyntaxNode> shells = dockerfile.nodes().stream().filter(n -> n.kind().equals(SHELL)).toList();
        if (shells.isEmpty()) {
            return dockerfile;
        }
        String source = dockerfile.source();
        char[] masked = new char[source.length()];
        for (int i = 0; i < masked.length; i++) {
            masked[i] = source.charAt(i) == '\n' ? '\n' : ' ';
        }
        for (SyntaxNode shell : shells) {
            source.getChars(shell.start(), shell.end(), masked, shell.start());
        }
        SyntaxTree bash = parser.parse(Language.BASH, new String(masked));
        SyntaxNode root = graft(dockerfile.root(), bash.root().children(), source);
        return new SyntaxTree(dockerfile.language(), source, root, dockerfile.errorCount() + bash.errorCount());
    }

    /** The node rebuilt with Bash statements as the children of its shell commands. */
    private static SyntaxNode graft(SyntaxNode node, List<SyntaxNode> statements, String source) {
        List<SyntaxNode> children = new ArrayList<>(node.children().size());
        if (node.kind().equals(SHELL)) {
            statements.stream().filter(s -> s.start() >= node.start() && s.end() <= node.end())
                    .forEach(s -> children.add(copy(s, source)));
        } else {
            node.children().forEach(child -> children.add(graft(child, statements, source)));
        }
        return new SyntaxNode(node.kind(), node.field(), node.named(), node.isError(), node.start(), node.end(), children, source);
    }

    private static SyntaxNode copy(SyntaxNode node, String source) {
        List<SyntaxNode> children = node.children().stream().map(c -> copy(c, source)).toList();
        return new SyntaxNode(node.kind(), node.field(), node.named(), node.isError(), node.start(), node.end(), children, source);
    }
}
