package dev.freshet.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TreeSitterParserTest {
    private final TreeSitterParser parser = new TreeSitterParser();

    @Test
    void copiesKindsFieldsAndOffsetsDroppingPunctuationAndComments() {
        String source = "f(a, b)  # note\n";
        SyntaxTree tree = parser.parse(Language.PYTHON, source);

        assertThat(tree.errorCount()).isZero();
        SyntaxNode call = find(tree, "call");
        assertThat(call.text()).isEqualTo("f(a, b)");
        assertThat(call.children()).extracting(SyntaxNode::field).containsExactly("function", "arguments");
        SyntaxNode arguments = call.children().get(1);
        assertThat(arguments.children()).extracting(SyntaxNode::text).containsExactly("a", "b");
        assertThat(tree.nodes()).noneMatch(n -> n.kind().equals("comment") || n.kind().equals(","));
    }

    @Test
    void offsetsAreCharIndexesWhateverTheUtf8Width() {
        String source = "x = \"h\u00e9llo \u20ac \uD83D\uDE00\"\ny = z\n";
        SyntaxTree tree = parser.parse(Language.PYTHON, source);

        assertThat(find(tree, "string").text()).isEqualTo("\"h\u00e9llo \u20ac \uD83D\uDE00\"");
        assertThat(tree.nodes()).filteredOn(n -> n.kind().equals("identifier")).extracting(SyntaxNode::text)
                .containsExactly("x", "y", "z");
    }

    @Test
    void aLoneSurrogateCountsAsTheOneByteItIsEncodedAs() {
        String source = "x = \"\uD800 \u00e9\"\ny = z\n";
        SyntaxTree tree = parser.parse(Language.PYTHON, source);

        assertThat(find(tree, "string").text()).isEqualTo("\"\uD800 \u00e9\"");
        assertThat(tree.nodes()).filteredOn(n -> n.kind().equals("identifier")).extracting(SyntaxNode::text)
                .containsExactly("x", "y", "z");
    }

    @Test
    void brokenSourceIsCountedAsErrorsNotThrown() {
        SyntaxTree tree = parser.parse(Language.JAVA, "class A { void f( { int x = ; }");

        assertThat(tree.errorCount()).isPositive();
        assertThat(tree.nodes()).anyMatch(SyntaxNode::isError);
    }

    @Test
    void hostileBytesStayInsideTheSource() {
        String source = "s = \"a\u0000b\"\n\u0000\u0001\uFFFF def\n" + "(".repeat(5_000);
        SyntaxTree tree = parser.parse(Language.PYTHON, source);

        assertThat(tree.nodes()).allMatch(n -> 0 <= n.start() && n.start() <= n.end() && n.end() <= source.length());
        assertThat(tree.errorCount()).isPositive();
    }

    @Test
    void everyParsedLanguageLoadsItsGrammarByName() {
        for (Language language : Language.values()) {
            if (language.parsed()) {
                // Grammars built from npm are missing where the build had no npm or C compiler (their rules then report unsupported).
                if (language.hasGrammar()) {
                    assertThat(parser.parse(language, "x").root().named()).as(language.id()).isTrue();
                }
                assertThat(language.grammar()).as(language.id()).isNotBlank();
            } else {
                assertThat(language.grammar()).isNull();
            }
        }
    }

    @Test
    void threadsParsingAtOnceGetTheSameTrees() throws Exception {
        String source = "def f(x):\n    return [g(y) for y in x if y]\n".repeat(200);
        List<String> expected = kinds(parser.parse(Language.PYTHON, source));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> kinds(parser.parse(Language.PYTHON, source))));
            }
            for (Future<List<String>> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> kinds(SyntaxTree tree) {
        return tree.nodes().stream().map(n -> n.kind() + "@" + n.start() + "-" + n.end() + ":" + n.field()).toList();
    }

    private static SyntaxNode find(SyntaxTree tree, String kind) {
        return tree.nodes().stream().filter(n -> n.kind().equals(kind)).findFirst().orElseThrow();
    }
}
