package dev.freshet.engine.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads Clojure source into forms, as Clojure's reader does (clojure.org/reference/reader), with the
 * node kinds of tree-sitter-clojure, the grammar Semgrep parses Clojure with
 * ({@code Parse_clojure_tree_sitter}): {@code source} holds the top-level forms; {@code list_lit},
 * {@code vec_lit}, {@code map_lit}, {@code set_lit}, {@code anon_fn_lit}, {@code read_cond_lit} hold
 * theirs (their brackets are not children, as the tree-sitter parser drops them); {@code quoting_lit}
 * and the other prefix forms hold the form they prefix. A symbol with a namespace ({@code a.b/c}) is a
 * {@code sym_lit} of a {@code sym_ns} and a {@code sym_name}, split at its last slash as Semgrep splits
 * it; any other atom is a leaf. Whitespace, commas, {@code ;} comments, {@code #_} discarded forms and
 * metadata ({@code ^Type}) are left out: Semgrep drops them too.
 */
final class ClojureReader {
    /** Characters that end a token (an atom) besides whitespace: the reader's terminating macro characters ({@code '} and {@code #} are not). */
    private static final String DELIMITERS = "()[]{}\";`~^@,\\";

    private final String source;
    private int at;
    private int errors;
    private int missing;

    private ClojureReader(String source) {
        this.source = source;
    }

    static SyntaxTree parse(String source) {
        ClojureReader reader = new ClojureReader(source);
        List<SyntaxNode> forms = new ArrayList<>();
        while (reader.skipGap()) {
            forms.add(reader.form());
        }
        SyntaxNode root = new SyntaxNode("source", null, true, false, 0, source.length(), forms, source);
        return new SyntaxTree(Language.CLOJURE, source, root, reader.errors, reader.missing);
    }

    /** Skips whitespace, commas, comments, metadata and discarded forms; whether a form follows. */
    private boolean skipGap() {
        while (at < source.length()) {
            char c = source.charAt(at);
            if (Character.isWhitespace(c) || c == ',') {
                at++;
            } else if (c == ';' || source.startsWith("#!", at)) {
                int end = source.indexOf('\n', at);
                at = end < 0 ? source.length() : end;
            } else if (source.startsWith("#_", at)) {
                at += 2;
                if (skipGap()) {
                    form();
                }
            } else if (c == '^' || source.startsWith("#^", at)) {
                // Metadata belongs to the next form; Semgrep leaves it out of the tree.
                at += c == '^' ? 1 : 2;
                if (skipGap()) {
                    form();
                }
            } else {
                return true;
            }
        }
        return false;
    }

    /** The form at {@link #at}, which is not a gap. */
    private SyntaxNode form() {
        int start = at;
        char c = source.charAt(at);
        return switch (c) {
            case '(' -> collection("list_lit", start, 1, ')');
            case '[' -> collection("vec_lit", start, 1, ']');
            case '{' -> collection("map_lit", start, 1, '}');
            case ')', ']', '}' -> {
                at++;
                errors++;
                yield new SyntaxNode("ERROR", null, true, true, start, at, List.of(), source);
            }
            case '"' -> string("str_lit", start, 1);
            case '\'' -> prefixed("quoting_lit", start, 1);
            case '`' -> prefixed("syn_quoting_lit", start, 1);
            case '@' -> prefixed("derefing_lit", start, 1);
            case '~' -> source.startsWith("~@", at) ? prefixed("unquote_splicing_lit", start, 2) : prefixed("unquoting_lit", start, 1);
            case '\\' -> character(start);
            case '#' -> dispatch(start);
            default -> atom(start);
        };
    }

    /** A form starting with {@code #}: a set, an anonymous function, a regex, a var, a reader conditional or a tag. */
    private SyntaxNode dispatch(int start) {
        char next = at + 1 < source.length() ? source.charAt(at + 1) : ' ';
        return switch (next) {
            case '{' -> collection("set_lit", start, 2, '}');
            case '(' -> collection("anon_fn_lit", start, 2, ')');
            case '"' -> string("regex_lit", start, 2);
            case '\'' -> prefixed("var_quoting_lit", start, 2);
            case '=' -> prefixed("evaling_lit", start, 2);
            case '#' -> prefixed("sym_val_lit", start, 2);
            case '?' -> {
                boolean splicing = source.startsWith("#?@", at);
                int open = at + (splicing ? 3 : 2);
                while (open < source.length() && Character.isWhitespace(source.charAt(open))) {
                    open++;
                }
                if (open < source.length() && source.charAt(open) == '(') {
                    SyntaxNode body = collectionAt("list_lit", open, ')');
                    yield new SyntaxNode(splicing ? "splicing_read_cond_lit" : "read_cond_lit", null, true, false, start, at,
                            body.children(), source);
                }
                yield atom(start);
            }
            case ':' -> {
                // #:ns{...}: a map whose keys take the namespace.
                at += 2;
                while (at < source.length() && !isDelimiter(source.charAt(at)) && source.charAt(at) != '{') {
                    at++;
                }
                if (at < source.length() && source.charAt(at) == '{') {
                    SyntaxNode map = collectionAt("map_lit", at, '}');
                    yield new SyntaxNode("ns_map_lit", null, true, false, start, at, List.of(map), source);
                }
                errors++;
                yield new SyntaxNode("ERROR", null, true, true, start, at, List.of(), source);
            }
            default -> {
                // #inst "...", #uuid "...", #my/tag form: a tag and the form it reads.
                at++;
                SyntaxNode tag = atom(at);
                if (!skipGap()) {
                    missing++;
                    errors++;
                    yield new SyntaxNode("tagged_or_ctor_lit", null, true, true, start, at, List.of(tag), source);
                }
                SyntaxNode value = form();
                yield new SyntaxNode("tagged_or_ctor_lit", null, true, false, start, at, List.of(tag, value), source);
            }
        };
    }

    private SyntaxNode collection(String kind, int start, int openerLength, char closer) {
        return collectionAt(kind, start + openerLength - 1, closer, start);
    }

    private SyntaxNode collectionAt(String kind, int open, char closer) {
        return collectionAt(kind, open, closer, open);
    }

    private SyntaxNode collectionAt(String kind, int open, char closer, int start) {
        at = open + 1;
        List<SyntaxNode> items = new ArrayList<>();
        while (true) {
            if (!skipGap()) {
                // Cut off: the closing bracket is missing.
                missing++;
                errors++;
                return new SyntaxNode(kind, null, true, true, start, at, items, source);
            }
            char c = source.charAt(at);
            if (c == closer) {
                at++;
                return new SyntaxNode(kind, null, true, false, start, at, items, source);
            }
            items.add(form());
        }
    }

    private SyntaxNode prefixed(String kind, int start, int prefixLength) {
        at += prefixLength;
        if (!skipGap()) {
            missing++;
            errors++;
            return new SyntaxNode(kind, null, true, true, start, at, List.of(), source);
        }
        SyntaxNode inner = form();
        return new SyntaxNode(kind, null, true, false, start, at, List.of(inner), source);
    }

    private SyntaxNode string(String kind, int start, int openerLength) {
        at = start + openerLength;
        while (at < source.length() && source.charAt(at) != '"') {
            at += source.charAt(at) == '\\' ? 2 : 1;
        }
        boolean closed = at < source.length();
        at = Math.min(at + 1, source.length());
        if (!closed) {
            missing++;
            errors++;
        }
        return new SyntaxNode(kind, null, true, !closed, start, at, List.of(), source);
    }

    /** {@code \a}, {@code \newline}, {@code \u0041}, {@code \(}: the first character after the backslash is always taken. */
    private SyntaxNode character(int start) {
        at = Math.min(start + 2, source.length());
        while (at < source.length() && !isDelimiter(source.charAt(at))) {
            at++;
        }
        return new SyntaxNode("char_lit", null, true, false, start, at, List.of(), source);
    }

    /** A number, keyword, nil, boolean or symbol: everything up to the next delimiter. */
    private SyntaxNode atom(int start) {
        at = start;
        while (at < source.length() && (at == start || !isDelimiter(source.charAt(at)))) {
            at++;
        }
        String text = source.substring(start, at);
        String kind = text.startsWith(":") ? "kwd_lit"
                : isNumber(text) ? "num_lit"
                : text.equals("nil") ? "nil_lit"
                : text.equals("true") || text.equals("false") ? "bool_lit"
                : "sym_lit";
        int slash = text.lastIndexOf('/');
        if (kind.equals("sym_lit") && slash > 0 && slash < text.length() - 1) {
            // Semgrep's name: a namespaced symbol is two tokens, split at its last slash.
            SyntaxNode namespace = new SyntaxNode("sym_ns", "namespace", true, false, start, start + slash, List.of(), source);
            SyntaxNode name = new SyntaxNode("sym_name", "name", true, false, start + slash + 1, at, List.of(), source);
            return new SyntaxNode(kind, null, true, false, start, at, List.of(namespace, name), source);
        }
        return new SyntaxNode(kind, null, true, false, start, at, List.of(), source);
    }

    private static boolean isNumber(String text) {
        int first = text.startsWith("+") || text.startsWith("-") ? 1 : 0;
        return first < text.length() && Character.isDigit(text.charAt(first));
    }

    private static boolean isDelimiter(char c) {
        return Character.isWhitespace(c) || DELIMITERS.indexOf(c) >= 0;
    }
}
