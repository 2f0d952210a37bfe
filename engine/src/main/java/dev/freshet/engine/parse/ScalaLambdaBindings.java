package dev.freshet.engine.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scala 2 lets a function literal that is the whole of a block name one typed parameter without
 * parentheses, implicit or not: {@code Action { implicit request: Request[T] => ... }} (the
 * language's ResultExpr, which Semgrep's Scala parser reads as a lambda with one parameter). The
 * tree-sitter grammar has no such rule (it reads an ascription and then fails), so the text the
 * grammar parses gets the parentheses it knows, written over the blank before the parameter (or the
 * {@code implicit} keyword, a modifier Semgrep's lambda parameters do not match on) and the blank
 * before the arrow. Only ASCII is replaced by ASCII at the same offsets, so the tree's offsets and
 * texts stay those of the file.
 */
final class ScalaLambdaBindings {
    /** {@code {}, a blank, perhaps {@code implicit}, a name, {@code :}, a type without arrows or braces, a blank, {@code =>}. */
    private static final Pattern TYPED_PARAMETER = Pattern.compile(
            "\\{([ \\t\\r\\n]*)(implicit[ \\t]+)?([A-Za-z_$][\\w$]*)[ \\t]*:[ \\t]*[\\w$.\\[\\], ]+?([ \\t\\r\\n])=>");
    private static final String SELF_TYPE = "self_type";

    private ScalaLambdaBindings() {
    }

    /**
     * The text to parse in place of {@code tree}'s source, or null when no block opens with a typed
     * parameter. The grammar may read one without an error, as an ascription to a function type,
     * which Scala never means there. A self type ({@code self: T =>} at the top of a class body)
     * looks the same and is left alone: the grammar reads it.
     */
    static String repaired(SyntaxTree tree) {
        String source = tree.source();
        Matcher typed = TYPED_PARAMETER.matcher(source);
        char[] text = null;
        while (typed.find()) {
            boolean implicit = typed.group(2) != null;
            if (!implicit && typed.group(1).isEmpty() || isSelfType(tree, typed.start(3))) {
                continue;
            }
            if (text == null) {
                text = source.toCharArray();
            }
            int open = implicit ? typed.start(2) : typed.start(3) - 1;
            text[open] = '(';
            for (int i = open + 1; implicit && i < typed.end(2); i++) {
                text[i] = ' ';
            }
            text[typed.start(4)] = ')';
        }
        return text == null ? null : new String(text);
    }

    private static boolean isSelfType(SyntaxTree tree, int start) {
        for (SyntaxNode node : tree.nodes()) {
            if (node.start() == start && node.kind().equals(SELF_TYPE)) {
                return true;
            }
        }
        return false;
    }
}
