package dev.freshet.engine.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Dockerfile instructions as Semgrep reads them ({@code Dockerfile_to_generic}): the shell form of
 * {@code RUN}, {@code CMD}, {@code ENTRYPOINT} and the like is a Bash program, parsed by the Bash
 * grammar. The Dockerfile grammar leaves it as text ({@code shell_command}); here the Bash parse of
 * that text takes the place of its fragments, with offsets into the Dockerfile itself. FROM's image
 * is read as Semgrep's call of the image name with optional tag, digest and alias arguments.
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
        String source = dockerfile.source();
        if (shells.isEmpty()) {
            return new SyntaxTree(dockerfile.language(), source, graft(dockerfile.root(), List.of(), source), dockerfile.errorCount());
        }
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
            for (SyntaxNode child : node.children()) {
                SyntaxNode grafted = graft(child, statements, source);
                // FROM's image is its call's name and keyword arguments (tag, digest) side by side.
                children.addAll(grafted.kind().equals(IMAGE) ? grafted.children() : List.of(grafted));
            }
        }
        List<SyntaxNode> parts = WORDED.contains(node.kind()) && !children.isEmpty() ? withWords(node, children, source) : children;
        return new SyntaxNode(node.kind(), node.field(), node.named(), node.isError(), node.start(), node.end(), parts, source);
    }

    private static final String IMAGE = "image_spec";
    /** Parts whose words the grammar keeps as hidden text beside its tokens ({@code --}, {@code =}, {@code :}, {@code @}). */
    private static final Set<String> WORDED = Set.of("param", "image_name", "image_tag", "image_digest", "image_alias");

    /**
     * The children with the text between them as words of their own: Semgrep's Dockerfile AST holds
     * a parameter's name and value, an image's tag and digest as strings ({@code param_arg},
     * {@code from}), which a pattern's metavariable or word matches.
     */
    private static List<SyntaxNode> withWords(SyntaxNode node, List<SyntaxNode> children, String source) {
        List<SyntaxNode> out = new ArrayList<>(children.size() * 2 + 1);
        int at = node.start();
        for (SyntaxNode child : children) {
            addWord(out, at, child.start(), source);
            out.add(child);
            at = child.end();
        }
        addWord(out, at, node.end(), source);
        return out;
    }

    private static void addWord(List<SyntaxNode> out, int start, int end, String source) {
        String text = source.substring(start, end);
        if (!text.isBlank()) {
            int from = start + (text.length() - text.stripLeading().length());
            int to = end - (text.length() - text.stripTrailing().length());
            out.add(new SyntaxNode("unquoted_string", null, true, false, from, to, List.of(), source));
        }
    }

    private static SyntaxNode copy(SyntaxNode node, String source) {
        List<SyntaxNode> children = node.children().stream().map(c -> copy(c, source)).toList();
        return new SyntaxNode(node.kind(), node.field(), node.named(), node.isError(), node.start(), node.end(), children, source);
    }
}
