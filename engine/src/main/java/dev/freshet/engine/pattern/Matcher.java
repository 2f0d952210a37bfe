package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.parse.SyntaxTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the places in one parsed file where a pattern matches. Matching is structural: a pattern
 * node matches a file node of the same kind whose children match in order, with ellipses
 * absorbing runs of siblings and metavariables capturing (and then requiring) equal code.
 * Every way a pattern can match is explored through continuations, so backtracking needs no copies.
 */
public final class Matcher {
    /** More ways to match one pattern at one node than this are not told apart. */
    private static final int MAX_MATCHES_PER_NODE = 64;
    /**
     * Children that match in any order, with more in the file than in the pattern allowed (a
     * destructuring {@code {a}} takes fields out of an object, so it matches {@code {a, b}} too).
     */
    private static final Set<String> UNORDERED = Set.of("modifiers", "object", "dictionary", "class_body", "import_spec_list",
            "named_imports", "object_pattern");
    private static final Set<String> ASSIGNMENTS = Set.of("assignment", "assignment_expression", "assignment_statement");
    private static final Set<String> DECLARATIONS = Set.of("local_variable_declaration", "field_declaration",
            "lexical_declaration", "variable_declaration", "var_declaration");
    private static final Set<String> DECLARATORS = Set.of("variable_declarator", "short_var_declaration", "var_spec");
    /** Children the file may have where the pattern says nothing: annotations and modifiers are optional. */
    private static final Set<String> OPTIONAL_KINDS = Set.of("modifiers", "decorator", "type_parameters", "throws", "->", "async",
            "type_arguments");

    private final SyntaxTree tree;
    private final Deadline deadline;
    private Map<String, List<SyntaxNode>> nodesByKind;
    private Imports imports;
    /** Matches by pattern text; a Matcher serves one file in one language, so the text identifies the pattern. */
    private final Map<String, List<Match>> wholeFileMatches = new HashMap<>();
    private final Map<PatternNode, List<PatternNode>> qualifiedNames = new java.util.IdentityHashMap<>();
    private static final List<PatternNode> NOT_A_NAME = List.of();
    private Constants constants;
    private Types types;
    private int steps;

    public Matcher(SyntaxTree tree, Deadline deadline) {
        this.tree = tree;
        this.deadline = deadline;
    }

    public SyntaxTree tree() {
        return tree;
    }

    /** All matches of the pattern in the whole file. */
    public List<Match> find(PatternNode pattern) {
        return find(pattern, null, Bindings.EMPTY);
    }

    /**
     * All matches of a compiled pattern in the whole file, remembered: rules often repeat the same
     * pattern (a {@code pattern-inside} shared by several alternatives, or by several rules).
     */
    public List<Match> findAll(CompiledPattern pattern) {
        List<Match> known = wholeFileMatches.get(pattern.source());
        if (known == null) {
            known = List.copyOf(find(pattern.root()));
            wholeFileMatches.put(pattern.source(), known);
        }
        return known;
    }

    /**
     * All matches of the pattern at or below {@code scope} (the whole file when null), starting from
     * the given bindings.
     */
    public List<Match> find(PatternNode pattern, SyntaxNode scope, Bindings initial) {
        List<SyntaxNode> candidates = opensWithEllipsis(pattern) ? List.of(scope == null ? tree.root() : scope)
                : scope == null ? candidates(pattern) : tree.descendants(scope);
        Set<SyntaxNode> sequenceStarts = pattern instanceof PatternNode.Sequence sequence
                ? sequenceStarts(sequence, candidates, initial) : null;
        Map<String, Match> found = new LinkedHashMap<>();
        if (scope != null && pattern instanceof PatternNode.Sequence sequence && !isBlockLike(scope.kind()) && !isExpressionLike(scope)) {
            // A statement a metavariable captured is a statement list of its own (metavariable-pattern).
            matchStatements(sequence.statements(), 0, List.of(scope), 0, initial, -1, -1, false, (b, start, end) -> {
                if (start >= 0) {
                    Match match = new Match(start, end, b);
                    found.putIfAbsent(match.key(), match);
                }
            });
        }
        for (SyntaxNode node : candidates) {
            if (!canStartAt(pattern, node)) {
                continue;
            }
            int before = found.size();
            if (pattern instanceof PatternNode.Sequence sequence) {
                List<SyntaxNode> statements = node.children();
                int lastStart = opensWithEllipsis(sequence) ? Math.min(1, statements.size()) : statements.size();
                for (int j = 0; j < lastStart; j++) {
                    // Sequences run over statements: a declarator or an argument starts none.
                    if (sequenceStarts != null && !sequenceStarts.contains(statements.get(j))
                            || !opensWithEllipsis(sequence) && isExpressionLike(statements.get(j))) {
                        continue;
                    }
                    matchStatements(sequence.statements(), 0, statements, j, initial, -1, -1, false, (b, start, end) -> {
                        if (start >= 0 && found.size() - before < MAX_MATCHES_PER_NODE) {
                            Match match = new Match(start, end, b);
                            found.putIfAbsent(match.key(), match);
                        }
                    });
                }
            } else {
                int start = declarationStart(node);
                match(pattern, node, initial, b -> {
                    if (found.size() - before < MAX_MATCHES_PER_NODE) {
                        Match match = new Match(start, node.end(), b);
                        found.putIfAbsent(match.key(), match);
                    }
                });
            }
        }
        return new ArrayList<>(found.values());
    }

