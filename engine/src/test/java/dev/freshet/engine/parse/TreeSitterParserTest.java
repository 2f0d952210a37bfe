package dev.freshet.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
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

    /**
     * The one-call native copy and the node-by-node walk from Java (the fallback for the Maven artifact's
     * runtime) must build the same trees.
     */
    @Test
    void theNativeCopyAndTheJavaWalkBuildIdenticalTrees() throws IOException {
        assertThat(TreeSitterApi.hasTreeCopy()).as("the build compiles freshet_tree_copy into the runtime").isTrue();
        assertSameTrees(new TreeSitterParser(true, true), new TreeSitterParser(false, true), samples());
    }

    /** The optimised grammars the build compiles from npm are the very versions of the bonede artifacts' grammars. */
    @Test
    void theBuiltGrammarsParseAsTheArtifactsDo() throws IOException {
        for (String grammar : List.of("python", "javascript", "typescript", "tsx", "java", "go")) {
            assertThat(TreeSitterApi.grammarLibrary(grammar, true)).as("the build compiles " + grammar).isEqualTo("freshet-" + grammar);
        }
        List<Sample> samples = new ArrayList<>(samples());
        // The JavaScript examples are TypeScript and TSX too.
        samples.stream().filter(sample -> sample.language() == Language.JAVASCRIPT).toList().forEach(sample -> {
            samples.add(new Sample(sample.name(), Language.TYPESCRIPT, sample.text()));
            samples.add(new Sample(sample.name(), Language.TSX, sample.text()));
        });
        assertSameTrees(new TreeSitterParser(true, true), new TreeSitterParser(true, false), samples);
    }

    private record Sample(String name, Language language, String text) {
    }

    /**
     * The engine's own sources and the bundled rules' examples, whole, cut off halfway (errors, missing
     * tokens) and behind hostile characters.
     */
    private static List<Sample> samples() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Stream.concat(Files.walk(Path.of("src/main/java")), Files.walk(Path.of("../rules")))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        List<Sample> samples = new ArrayList<>();
        for (Path file : files) {
            Optional<Language> language = Language.forFile(file).filter(Language::parsed);
            if (language.isPresent()) {
                String source = Files.readString(file);
                for (String text : List.of(source, source.substring(0, source.length() / 2), "\u0000\uFFFF(" + source)) {
                    samples.add(new Sample(file.toString(), language.get(), text));
                }
            }
        }
        assertThat(samples).hasSizeGreaterThan(300);
        assertThat(samples).extracting(Sample::language).contains(Language.PYTHON, Language.JAVASCRIPT, Language.JAVA, Language.GO);
        return samples;
    }

    private static void assertSameTrees(TreeSitterParser expected, TreeSitterParser actual, List<Sample> samples) {
        for (Sample sample : samples) {
            assertThat(dump(actual.parse(sample.language(), sample.text())))
                    .as(sample.name() + " as " + sample.language().id() + ", " + sample.text().length() + " chars")
                    .isEqualTo(dump(expected.parse(sample.language(), sample.text())));
        }
    }

    /** Everything a tree says: each node's kind, field, flags, offsets and depth, and the error counts. */
    private static List<String> dump(SyntaxTree tree) {
        List<String> lines = new ArrayList<>();
        lines.add("errors " + tree.errorCount() + " missing " + tree.missingTokens());
        for (SyntaxNode node : tree.nodes()) {
            int depth = 0;
            for (SyntaxNode up = node.parent(); up != null; up = up.parent()) {
                depth++;
            }
            lines.add(depth + " " + node.kind() + ":" + node.field() + " " + node.named() + node.isError() + " " + node.start() + "-"
                    + node.end());
        }
        return lines;
    }

    private static List<String> kinds(SyntaxTree tree) {
        return tree.nodes().stream().map(n -> n.kind() + "@" + n.start() + "-" + n.end() + ":" + n.field()).toList();
    }

    private static SyntaxNode find(SyntaxTree tree, String kind) {
        return tree.nodes().stream().filter(n -> n.kind().equals(kind)).findFirst().orElseThrow();
    }
}
