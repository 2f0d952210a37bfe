package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Dart as Semgrep reads it ({@code Parse_dart_tree_sitter}): an import's URI is a module name, a
 * dotted name of the scheme and the path's segments ({@code package:a/b.dart} is
 * {@code package, a, b.dart}; a URI of another form is one segment), and an import pattern names a
 * module by a prefix of those segments ({@code Generic_vs_generic.m_module_name_prefix}: pattern
 * {@code import 'package:a';} matches {@code import 'package:a/b.dart';}).
 */
final class DartSyntax implements LanguageSyntax {
    static final DartSyntax INSTANCE = new DartSyntax();
    /** An ellipsis standing for statements is written as one, with its semicolon. */
    private static final SyntaxTable TABLE = SyntaxTable.STRUCTURAL.withSpelling(new SyntaxTable.Spelling(false, ";"));
    private static final Pattern SCHEME = Pattern.compile("(dart|package):(.*)", Pattern.DOTALL);

    private DartSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return TABLE;
    }

    @Override
    public boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (!pattern.kind().equals("uri") || !isImported(node) || pattern.children().size() != 1
                || !(pattern.children().get(0) instanceof PatternNode.StringLiteral literal) || literal.content() == null
                || node.children().size() != 1 || !Strings.isString(node.children().get(0).kind())) {
            return false;
        }
        List<String> wanted = segments(literal.content());
        List<String> written = segments(Strings.content(node.children().get(0)));
        if (wanted.size() <= written.size() && written.subList(0, wanted.size()).equals(wanted)) {
            next.found(bindings);
        }
        return true;
    }

    /** Whether the URI is an import's (a part or export directive names its file exactly). */
    private static boolean isImported(SyntaxNode uri) {
        SyntaxNode parent = uri.parent();
        return parent != null && parent.kind().equals("configurable_uri") && parent.parent() != null
                && parent.parent().kind().equals("import_specification");
    }

    /** Semgrep's module name of an import URI. */
    private static List<String> segments(String uri) {
        java.util.regex.Matcher scheme = SCHEME.matcher(uri);
        if (!scheme.matches()) {
            return List.of(uri);
        }
        return Stream.concat(Stream.of(scheme.group(1)), Arrays.stream(scheme.group(2).split("/", -1))).toList();
    }
}