    /**
     * Whether a sequence opens with a plain ellipsis. It absorbs any prefix, and the statements
     * after it are also looked for in nested blocks, so its match from the first statement of the
     * outermost block holds every other match (same bindings, a wider range): that one is enough.
     */
    private static boolean opensWithEllipsis(PatternNode pattern) {
        return pattern instanceof PatternNode.Sequence sequence && sequence.statements().get(0) instanceof PatternNode.Ellipsis;
    }

    /**
     * The statements a sequence can start at, found with one match attempt per node instead of one
     * per statement and enclosing statement: those its first statement matches, and those holding
     * (outside nested blocks) a match of that statement's expression. Null when any statement
     * could start it (the sequence opens with an ellipsis).
     */
    private Set<SyntaxNode> sequenceStarts(PatternNode.Sequence sequence, List<SyntaxNode> nodes, Bindings initial) {
        PatternNode first = sequence.statements().get(0);
        if (first instanceof PatternNode.Ellipsis || first instanceof PatternNode.MetavariableEllipsis) {
            return null;
        }
        PatternNode expression = first instanceof PatternNode.Node statement && statement.kind().equals("expression_statement")
                && statement.children().size() == 1 ? statement.children().get(0) : null;
        Set<SyntaxNode> starts = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (SyntaxNode node : nodes) {
            // An expression statement pattern matches another node only through its expression
            // (or parentheses), so the expression's outcome answers both questions at once.
            // Only statements start a sequence (find skips the rest), so only they are tried as starts.
            boolean expressionMatches = expression != null && matchesAtAll(expression, node, initial);
            if (!isExpressionLike(node) && (expression == null || node.kind().equals("expression_statement")
                    || Strings.isParenthesized(node.kind()) ? matchesAtAll(first, node, initial) : expressionMatches)) {
                starts.add(node);
            }
            if (expressionMatches && !node.isLeaf() && !isBlockLike(node.kind()) && canStartAt(expression, node)) {
                // Any enclosing node up to the nearest block holds this match "inside the statement".
                for (SyntaxNode holder = node.parent(); holder != null; holder = holder.parent()) {
                    starts.add(holder);
                    if (isBlockLike(holder.kind())) {
                        break;
                    }
                }
            }
        }
        return starts;
    }

    private boolean matchesAtAll(PatternNode pattern, SyntaxNode node, Bindings initial) {
        boolean[] matched = {false};
        match(pattern, node, initial, b -> matched[0] = true);
        return matched[0];
    }

    /**
     * Where a match on this node starts. A TypeScript class's decorators sit on the export
     * statement around it, yet belong to the class: the match starts at the first decorator.
     */
    private static int declarationStart(SyntaxNode node) {
        SyntaxNode parent = node.parent();
        if (node.kind().equals("class_declaration") && parent != null && parent.kind().equals("export_statement")
                && !parent.children().isEmpty() && parent.children().get(0).kind().equals("decorator")) {
            return parent.start();
        }
        return node.start();
    }

    private List<SyntaxNode> candidates(PatternNode pattern) {
        if (pattern instanceof PatternNode.Node node && !(isQualifiedName(node) && !imports().isEmpty())) {
            List<SyntaxNode> sameKind = nodesByKind().getOrDefault(node.kind(), List.of());
            if (node.kind().equals("constructor_declaration")) {
                List<SyntaxNode> declarations = new ArrayList<>(sameKind);
                declarations.addAll(nodesByKind().getOrDefault("method_declaration", List.of()));
                return declarations;
            }
            if (node.kind().equals("constructor_declaration")) {
                List<SyntaxNode> declarations = new ArrayList<>(sameKind);
                declarations.addAll(nodesByKind().getOrDefault("method_declaration", List.of()));
                return declarations;
            }
            if (node.kind().equals("function_expression")) {
                // function(...) {...} also stands for arrow functions.
                List<SyntaxNode> functions = new ArrayList<>(sameKind);
                functions.addAll(nodesByKind().getOrDefault("arrow_function", List.of()));
                return functions;
            }
            if (isAnyFunction(node)) {
                List<SyntaxNode> functions = new ArrayList<>(sameKind);
                functions.addAll(nodesByKind().getOrDefault("function_expression", List.of()));
                functions.addAll(nodesByKind().getOrDefault("arrow_function", List.of()));
                return functions;
            }
            if (isCallWithAnyArguments(node)) {
                List<SyntaxNode> calls = new ArrayList<>(sameKind);
                for (SyntaxNode decorator : nodesByKind().getOrDefault("decorator", List.of())) {
                    decorator.children().stream().filter(Matcher::isBareDecorator).forEach(calls::add);
                }
                return calls;
            }
            if (importedModule(node) != null) {
                List<SyntaxNode> imports = new ArrayList<>(sameKind);
                imports.addAll(nodesByKind().getOrDefault("import_from_statement", List.of()));
                return imports;
            }
            String alias = KIND_ALIASES.get(node.kind());
            if (alias != null) {
                List<SyntaxNode> both = new ArrayList<>(sameKind);
                both.addAll(nodesByKind().getOrDefault(alias, List.of()));
                return both;
            }
            if (!node.kind().startsWith("assignment")) {
                return sameKind;
            }
            // Assignments also match declarations with initializers.
            List<SyntaxNode> both = new ArrayList<>(sameKind);
            DECLARATORS.forEach(kind -> both.addAll(nodesByKind().getOrDefault(kind, List.of())));
            return both;
        }
        return tree.nodes();
    }

    private boolean constantLeaf(SyntaxNode identifier, String text) {
        SyntaxNode value = constants().valueOf(identifier);
        return value != null && value.isLeaf() && value.text().equals(text);
    }

