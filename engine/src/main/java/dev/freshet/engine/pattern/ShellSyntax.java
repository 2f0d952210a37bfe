package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Bash, and Dockerfile whose shell commands are Bash ({@code Bash_to_generic},
 * {@code Dockerfile_to_generic}): a simple command is a call of its words, the command's name the
 * first of them, so {@code ... apk upgrade ...} matches any command holding those two words in a
 * row. A command in a Dockerfile instruction's pattern is an expression statement, which Semgrep
 * matches deeply: inside a list ({@code a && b}), a pipeline or a subshell of the instruction.
 */
final class ShellSyntax implements LanguageSyntax {
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withBlocks("program", "source_file", "do_group", "compound_statement");
    static final ShellSyntax INSTANCE = new ShellSyntax(TABLE);
    /**
     * Dockerfile: an instruction is Semgrep's call ({@code Dockerfile_to_generic}) whose {@code --name=value}
     * parameters, and FROM's tag, digest and alias, are optional keyword arguments
     * ({@code ArgKwdOptional}): a pattern that leaves them out matches instructions that have them.
     */
    static final ShellSyntax DOCKERFILE = new ShellSyntax(TABLE.withOptional(
            Set.of("param", "mount_param", "image_tag", "image_digest", "AS", "image_alias"), Set.of()));
    /** Written in a pattern for HEALTHCHECK's argument as a metavariable, which its grammar has no place for. */
    static final String HEALTHCHECK_ARGUMENT = "__fhcarg__";
    private static final Set<String> WRAPPERS = Set.of("command_name");
    private static final Set<String> EXPANSIONS = Set.of("expansion", "simple_expansion");
    private static final Pattern METAVARIABLE = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private final SyntaxTable table;

    private ShellSyntax(SyntaxTable table) {
        this.table = table;
    }

    @Override
    public SyntaxTable table() {
        return table;
    }

    @Override
    public boolean isWrapper(String kind) {
        return WRAPPERS.contains(kind);
    }

    /**
     * Semgrep's pipelines nest to the left ({@code (a | b) | c}), so a pipeline pattern matches the
     * start of a longer one; a command substitution is its commands, whichever its delimiters; assignments written before a command set its environment and are no
     * assignment statements (Bash_to_generic leaves them out of the command).
     */
    @Override
    public boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (pattern.kind().equals("variable_assignment")) {
            return node.parent() != null && node.parent().kind().equals("command");
        }
        if (pattern.kind().equals("command_substitution")) {
            // `...` and $(...) are one command substitution (AST_bash's Command_substitution, Bash_to_generic's
            // cmd_subst): only the commands inside are compared, not how they are delimited.
            List<PatternNode> commands = pattern.children().stream().filter(c -> !(c instanceof PatternNode.Token)).toList();
            matcher.matchChildren(commands, 0, node.children().stream().filter(SyntaxNode::named).toList(), 0, bindings, next);
            return true;
        }
        if (pattern.kind().equals("pipeline")) {
            List<PatternNode> prefix = new ArrayList<>(pattern.children());
            prefix.add(new PatternNode.Ellipsis());
            matcher.matchChildren(prefix, 0, node.children(), 0, bindings, next);
            return true;
        }
        return false;
    }

    /** A pattern that is one word, as Semgrep parses a Bash pattern: the word (an expression), not a command of it. */
    static PatternNode word(PatternNode pattern) {
        if (pattern instanceof PatternNode.Node command && command.kind().equals("command") && command.children().size() == 1
                && command.children().get(0) instanceof PatternNode.Node name && name.kind().equals("command_name")
                && name.children().size() == 1) {
            return name.children().get(0);
        }
        return pattern;
    }

    /**
     * The pattern as Semgrep reads a Bash or Dockerfile pattern: an expansion spelled {@code $X} is the
     * metavariable (a node holding only it is it), an exec form's {@code "..."} item stands for items, and in a Dockerfile each statement of an
     * instruction's shell command matches at any depth of the statement it meets.
     */
    static PatternNode normalize(PatternNode pattern, boolean dockerfile) {
        if (pattern instanceof PatternNode.Sequence sequence) {
            return new PatternNode.Sequence(sequence.statements().stream().map(s -> normalize(s, dockerfile)).toList());
        }
        if (pattern instanceof PatternNode.StringLiteral string && Placeholders.ELLIPSIS.equals(string.content())) {
            return new PatternNode.Ellipsis();
        }
        if (!(pattern instanceof PatternNode.Node node)) {
            return pattern;
        }
        if (dockerfile && node.kind().equals("healthcheck_instruction")) {
            // HEALTHCHECK $X: the instruction's one argument, whatever it is (Healthcheck_semgrep_metavar).
            String name = healthcheckArgument(node);
            if (name != null) {
                return new PatternNode.Node(node.kind(), List.of(node.children().get(0), new PatternNode.Metavariable(name)));
            }
        }
        if (dockerfile && node.kind().equals("env_pair") && node.children().stream().filter(c -> c instanceof PatternNode.Ellipsis).count() == 2) {
            // "ENV ... K=V ...": an ellipsis among ENV's pairs (Env_semgrep_ellipsis), written as a pair of ellipses.
            return new PatternNode.Ellipsis();
        }
        List<PatternNode> children = node.children().stream().map(child -> normalize(child, dockerfile))
                .map(child -> dockerfile && node.kind().equals("shell_command") && child instanceof PatternNode.Node
                        ? new PatternNode.Deep(child) : child)
                .toList();
        if (EXPANSIONS.contains(node.kind()) && children.size() == 2 && children.get(0) instanceof PatternNode.Token dollar
                && dollar.text().equals("$") && children.get(1) instanceof PatternNode.Token name && METAVARIABLE.matcher(name.text()).matches()) {
            return new PatternNode.Metavariable("$" + name.text());
        }
        PatternNode deep = deepEllipsis(node.kind(), children);
        if (deep != null) {
            return deep;
        }
        if (children.size() == 1 && children.get(0) instanceof PatternNode.Metavariable metavariable) {
            return metavariable;
        }
        return new PatternNode.Node(node.kind(), children);
    }

    /**
     * {@code <... e ...>}, which Placeholders spells {@code $(DEEP e)}: the deep ellipsis of the
     * semgrep-bash grammar, around one word or expansion (its {@code Expr_semgrep_deep_ellipsis}); null for any other node.
     */
    private static PatternNode deepEllipsis(String kind, List<PatternNode> children) {
        // The parser keeps "$(" and drops ")" as punctuation.
        if (!kind.equals("command_substitution") || children.size() != 2 || !(children.get(1) instanceof PatternNode.Node command)) {
            return null;
        }
        if (command.kind().equals("command") && command.children().size() == 2
                && command.children().get(0) instanceof PatternNode.Node name && name.kind().equals("command_name")
                && name.children().size() == 1 && name.children().get(0) instanceof PatternNode.Token callee
                && callee.text().equals(Placeholders.DEEP)) {
            return new PatternNode.Deep(command.children().get(1));
        }
        return null;
    }

    /** The metavariable's name a {@link #HEALTHCHECK_ARGUMENT} word carries inside the instruction, or null. */
    private static String healthcheckArgument(PatternNode pattern) {
        return switch (pattern) {
            case PatternNode.Token token when token.text().startsWith(HEALTHCHECK_ARGUMENT) ->
                    "$" + token.text().substring(HEALTHCHECK_ARGUMENT.length());
            case PatternNode.Node node -> node.children().stream().map(ShellSyntax::healthcheckArgument)
                    .filter(Objects::nonNull).findFirst().orElse(null);
            default -> null;
        };
    }
}
