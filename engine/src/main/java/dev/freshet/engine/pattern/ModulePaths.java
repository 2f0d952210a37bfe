package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SyntaxNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Semgrep's rules for import patterns (Generic_vs_generic's {@code m_directive} with
 * {@code m_module_name_prefix}, and Normalize_generic's {@code normalize_import_opt}):
 * <ul>
 * <li>the module an import pattern names also matches a module it is a prefix of, segment by
 * segment for dotted names ({@code import com.google.ai} matches {@code import com.google.ai.chat.Route})
 * and up to a path separator for file names ({@code import "@scope"} matches {@code "@scope/pkg"},
 * not {@code "@scoped"});</li>
 * <li>a pattern that imports a module and nothing else (no alias, no names) matches every form of
 * import of such a module (with an alias, a wildcard, named or static imports), except where the
 * language reads that pattern as a wildcard import, which Semgrep never normalizes (C#'s {@code using}).</li>
 * </ul>
 * Only a module written out literally is compared by prefix; a metavariable or ellipsis in its place
 * matches as everywhere else.
 */
final class ModulePaths {
    /**
     * Where an import kind keeps its module: its last child of one of {@code path} kinds or fields,
     * and whether a bare pattern of that kind matches every form of import (Semgrep's normalization).
     */
    private record ImportForm(Set<String> path, boolean anyForm) {
    }

    private static final Map<String, ImportForm> JAVASCRIPT = Map.of("import_statement", new ImportForm(Set.of("source"), true));
    private static final Map<Language, Map<String, ImportForm>> IMPORTS = new EnumMap<>(Map.of(
            Language.JAVA, Map.of("import_declaration", new ImportForm(Set.of("scoped_identifier", "identifier"), true)),
            Language.KOTLIN, Map.of("import_header", new ImportForm(Set.of("identifier"), true)),
            Language.GO, Map.of("import_spec", new ImportForm(Set.of("path"), true)),
            // using X; is Semgrep's ImportAll, which it matches against other ImportAlls only.
            Language.CSHARP, Map.of("using_directive", new ImportForm(Set.of("qualified_name", "identifier"), false)),
            Language.JAVASCRIPT, JAVASCRIPT, Language.TYPESCRIPT, JAVASCRIPT, Language.TSX, JAVASCRIPT));
    /** What separates the segments of a dotted module name, and of a file name. */
    private static final Set<String> SEPARATORS = Set.of(".", "::");

    private ModulePaths() {
    }

    /** Whether the language has import forms this class matches (asked once per file, not for every node). */
    static boolean apply(Language language) {
        return IMPORTS.containsKey(language);
    }

    /**
     * Matches an import pattern against an import of the same kind when the pattern writes its module
     * out as a prefix of the file's; returns false (nothing tried) otherwise, and the pattern matches
     * as any other (a module that is a metavariable, or not a prefix at all).
     */
    static boolean match(Matcher matcher, Language language, PatternNode.Node pattern, SyntaxNode node, Bindings bindings,
                         Matcher.Found next) {
        Map<String, ImportForm> forms = IMPORTS.get(language);
        ImportForm form = forms == null ? null : forms.get(pattern.kind());
        int pathIndex = form == null ? -1 : pathIndex(node, form);
        if (pathIndex < 0) {
            return false;
        }
        List<PatternNode> patterns = pattern.children();
        List<SyntaxNode> nodes = node.children();
        SyntaxNode path = nodes.get(pathIndex);
        boolean found = false;
        for (int p = 0; p < patterns.size(); p++) {
            if (!isPrefix(patterns.get(p), path)) {
                continue;
            }
            found = true;
            if (form.anyForm() && isBare(patterns, p, nodes)) {
                next.found(bindings);
                continue;
            }
            List<PatternNode> after = patterns.subList(p + 1, patterns.size());
            matcher.matchChildren(patterns.subList(0, p), 0, nodes.subList(0, pathIndex), 0, bindings,
                    b -> matcher.matchChildren(after, 0, nodes.subList(pathIndex + 1, nodes.size()), 0, b, next));
        }
        return found;
    }

    private static int pathIndex(SyntaxNode node, ImportForm form) {
        List<SyntaxNode> children = node.children();
        for (int i = children.size() - 1; i >= 0; i--) {
            SyntaxNode child = children.get(i);
            if (form.path().contains(child.kind()) || child.field() != null && form.path().contains(child.field())) {
                return i;
            }
        }
        return -1;
    }

    /** A pattern of keywords and the module alone, all of whose keywords the import spells too (terminators aside). */
    private static boolean isBare(List<PatternNode> patterns, int pathAt, List<SyntaxNode> nodes) {
        for (int i = 0; i < patterns.size(); i++) {
            if (i == pathAt) {
                continue;
            }
            if (!(patterns.get(i) instanceof PatternNode.Token token)) {
                return false;
            }
            if (!token.text().equals(";") && nodes.stream().noneMatch(n -> n.isLeaf() && n.text().equals(token.text()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the pattern node is a module written out that is a prefix of the file's module. */
    private static boolean isPrefix(PatternNode pattern, SyntaxNode path) {
        if (pattern instanceof PatternNode.StringLiteral string) {
            if (string.content() == null || string.regex() != null || string.metavariable() != null || !Strings.isString(path.kind())) {
                return false;
            }
            return isFilePathPrefix(string.content(), Strings.content(path));
        }
        List<String> wanted = new ArrayList<>();
        if (!literalTokens(pattern, wanted) || wanted.stream().noneMatch(ModulePaths::isName)) {
            return false;
        }
        List<String> written = new ArrayList<>();
        leaves(path, written);
        return written.size() >= wanted.size() && written.subList(0, wanted.size()).equals(wanted)
                && (written.size() == wanted.size() || SEPARATORS.contains(written.get(wanted.size())));
    }

    /** Semgrep's filepath_is_prefix: {@code wanted} starts {@code written}, which goes on, if at all, with a separator. */
    static boolean isFilePathPrefix(String wanted, String written) {
        return written.startsWith(wanted) && (written.length() == wanted.length()
                || written.charAt(wanted.length()) == '/' || written.charAt(wanted.length()) == '\\');
    }

    private static boolean literalTokens(PatternNode pattern, List<String> out) {
        switch (pattern) {
            case PatternNode.Token token -> out.add(token.text());
            case PatternNode.Node node -> {
                for (PatternNode child : node.children()) {
                    if (!literalTokens(child, out)) {
                        return false;
                    }
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void leaves(SyntaxNode node, List<String> out) {
        if (node.isLeaf()) {
            out.add(node.text());
        }
        node.children().forEach(child -> leaves(child, out));
    }

    private static boolean isName(String token) {
        return !token.isEmpty() && Character.isJavaIdentifierStart(token.charAt(0));
    }
}