    private static boolean isConcatenation(SyntaxNode node) {
        return (node.kind().equals("binary_expression") || node.kind().equals("binary_operator"))
                && node.children().size() == 3 && node.children().get(1).text().equals("+");
    }

    /**
     * The content of a string built from constants (literals, concatenations, interpolations,
     * variables holding a literal), or null when any part is not one (or nesting runs deep).
     */
    private String foldedString(SyntaxNode node, int depth) {
        if (depth > 64) {
            return null;
        }
        if (node.kind().equals("identifier")) {
            SyntaxNode value = constants().valueOf(node);
            return value != null && Strings.isString(value.kind()) ? foldedString(value, depth + 1) : null;
        }
        if (Strings.isString(node.kind())) {
            if (node.children().stream().noneMatch(c -> Strings.isInterpolation(c.kind()))) {
                return Strings.content(node.text());
            }
            StringBuilder text = new StringBuilder();
            for (SyntaxNode part : node.children()) {
                if (Strings.isInterpolation(part.kind())) {
                    List<SyntaxNode> inner = part.children().stream().filter(SyntaxNode::named).toList();
                    String value = inner.size() == 1 ? foldedString(inner.get(0), depth + 1) : null;
                    if (value == null) {
                        return null;
                    }
                    text.append(value);
                } else if (part.named() && !part.kind().equals("string_start") && !part.kind().equals("string_end")) {
                    text.append(part.text());
                }
            }
            return text.toString();
        }
        if (!isConcatenation(node)) {
            return null;
        }
        String left = foldedString(node.children().get(0), depth + 1);
        String right = left == null ? null : foldedString(node.children().get(2), depth + 1);
        return right == null ? null : left + right;
    }

    /** {@code function ... (...) {...}} in JavaScript: a function of any name or none. */
    private static boolean isAnyFunction(PatternNode.Node pattern) {
        return pattern.kind().equals("function_declaration") && pattern.children().size() > 1
                && pattern.children().get(1) instanceof PatternNode.Ellipsis;
    }

    private Map<String, List<SyntaxNode>> nodesByKind() {
        if (nodesByKind == null) {
            nodesByKind = new HashMap<>();
            for (SyntaxNode node : tree.nodes()) {
                nodesByKind.computeIfAbsent(node.kind(), k -> new ArrayList<>()).add(node);
            }
        }
        return nodesByKind;
    }

    /** A lone metavariable or ellipsis matches expressions, not every statement and token around them. */
    private boolean canStartAt(PatternNode pattern, SyntaxNode node) {
        return switch (pattern) {
            case PatternNode.Metavariable m -> node.named() && isExpressionLike(node);
            case PatternNode.TypedMetavariable m -> node.named() && isExpressionLike(node);
            case PatternNode.Ellipsis e -> node.named() && isExpressionLike(node);
            case PatternNode.Sequence s -> !node.children().isEmpty();
            case PatternNode.Node n -> sameKind(n.kind(), node.kind()) || isQualifiedName(n)
                    || n.kind().equals("constructor_declaration") && node.kind().equals("method_declaration")
                    || isAnyFunction(n) && (node.kind().equals("function_expression") || node.kind().equals("arrow_function"))
                    || n.kind().equals("function_expression") && node.kind().equals("arrow_function")
                    || node.kind().equals("import_from_statement") && importedModule(n) != null
                    || isCallWithAnyArguments(n) && isBareDecorator(node)
                    || n.kind().startsWith("assignment") && DECLARATORS.contains(node.kind());
            default -> true;
        };
    }

    private static boolean isExpressionLike(SyntaxNode node) {
        String kind = node.kind();
        // The pieces of a string literal (fragments, escapes) are one token to Semgrep; interpolations are code.
        if (node.parent() != null && Strings.isString(node.parent().kind()) && !Strings.isInterpolation(kind)) {
            return false;
        }
        return !(kind.endsWith("statement") || kind.endsWith("declaration") || kind.endsWith("definition")
                || kind.equals("module") || kind.equals("program") || kind.equals("source_file")
                || kind.equals("block") || kind.equals("comment") || node.parent() == null);
    }

    interface Found {
        void found(Bindings bindings);
    }

    interface FoundSpan {
        void found(Bindings bindings, int start, int end);
    }

