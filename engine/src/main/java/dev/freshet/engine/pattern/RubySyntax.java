package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;
import java.util.Set;

/**
 * Ruby as Semgrep's {@code ruby_to_generic} reads it. tree-sitter flattens a method call into one
 * node (receiver, operator, method, arguments, block) where Semgrep has a call of a member access,
 * so the callee is a sub-expression of its own: {@code Digest::SHA1.$F} matches the callee of
 * {@code Digest::SHA1.hexdigest 'abc'}, and {@code $EXEC(...)} binds {@code $EXEC} to
 * {@code Process.spawn}. A symbol is an atom whose name a metavariable binds ({@code :$KEY}), and
 * {@code :k => v} is the same pair as {@code k: v} (both are Semgrep's keyword argument).
 */
final class RubySyntax implements LanguageSyntax {
    static final RubySyntax INSTANCE = new RubySyntax();
    /** Ruby writes statements as bare expressions in the bodies of methods, branches and blocks. */
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withExpressionStatements()
            .withBlocks("body_statement", "then", "else", "do", "do_block", "block_body");
    /** The parts of a call after its callee. */
    private static final Set<String> CALL_TAIL = Set.of("argument_list", "block", "do_block");

    private RubySyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    /** {@code k: v} among arguments is Semgrep's {@code ArgKwd}, which {@code $X} (an {@code Arg}) does not match. */
    @Override
    public boolean isKeywordArgument(SyntaxNode node) {
        return node.kind().equals("pair") && node.parent() != null && node.parent().kind().equals("argument_list");
    }

    /** A keyword parameter ({@code event:}) is a parameter of that name, as Semgrep's {@code Formal_kwd}. */
    @Override
    public SyntaxNode parameterName(SyntaxNode node) {
        SyntaxNode name = node.kind().equals("keyword_parameter") ? LanguageSyntax.field(node, "name") : null;
        return name == null ? node : name;
    }

    @Override
    public boolean matchToken(PatternNode.Token token, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (node.kind().equals("keyword_parameter") && LanguageSyntax.field(node, "value") == null) {
            SyntaxNode name = LanguageSyntax.field(node, "name");
            if (name != null && name.text().equals(token.text())) {
                next.found(bindings);
            }
            return true;
        }
        String metavariable = symbolMetavariable(token.text());
        if (metavariable == null) {
            return false;
        }
        String name = symbolName(node);
        if (name != null) {
            Matcher.bind(metavariable, nameCapture(node, name), bindings, next);
        }
        return true;
    }

    @Override
    public boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        return switch (pattern.kind()) {
            case "call" -> matchCall(matcher, pattern, node, bindings, next);
            case "pair" -> matchSymbolPair(matcher, pattern, node, bindings, next);
            default -> false;
        };
    }

    /**
     * A call pattern against the callee of a call with arguments (the pattern has as many parts as
     * the file's callee), or with its callee as one metavariable ({@code $F(...)} against {@code a.f(x)}).
     */
    private static boolean matchCall(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        List<SyntaxNode> children = node.children();
        int calleeParts = 0;
        while (calleeParts < children.size() && !CALL_TAIL.contains(children.get(calleeParts).kind())) {
            calleeParts++;
        }
        List<SyntaxNode> head = children.subList(0, calleeParts);
        List<SyntaxNode> tail = children.subList(calleeParts, children.size());
        List<PatternNode> parts = pattern.children();
        if (parts.size() == calleeParts && !tail.isEmpty()) {
            // a.b is a sub-expression of a.b(x): the member access is the call's callee.
            matcher.matchChildren(parts, 0, head, 0, bindings, next);
            return true;
        }
        boolean calleeOnly = parts.size() >= 2 && !(parts.get(1) instanceof PatternNode.Token);
        if (calleeOnly && parts.get(0) instanceof PatternNode.Metavariable callee && calleeParts > 1) {
            SyntaxNode first = head.get(0);
            SyntaxNode last = head.get(head.size() - 1);
            Captured captured = Captured.ofText(first.start(), last.end(), matcher.tree().source().substring(first.start(), last.end()));
            Matcher.bind(callee.name(), captured, bindings, b -> matcher.matchChildren(parts.subList(1, parts.size()), 0, tail, 0, b, next));
            return true;
        }
        return false;
    }

    /** {@code :k => v} and {@code k: v} are one pair; a metavariable key binds the symbol's name. */
    private static boolean matchSymbolPair(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings,
                                           Matcher.Found next) {
        List<PatternNode> parts = pattern.children();
        List<SyntaxNode> children = node.children();
        if (parts.size() != 3 || children.size() != 3) {
            return false;
        }
        SyntaxNode key = children.get(0);
        String name = symbolName(key);
        String wantedName = parts.get(0) instanceof PatternNode.Token token ? symbolText(token.text()) : null;
        String metavariable = parts.get(0) instanceof PatternNode.Metavariable m ? m.name()
                : parts.get(0) instanceof PatternNode.Token token ? symbolMetavariable(token.text()) : null;
        if (name == null || wantedName == null && metavariable == null) {
            return false;
        }
        Matcher.Found value = b -> matcher.match(parts.get(2), children.get(2), b, next);
        if (metavariable != null) {
            Matcher.bind(metavariable, nameCapture(key, name), bindings, value);
        } else if (wantedName.equals(name)) {
            value.found(bindings);
        }
        return true;
    }

    /** The name a symbol leaf ({@code :name}, or {@code name} before a colon in a pair) stands for, or null. */
    private static String symbolName(SyntaxNode node) {
        return switch (node.kind()) {
            case "simple_symbol" -> node.text().substring(1);
            case "hash_key_symbol" -> node.text();
            default -> null;
        };
    }

    /** The name a pattern's symbol token stands for ({@code :a} or {@code a}), or null for another token. */
    private static String symbolText(String token) {
        String name = token.startsWith(":") ? token.substring(1) : token;
        return !name.isEmpty() && (Character.isLetter(name.charAt(0)) || name.charAt(0) == '_') ? name : null;
    }

    /** The metavariable a symbol token names ({@code :$KEY}, written as a placeholder), or null. */
    private static String symbolMetavariable(String token) {
        return token.startsWith(":") ? Placeholders.metavariable(token.substring(1)) : null;
    }

    private static Captured nameCapture(SyntaxNode symbol, String name) {
        return Captured.ofText(symbol.end() - name.length(), symbol.end(), name);
    }
}
