package dev.freshet.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TreeSitterParserTest {
    private final TreeSitterParser parser = new TreeSitterParser();

    /** A thread keeps its buffers for the text and the copied tree only up to 1 MiB; a larger file gets its own, and the next file parses as before. */
    @Test
    void filesLargerThanTheKeptBuffersParseAsSmallerOnes() {
        TreeSitterParser parser = new TreeSitterParser();
        String big = "value = compute(1, 2)\n".repeat(60_000); // 1.3 MB and 720,000 nodes
        String small = "a = f(1)\n";
        for (String source : List.of(small, big, small, big)) {
            SyntaxTree tree = parser.parse(Language.PYTHON, source);
            List<SyntaxNode> calls = tree.nodesOfKind("call");
            assertThat(tree.errorCount()).isZero();
            assertThat(calls).hasSize(source == big ? 60_000 : 1);
            assertThat(calls.get(calls.size() - 1).end()).isEqualTo(source.length() - 1);
        }
    }

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
     * A node is made when first read, from the tree's rows: whichever way it is reached first (down through
     * children, up through parents, through the preorder list or the kind index), every later way must give
     * the same object, and the links must agree with one another.
     */
    @Test
    void aTreeMakesEachNodeOnceWhicheverWayItIsReached() throws IOException {
        for (Sample sample : everySample()) {
            // Down from the root first, then the list, the kind index, and each node's parent.
            SyntaxTree tree = parser.parse(sample.language(), sample.text());
            List<SyntaxNode> walked = new ArrayList<>();
            walk(tree.root(), walked);
            assertSameNodes(sample.name(), tree.nodes(), walked);
            Set<SyntaxNode> indexed = Collections.newSetFromMap(new IdentityHashMap<>());
            walked.stream().map(SyntaxNode::kind).distinct().forEach(kind -> indexed.addAll(tree.nodesOfKind(kind)));
            assertThat(indexed).as(sample.name()).hasSameSizeAs(walked);
            assertThat(walked).as(sample.name()).allMatch(indexed::contains);
            for (SyntaxNode node : walked) {
                for (SyntaxNode child : node.children()) {
                    assertThat(child.parent()).as(sample.name()).isSameAs(node);
                }
                List<SyntaxNode> subtree = new ArrayList<>();
                walk(node, subtree);
                assertSameNodes(sample.name(), tree.descendants(node), subtree);
            }
            // Up from the last node of a fresh tree first: its ancestors are made before anything above them is read.
            SyntaxTree fresh = parser.parse(sample.language(), sample.text());
            SyntaxNode last = fresh.nodes().get(fresh.nodes().size() - 1);
            List<SyntaxNode> ancestors = new ArrayList<>();
            for (SyntaxNode up = last.parent(); up != null; up = up.parent()) {
                ancestors.add(up);
            }
            assertThat(ancestors.isEmpty() ? last : ancestors.get(ancestors.size() - 1)).as(sample.name()).isSameAs(fresh.root());
            List<SyntaxNode> freshWalk = new ArrayList<>();
            walk(fresh.root(), freshWalk);
            assertThat(freshWalk).as(sample.name()).hasSameSizeAs(walked);
            Set<SyntaxNode> reached = Collections.newSetFromMap(new IdentityHashMap<>());
            reached.addAll(freshWalk);
            assertThat(reached).as(sample.name()).contains(last);
            assertThat(ancestors).as(sample.name()).allMatch(reached::contains);
        }
    }

    /** Threads that read one tree at once, in different orders, must be given the same node for each place in it. */
    @Test
    void threadsReadingOneTreeAtOnceGetTheSameNodes() throws Exception {
        String source = "class A {\n" + "  int f(int x) { return g(x, y) + h(x).k(); }\n".repeat(2_000) + "}\n";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                SyntaxTree tree = parser.parse(Language.JAVA, source);
                int size = tree.nodes().size();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<SyntaxNode>>> readers = new ArrayList<>();
                for (int reader = 0; reader < 4; reader++) {
                    int order = reader;
                    readers.add(pool.submit(() -> {
                        start.await();
                        List<SyntaxNode> found = new ArrayList<>();
                        switch (order) {
                            case 0 -> walk(tree.root(), found);
                            case 1 -> found.addAll(tree.nodes());
                            case 2 -> {
                                // From the last node back, each one's parent read as soon as the node is.
                                SyntaxNode[] byPlace = new SyntaxNode[size];
                                for (int i = size - 1; i >= 0; i--) {
                                    byPlace[i] = tree.nodes().get(i);
                                    byPlace[i].parent();
                                }
                                found.addAll(List.of(byPlace));
                            }
                            default -> {
                                Set<String> kinds = new HashSet<>();
                                for (int i = size - 1; i >= 0; i--) {
                                    kinds.add(tree.nodes().get(i).kind());
                                }
                                found.addAll(tree.nodesOfKinds(kinds));
                            }
                        }
                        return found;
                    }));
                }
                start.countDown();
                List<SyntaxNode> first = readers.get(0).get();
                assertThat(first).hasSize(size);
                for (Future<List<SyntaxNode>> reader : readers) {
                    assertSameNodes("round " + round, reader.get(), first);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void walk(SyntaxNode node, List<SyntaxNode> into) {
        into.add(node);
        for (SyntaxNode child : node.children()) {
            walk(child, into);
        }
    }

    /** The same objects in the same order (a list's equality would call two equal-looking nodes the same). */
    private static void assertSameNodes(String what, List<SyntaxNode> actual, List<SyntaxNode> expected) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            if (actual.get(i) != expected.get(i) || actual.get(i).parent() != expected.get(i).parent()) {
                assertThat(actual.get(i)).as(what + ", node " + i).isSameAs(expected.get(i));
                assertThat(actual.get(i).parent()).as(what + ", parent of node " + i).isSameAs(expected.get(i).parent());
            }
        }
    }

    /**
     * The one-call native copy and the node-by-node walk from Java (the fallback for the Maven artifact's
     * runtime) must build the same trees.
     */
    @Test
    void theNativeCopyAndTheJavaWalkBuildIdenticalTrees() throws IOException {
        assertThat(TreeSitterApi.hasEngineFunctions()).as("the build compiles the engine's C functions into the runtime, bound through JNI").isTrue();
        assertSameTrees(new TreeSitterParser(true, true), new TreeSitterParser(false, true), everySample());
    }

    /**
     * The reader sorts the nodes by kind as it reads them; that index must list, for every kind, exactly
     * the nodes of that kind in preorder (as a filter of the preorder list does), errors included.
     */
    @Test
    void theKindIndexListsEachKindsNodesInPreorder() throws IOException {
        for (Sample sample : everySample()) {
            SyntaxTree tree = parser.parse(sample.language(), sample.text());
            Map<String, List<SyntaxNode>> expected = new LinkedHashMap<>();
            tree.nodes().forEach(node -> expected.computeIfAbsent(node.kind(), k -> new ArrayList<>()).add(node));
            for (Map.Entry<String, List<SyntaxNode>> kind : expected.entrySet()) {
                assertThat(tree.nodesOfKind(kind.getKey())).as(sample.name() + ": " + kind.getKey())
                        .containsExactlyElementsOf(kind.getValue());
            }
            assertThat(tree.nodesOfKind("no_such_kind")).isEmpty();
        }
    }

    /**
     * freshet_tree_copy walks tree-sitter's internal subtrees; the public cursor is the reference. Every word of
     * every record must agree, including the nodes the reader drops (punctuation, comments) and the flags it
     * never reads, on the engine's sources and on samples chosen for what the walk must get right.
     */
    @Test
    void theNativeCopyWritesWordForWordWhatTheCursorReports() throws IOException {
        TreeSitterParser parser = new TreeSitterParser(true, true);
        for (Sample sample : everySample()) {
            List<int[]> copies = parser.withNativeTree(sample.language(), sample.text(), (tree, utf8, arena) ->
                    List.of(TreeSitterApi.treeCopy(tree).exact(), TreeSitterParser.CursorCopy.of(tree, arena, true).exact()));
            assertThat(records(copies.get(0))).as(sample.name() + " as " + sample.language().id() + ", " + sample.text().length()
                    + " chars").isEqualTo(records(copies.get(1)));
        }
    }

    /**
     * A parse in the engine's region of memory (freshet_parse) gives the tree tree-sitter's own calls give,
     * file after file on one thread (each region is dropped whole before the next parse).
     */
    @Test
    void aParseInTheRegionGivesTheTreeOfAPlainParse() throws IOException {
        assertThat(TreeSitterApi.hasEngineFunctions()).as("the build's runtime has the engine's functions").isTrue();
        TreeSitterParser parser = new TreeSitterParser(true, true);
        for (Sample sample : everySample()) {
            int[] plain = parser.withNativeTree(sample.language(), sample.text(), null, false, (tree, utf8, arena) -> TreeSitterApi.treeCopy(tree).exact());
            int[] inRegion = parser.withNativeTree(sample.language(), sample.text(), null, true, (tree, utf8, arena) -> TreeSitterApi.treeCopy(tree).exact());
            assertThat(records(inRegion)).as(sample.name() + " as " + sample.language().id()).isEqualTo(records(plain));
        }
    }

    /**
     * The engine's table of a grammar's names holds what tree-sitter's calls give, symbol by symbol, in every
     * grammar; and the grammar's entry gives the same language through JNI as through the FFM API.
     */
    @Test
    void theNamesTableIsWhatTheCallsPerSymbolGive() {
        int compared = 0;
        for (Language language : Language.values()) {
            String library = language.parsed() ? TreeSitterApi.grammarLibrary(language.grammar(), true) : null;
            if (library == null || !NativeLibraries.present(library)) {
                continue; // read by a parser of its own (Clojure), or not built here
            }
            MemorySegment grammar = TreeSitterApi.grammar(library, language.grammar());
            assertThat(TreeSitterApi.grammar(library, language.grammar(), false)).as(language.id() + " through the FFM API")
                    .isEqualTo(grammar);
            TreeSitterApi.LanguageNames calls = TreeSitterApi.languageNames(grammar, false, 0);
            for (int firstCapacity : new int[] {16 * 1024, 1}) { // 1: the table is cut short, then read again whole
                TreeSitterApi.LanguageNames table = TreeSitterApi.languageNames(grammar, true, firstCapacity);
                assertThat(table.symbols()).as(language.id()).isNotEmpty().containsExactly(calls.symbols());
                assertThat(table.named()).as(language.id()).containsExactly(calls.named());
                assertThat(table.fields()).as(language.id()).containsExactly(calls.fields());
            }
            compared++;
        }
        assertThat(compared).as("grammars compared").isGreaterThanOrEqualTo(10);
    }

    /** The tricky samples do hold what they are there for, in every grammar. */
    @Test
    void theTrickySamplesHoldErrorsMissingTokensAndExtrasInEachGrammar() {
        TreeSitterParser parser = new TreeSitterParser(true, true);
        Map<Language, List<Sample>> byLanguage = trickySamples().stream().collect(Collectors.groupingBy(Sample::language));
        assertThat(byLanguage).containsKeys(Language.PYTHON, Language.JAVASCRIPT, Language.TYPESCRIPT, Language.TSX, Language.JAVA,
                Language.GO, Language.RUBY, Language.C, Language.RUST);
        byLanguage.forEach((language, samples) -> {
            Set<String> seen = new HashSet<>();
            for (Sample sample : samples) {
                int[] words = parser.withNativeTree(language, sample.text(), (tree, utf8, arena) -> TreeSitterApi.treeCopy(tree).exact());
                for (int at = 0; at < words.length; at += TreeSitterApi.WORDS_PER_NODE) {
                    int flags = words[at + 3];
                    if ((words[at] & 0xFFFF) == 0xFFFF) {
                        seen.add("error");
                    }
                    if ((flags & TreeSitterApi.FLAG_MISSING) != 0) {
                        seen.add("missing");
                    }
                    if ((flags & TreeSitterApi.FLAG_EXTRA) != 0) {
                        seen.add("extra");
                    }
                    if (words[at] >>> 16 != 0) {
                        seen.add("field");
                    }
                }
            }
            assertThat(seen).as(language.id()).contains("error", "missing", "extra", "field");
        });
    }

    /** Nodes only an alias names, and fields a hidden rule passes on to the node inside it, as the grammars define them. */
    @Test
    void aliasesAndFieldsThroughHiddenRulesAreReported() {
        SyntaxTree python = parser.parse(Language.PYTHON, "def f(x):\n    return x\n");
        assertThat(find(python, "block").field()).as("body: $._suite").isEqualTo("body");
        SyntaxTree javascript = parser.parse(Language.JAVASCRIPT, "a.b = { c };\n");
        assertThat(find(javascript, "property_identifier").field()).isEqualTo("property");
        assertThat(find(javascript, "shorthand_property_identifier").text()).isEqualTo("c");
        SyntaxTree go = parser.parse(Language.GO, "package p\nfunc f() { s.x = 1 }\n");
        assertThat(find(go, "field_identifier").field()).isEqualTo("field");
        assertThat(find(go, "package_identifier").text()).isEqualTo("p");
        SyntaxTree c = parser.parse(Language.C, "static int *f(void) { return 0; }\n");
        assertThat(find(c, "pointer_declarator").field()).as("declarator: $._declarator").isEqualTo("declarator");
        assertThat(find(c, "function_declarator").field()).isEqualTo("declarator");
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
     * Sources chosen for what walking tree-sitter's hidden subtrees must get right: aliased nodes, fields given
     * through hidden rules, extras (comments, line continuations, heredocs) in odd places, and, cut off and
     * damaged, MISSING tokens and ERROR nodes.
     */
    private static List<Sample> trickySamples() {
        Map<Language, String> sources = new LinkedHashMap<>();
        sources.put(Language.PYTHON, """
                from . import (a,  # first
                    b as c)
                print = exec = match = 1
                @decorator  # odd
                def f(x: int = 1, *args, y, **kw) -> "r":  # c
                    x = (1 +  # inside
                         2) \\
                        + 3
                    match x:
                        case [1, *rest] | {"k": _} if rest:  # guard
                            pass
                        case Point(x=0) as p:
                            pass
                    return lambda a, /, b=2: (yield a)
                print >> sys.stderr, "x"
                s = f"{x!r:>{w}} {'nested'}" "implicit" 'join'
                class A(B, metaclass=M):
                    async def g(self): await x; return [i async for i in y if i]
                print(a[1)
                """);
        sources.put(Language.JAVASCRIPT, """
                const { a, b: [c, ...d] = [], ...e } = obj; /* odd */ label: for (const k of /* in */ o) { continue label }
                a /* c */ . /* d */ b?.[c]?.(d) ?? e;
                x = `t ${ y + `inner ${z}` } end`;
                class K extends B { static #p = 1; get [k]() { return super.m() } }
                async function* g() { yield* await h(); }
                <!-- html comment
                const el = <div a="1" {...p}>text {c} <b/></div>;
                let re = /ab+c/gi, n = 1_000n
                """);
        sources.put(Language.TYPESCRIPT, """
                abstract class C<T extends object = {}> implements I { private readonly x?: T; abstract m(): void }
                type U = keyof typeof o | `a${string}` | [a: string, b?: number];
                function f<T>(this: W, x: T /* c */): asserts x is string { return <any>x as unknown as T }
                enum E { A = 1, B }
                namespace N { export declare const v: Array<Map<string, number>> }
                @dec() class D { constructor(public p: number) {} }
                let z = a!.b satisfies Z
                let q = g(1, 2;
                """);
        sources.put(Language.TSX, """
                const c = <T,>(x: T) => <div key={x as any}>{/* comment */}{x}</div>;
                function G<T>() { return <G<T> a="1" /> }
                """);
        sources.put(Language.JAVA, """
                package p; import static java.util.Map.*;
                @Deprecated /* c */ public final class A<T extends Comparable<? super T>> extends B implements C {
                    private int[] xs = {1, 2}, ys[];
                    A(int x) { this.<T>m(x); super.f = x; }
                    <U> U m(final @N int... args) throws E { return switch (args.length) { case 0 -> null; default -> { yield (U) o; } }; }
                    record R(int a) { R { assert a > 0 : "a"; } }
                    void l() { Runnable r = () -> { /* x */ }; var s = \"""
                        text\"""; for (int i = 0, j; i < 2; i++) label: { break label; } }
                }
                """);
        sources.put(Language.GO, """
                package p // c
                import ( f "fmt"; . "os" )
                type S[T any] struct { a, b int `tag:"x"`; *Embedded }
                func (s *S[T]) M(x ...int) (r int, err error) {
                    defer func() { recover() }()
                    switch v := x.(type) { case int: r = v /* odd */ ; default: }
                    for i := range 10 { s.a += i }
                    ch <- <-ch; goto L; L: return
                }
                """);
        sources.put(Language.RUBY, """
                class A < B; alias_method :x, :y; alias z w end
                def m(a, b = 1, *c, d:, e: 2, **f, &g) = a
                x = <<~HEREDOC + "tail #{y}"
                  body #{interp}
                HEREDOC
                =begin
                block comment
                =end
                [1, 2].each do |i; j| puts i if i.odd? end
                h = { a: 1, "b" => 2, c: } # trailing
                if x then 1
                """);
        sources.put(Language.C, """
                #include <stdio.h>
                #define MAX(a, b) ((a) > (b) ? (a) : (b)) /* c */
                #ifdef X
                typedef struct node { int v; struct node *next; } node_t;
                #else
                static const char *const names[] = { "a", [2] = "b" };
                #endif
                int (*fp)(int, char **);
                int main(int argc, char **argv) { node_t n = { .v = 1 }; n.next->v = argc /* odd */ ; return sizeof(int[3]); }
                void h(void) { int x = 1 }
                """);
        sources.put(Language.RUST, """
                //! inner doc
                /// outer doc
                #[derive(Debug)] pub struct P<'a, T: Clone + 'a> { pub x: &'a T, y: [u8; 4] }
                macro_rules! m { ($e:expr) => { $e + 1 }; }
                impl<T> Tr for P<'_, T> where T: Copy { fn f(&self) -> Option<i32> { let Self { x, .. } = self; Some(m!(1)) } }
                fn g() { let s = r#"raw "str""#; /* nested /* block */ comment */ match s { "a" | "b" if true => {}, _ => {} } }
                """);
        List<Sample> samples = new ArrayList<>();
        // Nesting deeper than the walk's frames on the C stack (64): it moves them to the heap.
        samples.add(new Sample("tricky deep", Language.PYTHON, "x = " + "[f(".repeat(300) + "1" + ")]".repeat(300) + "\n"));
        samples.add(new Sample("tricky deep", Language.JAVASCRIPT, "if (a) {".repeat(200) + "g(" + "{a: [".repeat(100) + "}".repeat(200)));
        sources.forEach((language, source) -> {
            for (int parts = 1; parts <= 4; parts++) {
                // Cut off at a quarter, a half and three quarters: unclosed brackets become MISSING tokens or errors.
                for (int part = 1; part <= parts; part++) {
                    samples.add(new Sample("tricky " + part + "/" + parts, language, source.substring(0, source.length() * part / parts)));
                }
            }
            // Every 23rd char dropped: damage everywhere.
            StringBuilder damaged = new StringBuilder(source);
            for (int at = damaged.length() - 7; at > 0; at -= 23) {
                damaged.deleteCharAt(at);
            }
            samples.add(new Sample("tricky damaged", language, damaged.toString()));
        });
        return samples;
    }

    /** Each record of a copy as one string, so that a difference shows where it is. */
    private static List<String> records(int[] words) {
        List<String> records = new ArrayList<>();
        for (int at = 0; at < words.length; at += TreeSitterApi.WORDS_PER_NODE) {
            records.add(at / TreeSitterApi.WORDS_PER_NODE + ": symbol " + (words[at] & 0xFFFF) + " field " + (words[at] >>> 16) + " bytes "
                    + words[at + 1] + "-" + words[at + 2] + " children " + (words[at + 3] >>> TreeSitterApi.CHILD_COUNT_SHIFT)
                    + " flags " + (words[at + 3] & 7));
        }
        return records;
    }

    /**
     * The engine's own sources and the bundled rules' examples, whole, cut off halfway (errors, missing
     * tokens) and behind hostile characters.
     */
    /** The engine's sources and the samples chosen for what tree copies must get right. */
    private static List<Sample> everySample() throws IOException {
        List<Sample> samples = new ArrayList<>(samples());
        samples.addAll(trickySamples());
        return samples;
    }

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