    void match(PatternNode pattern, SyntaxNode node, Bindings bindings, Found next) {
        if (++steps % 4096 == 0) {
            deadline.check();
        }
        switch (pattern) {
            case PatternNode.Metavariable m -> {
                if (node.named()) {
                    bind(m.name(), Captured.of(parameterName(node)), bindings, next);
                }
            }
            case PatternNode.TypedMetavariable typed -> {
                if (node.named()) {
                    Bindings withType = typed(node, typed.type(), bindings);
                    if (withType != null) {
                        bind(typed.name(), Captured.of(node), withType, next);
                    }
                }
            }
            case PatternNode.Ellipsis e -> next.found(bindings);
            case PatternNode.MetavariableEllipsis m -> bind(m.name(), Captured.of(node), bindings, next);
            case PatternNode.Deep deep -> {
                for (SyntaxNode inner : tree.descendants(node)) {
                    match(deep.inner(), inner, bindings, next);
                }
            }
            case PatternNode.StringLiteral literal -> {
                boolean interpolated = Strings.isString(node.kind())
                        && node.children().stream().anyMatch(c -> Strings.isInterpolation(c.kind()));
                if (Strings.isString(node.kind()) && !interpolated) {
                    if (literal.metavariable() != null) {
                        int[] span = Strings.contentSpan(node.text());
                        bind(literal.metavariable(), Captured.ofText(node.start() + span[0], node.start() + span[1],
                                node.text().substring(span[0], span[1])), bindings, next);
                    } else if (literal.matches(Strings.content(node.text()))) {
                        next.found(bindings);
                    }
                } else if (node.kind().equals("identifier")) {
                    SyntaxNode value = constants().valueOf(node);
                    if (value != null && Strings.isString(value.kind())) {
                        match(pattern, value, bindings, next);
                    }
                } else if (isConcatenation(node) || interpolated) {
                    // "a" + "b" is the constant "ab", as Semgrep folds it; so is `${a}b` after a = "a".
                    // A string built from anything else at run time is not a literal.
                    String folded = foldedString(node, 0);
                    if (folded == null) {
                        return;
                    }
                    if (literal.metavariable() != null) {
                        bind(literal.metavariable(), Captured.ofText(node.start(), node.end(), folded), bindings, next);
                    } else if (literal.matches(folded)) {
                        next.found(bindings);
                    }
                } else {
                    matchInsideParentheses(pattern, node, bindings, next);
                }
            }
            case PatternNode.Token token -> {
                if (node.isLeaf() && (node.text().equals(token.text())
                        || token.text().equals("var") && node.kind().equals("const") && node.parent().kind().equals("const_declaration"))) {
                    next.found(bindings);
                } else if (node.kind().equals("identifier") && constantLeaf(node, token.text())) {
                    // A literal in the pattern (False, 0) also matches a name holding that constant, as in Semgrep.
                    next.found(bindings);
                } else {
                    matchInsideParentheses(pattern, node, bindings, next);
                }
            }
            case PatternNode.Node pnode when isDeepMember(pnode) -> matchDeepMember(pnode.children().get(0), node, bindings, next, 0);
            case PatternNode.Node pnode -> {
                boolean[] matched = {false};
                Found tracked = b -> {
                    matched[0] = true;
                    next.found(b);
                };
                if (sameKind(pnode.kind(), node.kind())) {
                    if (UNORDERED.contains(pnode.kind()) && !(pnode.children().isEmpty() && !node.children().isEmpty())) {
                        matchUnordered(pnode.children(), 0, node.children(), new boolean[node.children().size()], bindings, tracked);
                    } else if (pnode.kind().equals("variable_declarator") && pnode.children().size() == 1) {
                        // "Type $X;" also matches a declaration with an initializer.
                        match(pnode.children().get(0), node.children().get(0), bindings, tracked);
                    } else if (pnode.kind().equals("argument_list") && pnode.children().stream()
                            .anyMatch(c -> c instanceof PatternNode.Node n && n.kind().equals("keyword_argument"))) {
                        matchKeywordArguments(pnode.children(), node.children(), bindings, tracked);
                    } else if (importedModule(pnode) != null) {
                        matchModuleImport(importedModule(pnode), node, bindings, tracked);
                    } else if (isBareImport(pnode)) {
                        // "import 'm';" stands for any import of module m, whatever names it binds.
                        SyntaxNode source = node.children().stream().filter(c -> "source".equals(c.field())).findFirst().orElse(null);
                        PatternNode module = pnode.children().stream().filter(c -> c instanceof PatternNode.StringLiteral).findFirst().orElseThrow();
                        if (source != null) {
                            match(module, source, bindings, tracked);
                        }
                    } else if (pnode.kind().equals("function_expression") && anonymous(pnode) != pnode
                            && node.children().stream().noneMatch(c -> "name".equals(c.field()))) {
                        // function $NAME(...) {...} also stands for an anonymous function expression.
                        matchChildren(anonymous(pnode).children(), 0, node.children(), 0, bindings, tracked);
                    } else if (isBlockLike(pnode.kind())) {
                        matchStatements(pnode.children(), 0, node.children(), 0, bindings, -1, -1, true,
                                (b, start, end) -> tracked.found(b));
                    } else {
                        matchChildren(pnode.children(), 0, node.children(), 0, bindings, tracked);
                    }
                } else if (isCallWithAnyArguments(pnode) && isBareDecorator(node)) {
                    // Semgrep reads "@f" as a decorator call with no arguments, which "f(...)" takes in.
                    match(pnode.children().get(0), node, bindings, tracked);
                } else if (node.kind().equals("import_from_statement") && importedModule(pnode) != null) {
                    matchModuleImport(importedModule(pnode), node, bindings, tracked);
                } else {
                    matchInsideParentheses(pattern, node, bindings, tracked);
                    matchEquivalent(pnode, node, bindings, tracked);
                }
                if (!matched[0]) {
                    matchQualifiedName(pnode, node, bindings, next);
                }
            }
            case PatternNode.Sequence sequence ->
                    matchChildren(sequence.statements(), 0, List.of(node), 0, bindings, next);
        }
    }

    /**
     * What a metavariable written as a parameter binds: the parameter's name, whatever its type
     * annotation or default ({@code function f($X)} binds {@code x} in {@code f(x: string = "")}),
     * as Semgrep's parameter patterns leave type and default open. Other nodes bind themselves.
     */
    private static SyntaxNode parameterName(SyntaxNode node) {
        String field = switch (node.kind()) {
            case "required_parameter", "optional_parameter" -> "pattern";
            case "default_parameter", "typed_default_parameter" -> "name";
            case "typed_parameter" -> null;
            default -> {
                yield "";
            }
        };
        if ("".equals(field)) {
            return node;
        }
        for (SyntaxNode child : node.children()) {
            if (field == null ? child.kind().equals("identifier") : field.equals(child.field())) {
                return child.kind().equals("identifier") ? child : node;
            }
        }
        return node;
    }

