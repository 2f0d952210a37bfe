package dev.freshet.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Clojure's reader: forms with tree-sitter-clojure's kinds, gaps left out, broken source counted, never thrown. */
class ClojureReaderTest {
    private final TreeSitterParser parser = new TreeSitterParser();

    /** The tree as kinds, each collection's forms in brackets, each leaf with its text. */
    private static String shape(SyntaxNode node) {
        if (node.isLeaf()) {
            return node.kind() + ":" + node.text();
        }
        return node.kind() + node.children().stream().map(ClojureReaderTest::shape).collect(Collectors.joining(" ", "[", "]"));
    }

    private List<String> forms(String source) {
        SyntaxTree tree = parser.parse(Language.CLOJURE, source);
        assertThat(tree.errorCount()).as("errors in " + source).isZero();
        return tree.root().children().stream().map(ClojureReaderTest::shape).toList();
    }

    @Test
    void readsCollectionsAndAtomsWithTheGrammarsKinds() {
        assertThat(forms("(defn f [x] {:a 1, :b \"s\"} #{x} nil true \\c 2.5)")).containsExactly(
                "list_lit[sym_lit:defn sym_lit:f vec_lit[sym_lit:x] map_lit[kwd_lit::a num_lit:1 kwd_lit::b str_lit:\"s\"]"
                        + " set_lit[sym_lit:x] nil_lit:nil bool_lit:true char_lit:\\c num_lit:2.5]");
    }

    /** Semgrep splits a namespaced symbol at its last slash into two tokens; a lone slash is a symbol. */
    @Test
    void aNamespacedSymbolIsItsNamespaceAndItsName() {
        assertThat(forms("(java.security.MessageDigest/getInstance a/b/c /)")).containsExactly(
                "list_lit[sym_lit[sym_ns:java.security.MessageDigest sym_name:getInstance] sym_lit[sym_ns:a/b sym_name:c] sym_lit:/]");
    }

    @Test
    void prefixFormsHoldTheFormTheyPrefix() {
        assertThat(forms("'[a] `(b ~c ~@d) @e #'f #\"re\" #(g %) #inst \"2020\"")).containsExactly(
                "quoting_lit[vec_lit[sym_lit:a]]",
                "syn_quoting_lit[list_lit[sym_lit:b unquoting_lit[sym_lit:c] unquote_splicing_lit[sym_lit:d]]]",
                "derefing_lit[sym_lit:e]", "var_quoting_lit[sym_lit:f]", "regex_lit:#\"re\"", "anon_fn_lit[sym_lit:g sym_lit:%]",
                "tagged_or_ctor_lit[sym_lit:inst str_lit:\"2020\"]");
    }

    /** Comments, commas, discarded forms and metadata are not forms (Semgrep drops them too). */
    @Test
    void gapsAndMetadataAreLeftOut() {
        assertThat(forms("; note\n(f #_(ignored) ^String x, ^{:tag 1} y) #! shebang\n#?(:clj a :cljs b)")).containsExactly(
                "list_lit[sym_lit:f sym_lit:x sym_lit:y]", "read_cond_lit[kwd_lit::clj sym_lit:a kwd_lit::cljs sym_lit:b]");
    }

    /** A quote inside a symbol is part of it (the reader's non-terminating macro characters), a string may hold brackets. */
    @Test
    void symbolsKeepTheirQuotesAndStringsTheirBrackets() {
        assertThat(forms("(x' \"(not [a form\" foo#)")).containsExactly("list_lit[sym_lit:x' str_lit:\"(not [a form\" sym_lit:foo#]");
    }

    @Test
    void brokenSourceIsCountedAsErrorsNotThrown() {
        SyntaxTree cutOff = parser.parse(Language.CLOJURE, "(defn f [x] (g \"unterminated");
        assertThat(cutOff.errorCount()).isPositive();
        assertThat(cutOff.missingTokens()).isPositive();
        SyntaxTree stray = parser.parse(Language.CLOJURE, "(a)) ]");
        assertThat(stray.errorCount()).isEqualTo(2);
        assertThat(stray.root().children()).extracting(SyntaxNode::kind).containsExactly("list_lit", "ERROR", "ERROR");
        for (String hostile : List.of("#", "#?", "#:", "\\", "'", "^", "#_", "~@", "#:ns", "(((((((", "\"\\")) {
            SyntaxTree tree = parser.parse(Language.CLOJURE, hostile);
            assertThat(tree.nodes()).as(hostile).allMatch(n -> 0 <= n.start() && n.start() <= n.end() && n.end() <= hostile.length());
        }
    }

    @Test
    void offsetsAreCharIndexes() {
        String source = "(é \"ü\" x)";
        SyntaxNode list = parser.parse(Language.CLOJURE, source).root().children().get(0);
        assertThat(list.children()).extracting(SyntaxNode::text).containsExactly("é", "\"ü\"", "x");
        assertThat(list.end()).isEqualTo(source.length());
    }
}
