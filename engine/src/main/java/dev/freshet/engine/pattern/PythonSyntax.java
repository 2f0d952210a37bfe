package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Python's kinds and Semgrep's Python equivalences: decorators as calls, imports by module prefix, keyword arguments. */
final class PythonSyntax implements LanguageSyntax {
    static final PythonSyntax INSTANCE = new PythonSyntax();
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withUnordered("dictionary")
            .withOptional(Set.of("decorator", "->", "async"), Set.of("return_type"))
            .withChainFields(Map.of("attribute", "object", "call", "function"));

    private PythonSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    @Override
    public boolean matchesOtherKind(PatternNode.Node pattern, SyntaxNode node) {
        return node.kind().equals("import_from_statement") && importedModule(pattern) != null
                || isCallWithAnyArguments(pattern) && isBareDecorator(node);
    }

    @Override
    public List<SyntaxNode> candidates(PatternNode.Node pattern, Function<String, List<SyntaxNode>> byKind) {
        List<SyntaxNode> sameKind = byKind.apply(pattern.kind());
        if (isCallWithAnyArguments(pattern)) {
            List<SyntaxNode> calls = new ArrayList<>(sameKind);
            for (SyntaxNode decorator : byKind.apply("decorator")) {
                decorator.children().stream().filter(PythonSyntax::isBareDecorator).forEach(calls::add);
            }
            return calls;
        }
        if (importedModule(pattern) != null) {
            return LanguageSyntax.withKinds(sameKind, byKind, List.of("import_from_statement"));
        }
        return sameKind;
    }

    /**
     * What a metavariable written as a parameter binds: the parameter's name, whatever its type
     * annotation or default, as Semgrep's parameter patterns leave type and default open.
     */
    @Override
    public SyntaxNode parameterName(SyntaxNode node) {
        return switch (node.kind()) {
            case "default_parameter", "typed_default_parameter" -> {
                SyntaxNode name = LanguageSyntax.field(node, "name");
                yield name != null && name.kind().equals("identifier") ? name : node;
            }
            case "typed_parameter" -> node.children().stream().filter(c -> c.kind().equals("identifier")).findFirst().orElse(node);
            default -> node;
        };
    }

    @Override
    public boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (pattern.kind().equals("argument_list") && pattern.children().stream()
                .anyMatch(c -> c instanceof PatternNode.Node n && n.kind().equals("keyword_argument"))) {
            matchKeywordArguments(matcher, pattern.children(), node.children(), bindings, next);
            return true;
        }
        List<String> module = importedModule(pattern);
        if (module != null) {
            matchModuleImport(module, node, bindings, next);
            return true;
        }
        if (pattern.kind().equals("concatenated_string")) {
            // Semgrep's m_arguments_concat: among the parts of an implicit concatenation, "..." stands
            // for any run of parts (f-strings too), as an ellipsis does among arguments.
            List<PatternNode> parts = pattern.children().stream()
                    .map(part -> part instanceof PatternNode.StringLiteral s && s.content() == null && s.metavariable() == null
                            && s.regex() == null ? new PatternNode.Ellipsis() : part).toList();
            matcher.matchChildren(parts, 0, node.children(), 0, bindings, next);
            return true;
        }
        return false;
    }

    @Override
    public boolean matchOtherKindOnly(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings,
                                      Matcher.Found next) {
        if (isCallWithAnyArguments(pattern) && isBareDecorator(node)) {
            // Semgrep reads "@f" as a decorator call with no arguments, which "f(...)" takes in.
            matcher.match(pattern.children().get(0), node, bindings, next);
            return true;
        }
        List<String> module = importedModule(pattern);
        if (node.kind().equals("import_from_statement") && module != null) {
            matchModuleImport(module, node, bindings, next);
            return true;
        }
        return false;
    }

    /**
     * Keyword arguments match in any order: positional arguments in order, then each keyword
     * argument of the pattern against a different one of the call's. Without an ellipsis in the
     * pattern, the call may not have more keyword arguments than the pattern.
     */
    private static void matchKeywordArguments(Matcher matcher, List<PatternNode> patterns, List<SyntaxNode> nodes, Bindings bindings,
                                              Matcher.Found next) {
        List<PatternNode> positional = new ArrayList<>();
        List<PatternNode> keywords = new ArrayList<>();
        for (PatternNode p : patterns) {
            (p instanceof PatternNode.Node n && n.kind().equals("keyword_argument") ? keywords : positional).add(p);
        }
        List<SyntaxNode> positionalNodes = nodes.stream().filter(n -> !n.kind().equals("keyword_argument")).toList();
        List<SyntaxNode> keywordNodes = nodes.stream().filter(n -> n.kind().equals("keyword_argument")).toList();
        boolean open = patterns.stream().anyMatch(p -> p instanceof PatternNode.Ellipsis);
        if (!open && keywordNodes.size() != keywords.size()) {
            return;
        }
        matcher.matchChildren(positional, 0, positionalNodes, 0, bindings,
                b -> matcher.matchUnordered(keywords, 0, keywordNodes, new boolean[keywordNodes.size()], b, next));
    }

    /**
     * The module segments of an {@code import a.b} pattern (one plain module, no alias), or null.
     * Such a pattern matches any import of that module or of a module inside it, as Semgrep
     * compares module names by prefix: {@code import xml} matches {@code import xml.dom} and
     * {@code from xml.etree import ElementTree}.
     */
    private static List<String> importedModule(PatternNode.Node pattern) {
        List<PatternNode> children = pattern.children();
        if (!pattern.kind().equals("import_statement") || children.size() != 2
                || !(children.get(1) instanceof PatternNode.Node name) || !name.kind().equals("dotted_name")) {
            return null;
        }
        StringBuilder module = new StringBuilder();
        for (PatternNode part : name.children()) {
            if (!(part instanceof PatternNode.Token token)) {
                return null;
            }
            module.append(token.text());
        }
        return List.of(module.toString().split("\\."));
    }

    private static void matchModuleImport(List<String> module, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        // The modules the statement names: "import a.b, c" names a.b and c; "from a.b import c" names
        // a.b and a.b.c, so "import a.b.c" also matches it.
        String from = null;
        List<String> names = new ArrayList<>();
        for (SyntaxNode child : node.children()) {
            SyntaxNode name = child.kind().equals("aliased_import") ? child.children().get(0) : child;
            if (!name.kind().equals("dotted_name")) {
                continue;
            }
            if ("module_name".equals(child.field())) {
                from = name.text();
                names.add(from);
            } else if ("name".equals(child.field())) {
                names.add(from == null ? name.text() : from + "." + name.text());
            }
        }
        for (String name : names) {
            List<String> segments = List.of(name.replace(" ", "").split("\\."));
            if (segments.size() >= module.size() && segments.subList(0, module.size()).equals(module)) {
                next.found(bindings);
                return;
            }
        }
    }

    /** A call pattern {@code f(...)}: any arguments, none included. */
    private static boolean isCallWithAnyArguments(PatternNode.Node pattern) {
        return pattern.kind().equals("call") && pattern.children().size() == 2
                && pattern.children().get(1) instanceof PatternNode.Node arguments && arguments.kind().equals("argument_list")
                && arguments.children().size() == 1 && arguments.children().get(0) instanceof PatternNode.Ellipsis;
    }

    /** The name of a decorator written without a call ({@code @f}). */
    private static boolean isBareDecorator(SyntaxNode node) {
        return node.named() && !node.kind().equals("call") && node.parent() != null && node.parent().kind().equals("decorator");
    }
}