    /**
     * The module segments of a Python {@code import a.b} pattern (one plain module, no alias), or null.
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

    private static void matchModuleImport(List<String> module, SyntaxNode node, Bindings bindings, Found next) {
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

    /** A Python call pattern {@code f(...)}: any arguments, none included. */
    private static boolean isCallWithAnyArguments(PatternNode.Node pattern) {
        return pattern.kind().equals("call") && pattern.children().size() == 2
                && pattern.children().get(1) instanceof PatternNode.Node arguments && arguments.kind().equals("argument_list")
                && arguments.children().size() == 1 && arguments.children().get(0) instanceof PatternNode.Ellipsis;
    }

    /** The name of a Python decorator written without a call ({@code @f}). */
    private static boolean isBareDecorator(SyntaxNode node) {
        return node.named() && !node.kind().equals("call") && node.parent() != null && node.parent().kind().equals("decorator");
    }

    /** A JavaScript {@code import 'm'} that names no bindings. */
    private static boolean isBareImport(PatternNode.Node pattern) {
        return pattern.kind().equals("import_statement")
                && pattern.children().stream().noneMatch(c -> c instanceof PatternNode.Node n && n.kind().equals("import_clause"))
                && pattern.children().stream().anyMatch(c -> c instanceof PatternNode.StringLiteral);
    }

    /** {@code $X. ...}: the object of a member access followed by any chain of accesses and calls. */
    private static boolean isDeepMember(PatternNode.Node pattern) {
        List<PatternNode> children = pattern.children();
        return children.size() == 3 && children.get(2) instanceof PatternNode.Ellipsis
                && children.get(1) instanceof PatternNode.Token dot && dot.text().equals(".");
    }

    /** The object in front of {@code $X. ...} matches the node itself or the start of any chain of accesses and calls it is. */
    private void matchDeepMember(PatternNode start, SyntaxNode node, Bindings bindings, Found next, int depth) {
        match(start, node, bindings, next);
        SyntaxNode inner = chainInner(node);
        if (inner != null && depth < 256) {
            matchDeepMember(start, inner, bindings, next, depth + 1);
        }
    }

    /** What a member access or call applies to: {@code a.b} for {@code a.b.c} and {@code a.b(x)}. */
    private static SyntaxNode chainInner(SyntaxNode node) {
        String field = switch (node.kind()) {
            case "selector_expression" -> "operand";
            case "member_expression", "field_access", "attribute", "method_invocation" -> "object";
            case "call_expression", "call" -> "function";
            default -> null;
        };
        if (field == null) {
            return null;
        }
        for (SyntaxNode child : node.children()) {
            if (field.equals(child.field())) {
                return child;
            }
        }
        return null;
    }

    /**
     * A dotted name in the pattern ({@code hashlib.md5}) against a name the file imported
     * ({@code md5} after {@code from hashlib import md5}), compared segment by segment.
     */
    private void matchQualifiedName(PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Found next) {
        if (imports().isEmpty() || !(node.isLeaf() || node.children().size() == 3)) {
            return;
        }
        List<PatternNode> wanted = qualifiedName(pattern);
        if (wanted == null) {
            return;
        }
        List<SyntaxNode> written = new ArrayList<>();
        if (!targetSegments(node, written)) {
            return;
        }
        List<String> imported = imports().resolve(written.get(0).text(), written.get(0));
        if (imported == null || imported.size() + written.size() - 1 != wanted.size()) {
            return;
        }
        Bindings current = bindings;
        for (int i = 0; i < wanted.size(); i++) {
            int fromFile = i - (imported.size() - 1);
            String text = fromFile <= 0 ? imported.get(i) : written.get(fromFile).text();
            switch (wanted.get(i)) {
                case PatternNode.Token token -> {
                    if (!token.text().equals(text)) {
                        return;
                    }
                }
                case PatternNode.Metavariable m -> {
                    SyntaxNode first = written.get(0);
                    Captured captured = fromFile > 0 ? Captured.of(written.get(fromFile))
                            : Captured.ofText(first.start(), first.end(), text);
                    Captured bound = current.get(m.name());
                    if (bound != null && !bound.sameCode(captured)) {
                        return;
                    }
                    if (bound == null && !m.name().equals("$_")) {
                        current = current.with(m.name(), captured);
                    }
                }
                default -> {
                    return;
                }
            }
        }
        next.found(current);
    }

    private boolean isQualifiedName(PatternNode.Node pattern) {
        return qualifiedName(pattern) != null;
    }

    /** The segments of a dotted-name pattern (two or more), or null; remembered per pattern node. */
    private List<PatternNode> qualifiedName(PatternNode.Node pattern) {
        return qualifiedNames.computeIfAbsent(pattern, p -> {
            List<PatternNode> segments = new ArrayList<>();
            return patternSegments(p, segments) && segments.size() >= 2 ? segments : NOT_A_NAME;
        }) == NOT_A_NAME ? null : qualifiedNames.get(pattern);
    }

