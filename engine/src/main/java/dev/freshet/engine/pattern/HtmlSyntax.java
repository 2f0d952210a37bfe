package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * HTML as Semgrep reads it (Parse_html_tree_sitter into AST_generic's Xml, matched by
 * Generic_vs_generic's {@code m_xml} with the default rule options): an element pattern matches an
 * element of the same tag name, written as a pair of tags or self-closing
 * ({@code xml_singleton_loose_matching}); the attributes it names are found in any order among
 * others ({@code xml_attrs_implicit_ellipsis}); its body, when it has one, matches the children in
 * order with {@code ...} for any run of them ({@code xml_children_ordered}). An attribute's value is
 * a string whether it is quoted or not, so {@code "$X"} binds its content and {@code "..."} takes any.
 */
final class HtmlSyntax implements LanguageSyntax {
    static final HtmlSyntax INSTANCE = new HtmlSyntax();
    private static final Set<String> START_TAGS = Set.of("start_tag", "self_closing_tag");
    private static final Pattern TEXT_METAVARIABLE = Pattern.compile("\\$[A-Z_][A-Z0-9_]*");

    private HtmlSyntax() {
    }

    @Override
    public SyntaxTable table() {
        return SyntaxTable.STRUCTURAL;
    }

    @Override
    public boolean matchSameKind(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        return switch (pattern.kind()) {
            case "element" -> element(matcher, pattern, node, bindings, next);
            case "attribute" -> attribute(matcher, pattern, node, bindings, next);
            default -> false;
        };
    }

    /** Tag name, then attributes in any order, then the body; the end tag is no part of the comparison. */
    private static boolean element(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        if (pattern.children().isEmpty() || !(pattern.children().get(0) instanceof PatternNode.Node tag) || !START_TAGS.contains(tag.kind())
                || tag.children().size() < 2 || node.children().isEmpty() || !START_TAGS.contains(node.children().get(0).kind())) {
            return false;
        }
        // A start tag is "<", its name, its attributes and its closing ">" or "/>".
        List<PatternNode> attributes = tag.children().subList(2, tag.children().size()).stream()
                .filter(c -> !(c instanceof PatternNode.Token)).toList();
        if (attributes.stream().anyMatch(a -> a instanceof PatternNode.MetavariableEllipsis)) {
            // $...A among attributes binds the ones it stands for, in their order: the structural rule.
            return false;
        }
        SyntaxNode fileTag = node.children().get(0);
        List<SyntaxNode> fileAttributes = fileTag.children().stream().filter(c -> c.kind().equals("attribute")).toList();
        List<PatternNode> body = pattern.children().subList(1, pattern.children().size()).stream()
                .filter(c -> !(c instanceof PatternNode.Node n && n.kind().equals("end_tag"))).toList();
        List<SyntaxNode> fileBody = node.children().subList(1, node.children().size()).stream()
                .filter(c -> !c.kind().equals("end_tag")).toList();
        matcher.match(tag.children().get(1), fileTag.children().get(1), bindings, afterName -> matcher.matchUnordered(attributes, 0,
                fileAttributes, new boolean[fileAttributes.size()], afterName, afterAttributes -> {
                    if (body.isEmpty()) {
                        // An element written without a body matches any body (m_xml_bodies' less_is_ok).
                        next.found(afterAttributes);
                    } else {
                        matcher.matchChildren(body, 0, fileBody, 0, afterAttributes, next);
                    }
                }));
        return true;
    }

    /**
     * The same name, and a value only if the pattern gives one, the same string: {@code ...} or
     * {@code "..."} takes any, a metavariable ({@code $X} or {@code "$X"}) binds its content.
     */
    private static boolean attribute(Matcher matcher, PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        // An attribute is its name, and "=" and its value when it has one.
        List<PatternNode> parts = pattern.children();
        PatternNode value = parts.size() == 3 ? parts.get(2) : null;
        SyntaxNode fileValue = node.children().size() == 3 ? node.children().get(2) : null;
        if (parts.isEmpty() || node.children().isEmpty() || value == null != (fileValue == null)) {
            return true;
        }
        matcher.match(parts.get(0), node.children().get(0), bindings, afterName -> {
            if (value == null) {
                next.found(afterName);
                return;
            }
            SyntaxNode content = fileValue.kind().equals("attribute_value") ? fileValue
                    : fileValue.children().stream().filter(c -> c.kind().equals("attribute_value")).findFirst().orElse(null);
            Captured captured = content != null ? Captured.of(content) : Captured.ofText(fileValue.start() + 1, fileValue.start() + 1, "");
            String text = text(value);
            if (value instanceof PatternNode.Ellipsis || "...".equals(text)) {
                next.found(afterName);
            } else if (value instanceof PatternNode.Metavariable metavariable) {
                Matcher.bind(metavariable.name(), captured, afterName, next);
            } else if (text != null && TEXT_METAVARIABLE.matcher(text).matches()) {
                Matcher.bind(text, captured, afterName, next);
            } else if (text != null && text.equals(captured.text())) {
                next.found(afterName);
            }
        });
        return true;
    }

    /** The text a pattern's attribute value holds without its quotes, or null when it is no plain text. */
    private static String text(PatternNode value) {
        if (value instanceof PatternNode.Token token) {
            return token.text();
        }
        if (!(value instanceof PatternNode.Node quoted) || !quoted.kind().equals("quoted_attribute_value")) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        List<PatternNode> inside = quoted.children().subList(1, Math.max(1, quoted.children().size() - 1));
        for (PatternNode child : inside) {
            if (!(child instanceof PatternNode.Token token)) {
                return null;
            }
            text.append(token.text());
        }
        return text.toString();
    }
}