    private static boolean patternSegments(PatternNode pattern, List<PatternNode> out) {
        switch (pattern) {
            case PatternNode.Token token when isIdentifier(token.text()) -> out.add(token);
            case PatternNode.Metavariable m -> out.add(m);
            case PatternNode.Node node when node.children().size() == 3
                    && node.children().get(1) instanceof PatternNode.Token dot && dot.text().equals(".") -> {
                if (!patternSegments(node.children().get(0), out)) {
                    return false;
                }
                PatternNode last = node.children().get(2);
                if (!(last instanceof PatternNode.Metavariable || last instanceof PatternNode.Token t && isIdentifier(t.text()))) {
                    return false;
                }
                out.add(last);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static boolean targetSegments(SyntaxNode node, List<SyntaxNode> out) {
        if (node.isLeaf()) {
            if (!node.kind().contains("identifier")) {
                return false;
            }
            out.add(node);
            return true;
        }
        List<SyntaxNode> children = node.children();
        if (children.size() != 3 || !children.get(1).text().equals(".") || !children.get(2).isLeaf()
                || !children.get(2).kind().contains("identifier")) {
            return false;
        }
        if (!targetSegments(children.get(0), out)) {
            return false;
        }
        out.add(children.get(2));
        return true;
    }

    private static boolean isIdentifier(String text) {
        return !text.isEmpty() && Character.isJavaIdentifierStart(text.charAt(0))
                && text.chars().allMatch(Character::isJavaIdentifierPart);
    }

    private Constants constants() {
        if (constants == null) {
            constants = new Constants(tree.root());
        }
        return constants;
    }

    /**
     * The bindings extended by the metavariables of a type pattern when {@code node}'s declared
     * type matches it, or null when it does not (or the type is unknown).
     */
    public Bindings typed(SyntaxNode node, String type, Bindings bindings) {
        Types.Type actual = types().typeOf(node);
        return actual == null ? null : types().matches(type, actual, bindings, node);
    }

    /** Whether the file declares or writes the expression as a number. */
    public boolean isNumber(SyntaxNode node) {
        return types().isNumber(node);
    }

    private Types types() {
        if (types == null) {
            types = new Types(tree, imports(), constants());
        }
        return types;
    }

    private Imports imports() {
        if (imports == null) {
            imports = Imports.of(tree);
        }
        return imports;
    }

    /**
     * Forms Semgrep treats as the same: a statement pattern against a statement that is not an
     * expression statement, and an assignment against a declaration with an initializer
     * ({@code $X = new Foo()} matches {@code Foo x = new Foo();} and {@code const x = new Foo()}).
     */
    private void matchEquivalent(PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Found next) {
        String kind = pattern.kind();
        if (kind.equals("import_spec") && node.kind().equals("import_declaration")) {
            // Among statements, a Go import spec pattern stands for a declaration that imports it.
            for (SyntaxNode child : node.children()) {
                List<SyntaxNode> specs = child.kind().equals("import_spec_list") ? child.children() : List.of(child);
                for (SyntaxNode spec : specs) {
                    if (spec.kind().equals("import_spec")) {
                        match(pattern, spec, bindings, next);
                    }
                }
            }
            return;
        }
        if (kind.equals("function_expression") && node.kind().equals("arrow_function")) {
            matchArrowFunction(anonymous(pattern), node, bindings, next);
            return;
        }
        if (kind.equals("constructor_declaration") && node.kind().equals("method_declaration")) {
            // A Java declaration written without a return type ($M(...) {...}) is a method of any return type.
            List<SyntaxNode> withoutType = node.children().stream().filter(c -> !"type".equals(c.field())).toList();
            List<PatternNode> children = pattern.children().stream()
                    .map(c -> c instanceof PatternNode.Node body && body.kind().equals("constructor_body")
                            ? new PatternNode.Node("block", body.children()) : c).toList();
            matchChildren(children, 0, withoutType, 0, bindings, next);
            return;
        }
        if (isAnyFunction(pattern)) {
            // "function ... (...) {...}": any function, named or not, arrow functions too.
            if (node.kind().equals("function_expression")) {
                matchChildren(pattern.children(), 0, node.children(), 0, bindings, next);
            } else if (node.kind().equals("arrow_function")) {
                List<PatternNode> anonymous = new ArrayList<>(pattern.children());
                anonymous.remove(1);
                matchArrowFunction(new PatternNode.Node("function_expression", anonymous), node, bindings, next);
            }
            return;
        }
        if (!kind.startsWith("assignment") && !kind.equals("expression_statement")) {
            return;
        }
        List<PatternNode> children = pattern.children();
        if (pattern.kind().equals("expression_statement") && children.size() == 1 && children.get(0) instanceof PatternNode.Node inner) {
            match(inner, node, bindings, next);
            return;
        }
        if (!ASSIGNMENTS.contains(pattern.kind()) || children.size() != 3) {
            return;
        }
        String nodeKind = node.kind();
        if (DECLARATIONS.contains(nodeKind)) {
            List<SyntaxNode> declarators = node.children().stream().filter(c -> DECLARATORS.contains(c.kind())).toList();
            if (declarators.size() == 1) {
                match(pattern, declarators.get(0), bindings, next);
            }
        } else if (DECLARATORS.contains(node.kind()) && node.children().size() >= 3 && !declaresSeveral(node)) {
            List<SyntaxNode> parts = node.children();
            SyntaxNode name = parts.get(0);
            SyntaxNode value = parts.get(parts.size() - 1);
            match(children.get(0), name, bindings, b -> match(children.get(2), value, b, next));
        }
    }

    /**
     * A Go {@code var a, b = f()}: a tuple definition, which the assignment equivalence leaves alone
     * (it stands for no single variable's definition).
     */
    private static boolean declaresSeveral(SyntaxNode declarator) {
        return declarator.kind().equals("var_spec")
                && declarator.children().stream().filter(c -> "name".equals(c.field())).count() > 1;
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
    private void matchArrowFunction(PatternNode.Node pattern, SyntaxNode arrow, Bindings bindings, Found next) {
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
        Found matchBody = b -> {
            if (wantedBody == null) {
                next.found(b);
            } else if (arrowBody.kind().equals("statement_block")) {
                match(wantedBody, arrowBody, b, next);
            } else if (wantedBody instanceof PatternNode.Node block && block.children().size() == 1
                    && block.children().get(0) instanceof PatternNode.Ellipsis) {
                next.found(b);
            }
        };
        if (parameters == null) {
            matchBody.found(bindings);
        } else if (arrowParameters.kind().equals("formal_parameters")) {
            match(parameters, arrowParameters, bindings, matchBody);
        } else {
            matchChildren(((PatternNode.Node) parameters).children(), 0, List.of(arrowParameters), 0, bindings, matchBody);
        }
    }

    private void matchInsideParentheses(PatternNode pattern, SyntaxNode node, Bindings bindings, Found next) {
        if (Strings.isParenthesized(node.kind()) && node.children().size() == 1) {
            match(pattern, node.children().get(0), bindings, next);
        }
    }

    private static void bind(String name, Captured captured, Bindings bindings, Found next) {
        if (name.equals("$_") || name.equals("$..._")) {
            next.found(bindings);
            return;
        }
        Captured bound = bindings.get(name);
        if (bound == null) {
            next.found(bindings.with(name, captured));
        } else if (bound.sameCode(captured)) {
            next.found(bindings);
        }
    }

    /** Pattern children against file children, in order, the whole list. */
    private void matchChildren(List<PatternNode> patterns, int i, List<SyntaxNode> nodes, int j, Bindings bindings, Found next) {
        if (i == patterns.size()) {
            if (j == nodes.size()) {
                next.found(bindings);
            } else if (isOptional(nodes.get(j))) {
                matchChildren(patterns, i, nodes, j + 1, bindings, next);
            }
            return;
        }
        PatternNode pattern = patterns.get(i);
        switch (pattern) {
            case PatternNode.Ellipsis e -> {
                for (int k = j; k <= nodes.size(); k++) {
                    matchChildren(patterns, i + 1, nodes, k, bindings, next);
                }
            }
            case PatternNode.MetavariableEllipsis m -> {
                for (int k = j; k <= nodes.size(); k++) {
                    int end = k;
                    int emptyAt = j < nodes.size() ? nodes.get(j).start() : (j > 0 ? nodes.get(j - 1).end() : 0);
                    bind(m.name(), Captured.of(nodes.subList(j, k), tree.source(), emptyAt), bindings,
                            b -> matchChildren(patterns, i + 1, nodes, end, b, next));
                }
            }
            default -> {
                if (pattern instanceof PatternNode.Node optional && optional.children().size() == 1
                        && optional.children().get(0) instanceof PatternNode.Ellipsis && !Strings.isInterpolation(optional.kind())
                        && (j >= nodes.size() || !nodes.get(j).kind().equals(optional.kind()))) {
                    // "(...)" where the file has no parentheses at all: class C: vs class $C(...):
                    matchChildren(patterns, i + 1, nodes, j, bindings, next);
                }
                if (j >= nodes.size()) {
                    return;
                }
                SyntaxNode node = nodes.get(j);
                match(pattern, node, bindings, b -> matchChildren(patterns, i + 1, nodes, j + 1, b, next));
                if (isOptional(node) && !(pattern instanceof PatternNode.Node p && p.kind().equals(node.kind()))) {
                    matchChildren(patterns, i, nodes, j + 1, bindings, next);
                }
            }
        }
    }

    /**
     * A pattern written as one kind of node that also matches another: a Java local declaration
     * and a field; a Go {@code var} and a {@code const} (Semgrep's var pattern ignores constness).
     */
    private static final Map<String, String> KIND_ALIASES = Map.of("local_variable_declaration", "field_declaration",
            "var_declaration", "const_declaration", "var_spec", "const_spec");

    private static boolean sameKind(String patternKind, String nodeKind) {
        return patternKind.equals(nodeKind) || nodeKind.equals(KIND_ALIASES.get(patternKind));
    }

    private static boolean isOptional(SyntaxNode node) {
        // A Go import pattern without an alias matches the import under any alias, as in Semgrep.
        return OPTIONAL_KINDS.contains(node.kind()) || "return_type".equals(node.field())
                || "name".equals(node.field()) && node.parent() != null && node.parent().kind().equals("import_spec");
    }

    /**
     * Python keyword arguments match in any order: positional arguments in order, then each
     * keyword argument of the pattern against a different one of the call's. Without an ellipsis
     * in the pattern, the call may not have more keyword arguments than the pattern.
     */
    private void matchKeywordArguments(List<PatternNode> patterns, List<SyntaxNode> nodes, Bindings bindings, Found next) {
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
        matchChildren(positional, 0, positionalNodes, 0, bindings,
                b -> matchUnordered(keywords, 0, keywordNodes, new boolean[keywordNodes.size()], b, next));
    }

    /** Each pattern child matches a different file child, in any order (modifier lists). */
    private void matchUnordered(List<PatternNode> patterns, int i, List<SyntaxNode> nodes, boolean[] used, Bindings bindings, Found next) {
        if (i == patterns.size()) {
            next.found(bindings);
            return;
        }
        PatternNode pattern = patterns.get(i);
        if (pattern instanceof PatternNode.Ellipsis) {
            matchUnordered(patterns, i + 1, nodes, used, bindings, next);
            return;
        }
        for (int j = 0; j < nodes.size(); j++) {
            if (used[j]) {
                continue;
            }
            int taken = j;
            used[taken] = true;
            match(pattern, nodes.get(j), bindings, b -> matchUnordered(patterns, i + 1, nodes, used, b, next));
            used[taken] = false;
        }
    }

    /**
     * Statements of a pattern against a run of statements in a block. After an ellipsis the next
     * statement may also be nested deeper (inside an {@code if} or a loop that follows), and an
     * expression statement also matches a statement that contains the expression, as in Semgrep.
     * With {@code strictEnd} the pattern must account for the block's last statement.
     */
    private void matchStatements(List<PatternNode> patterns, int i, List<SyntaxNode> nodes, int j, Bindings bindings,
                                 int start, int end, boolean strictEnd, FoundSpan next) {
        matchStatements(patterns, i, nodes, j, bindings, start, end, strictEnd, false, next);
    }

    /** @param flat whether {@code nodes} already lists nested statements (after an ellipsis) */
    private void matchStatements(List<PatternNode> patterns, int i, List<SyntaxNode> nodes, int j, Bindings bindings,
                                 int start, int end, boolean strictEnd, boolean flat, FoundSpan next) {
        if (i == patterns.size()) {
            // In a flattened list, statements nested in the last match do not count as left over.
            if (!strictEnd || j == nodes.size() || flat && nodes.get(nodes.size() - 1).end() <= end) {
                next.found(bindings, start, end);
            }
            return;
        }
        PatternNode pattern = patterns.get(i);
        if (pattern instanceof PatternNode.Ellipsis || pattern instanceof PatternNode.MetavariableEllipsis) {
            if (start < 0 && j < nodes.size()) {
                // A leading ellipsis takes in the statements it skips, so the match starts at the first.
                start = nodes.get(j).start();
            }
            if (i == patterns.size() - 1) {
                // A trailing ellipsis takes in the rest of the block, so the match spans it.
                next.found(bindings, start, j < nodes.size() ? Math.max(end, nodes.get(nodes.size() - 1).end()) : end);
                return;
            }
            List<SyntaxNode> rest = flat ? nodes : flattenStatements(nodes, j);
            // Past a plain ellipsis the block need not end where the pattern does (Semgrep's less-is-ok);
            // $...BODY still takes exactly what it spans.
            boolean strictAfter = strictEnd && pattern instanceof PatternNode.MetavariableEllipsis;
            for (int k = flat ? j : 0; k < rest.size(); k++) {
                matchStatements(patterns, i + 1, rest, k, bindings, start, end, strictAfter, true, next);
            }
            return;
        }
        if (j >= nodes.size()) {
            return;
        }
        SyntaxNode node = nodes.get(j);
        int newStart = start < 0 ? node.start() : start;
        // In a flattened list the statements nested in this one come next; the pattern's next statement follows it.
        int after = j + 1;
        while (flat && after < nodes.size() && nodes.get(after).start() < node.end()) {
            after++;
        }
        int following = after;
        Found continuation = b -> matchStatements(patterns, i + 1, nodes, following, b, newStart, node.end(), strictEnd, flat, next);
        boolean[] matched = {false};
        match(pattern, node, bindings, b -> {
            matched[0] = true;
            continuation.found(b);
        });
        // A block's statements are matched on their own, not as the inside of one statement.
        if (pattern instanceof PatternNode.Node statement && statement.kind().equals("expression_statement")
                && statement.children().size() == 1 && !isBlockLike(node.kind())) {
            if (!matched[0] && statement.children().get(0) instanceof PatternNode.Deep deep) {
                // "<... e ...>" as a statement is any statement containing e, a bare name ("return f") included.
                match(deep, node, bindings, continuation);
            } else if (!matched[0]) {
                matchInsideStatement(statement.children().get(0), node, bindings, continuation);
            } else {
                // The statement's expression matched; calls nested in it may match too (a.Order(x).Find(y)).
                for (SyntaxNode child : node.children()) {
                    if (!child.isLeaf() && !isBlockLike(child.kind())) {
                        matchInsideStatement(statement.children().get(0), child, bindings, continuation);
                    }
                }
            }
        }
    }

    /** Matches an expression anywhere in a statement, outside its nested blocks (statements of their own). */
    private void matchInsideStatement(PatternNode expression, SyntaxNode node, Bindings bindings, Found next) {
        for (SyntaxNode child : node.children()) {
            if (child.isLeaf() || isBlockLike(child.kind())) {
                continue;
            }
            if (canStartAt(expression, child)) {
                match(expression, child, bindings, next);
            }
            matchInsideStatement(expression, child, bindings, next);
        }
    }

    private static List<SyntaxNode> flattenStatements(List<SyntaxNode> nodes, int from) {
        List<SyntaxNode> out = new ArrayList<>();
        for (int k = from; k < nodes.size(); k++) {
            addStatements(nodes.get(k), out);
        }
        return out;
    }

    private static void addStatements(SyntaxNode node, List<SyntaxNode> out) {
        out.add(node);
        addNestedStatements(node, out);
    }

    /** Statements are the children of blocks, however deep the blocks sit in {@code node}. */
    private static void addNestedStatements(SyntaxNode node, List<SyntaxNode> out) {
        boolean block = isBlockLike(node.kind());
        for (SyntaxNode child : node.children()) {
            if (block) {
                addStatements(child, out);
            } else {
                addNestedStatements(child, out);
            }
        }
    }

    private static boolean isBlockLike(String kind) {
        return kind.equals("block") || kind.equals("statement_block") || kind.equals("statement_list")
                || kind.equals("class_body") || kind.equals("switch_block_statement_group") || kind.equals("constructor_body");
    }
}
