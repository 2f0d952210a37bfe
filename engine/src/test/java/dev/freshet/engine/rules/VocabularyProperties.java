package dev.freshet.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.parse.NativeWordPass;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A vocabulary finds in a file exactly the words of it that {@link Prefilter#wordsOf} would cut out. */
class VocabularyProperties {
    @Provide
    Arbitrary<String> texts() {
        // Few distinct characters, so words repeat, touch, and meet the vocabulary's words often; the bytes on
        // either side of each range of word characters (@ [ ` { / :), DEL, NUL, a non-ASCII letter and a
        // character outside the Basic Multilingual Plane; long enough for the C pass's 64-byte blocks.
        return Arbitraries.strings().withChars("ab_1zZ9 .(\n@[`{/:\u007f\u00e9\u0000").withChars("\ud83d\ude00").ofMaxLength(400);
    }

    @Provide
    Arbitrary<List<String>> vocabularies() {
        return Arbitraries.strings().withChars("ab_1zZ9").ofMinLength(1).ofMaxLength(4).list().ofMaxSize(12);
    }

    @Property(tries = 500)
    void findsTheVocabularysWordsThatWordsOfCuts(@ForAll("texts") String text, @ForAll("vocabularies") List<String> words) {
        Prefilter.Vocabulary vocabulary = new Prefilter.Vocabulary(List.of(new Prefilter.AllOf(
                words.stream().<Prefilter>map(Prefilter.Word::new).toList())));
        Set<String> expected = new HashSet<>(Prefilter.wordsOf(text));
        expected.retainAll(words);
        assertThat(vocabulary.read(text.getBytes(StandardCharsets.UTF_8)).words()).isEqualTo(expected);
    }

    /**
     * The same pass counts lines as the scan reports them, finds where each starts (past every newline byte,
     * more of them than its first guess of room), and tells an all-ASCII file, whose bytes are its text.
     */
    @Property(tries = 500)
    void countsLinesAndTellsAscii(@ForAll("texts") String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8); // a lone surrogate becomes '?'
        Prefilter.Vocabulary.Reading reading = new Prefilter.Vocabulary(List.of(new Prefilter.Word("a"))).read(utf8);
        long newlines = text.chars().filter(c -> c == '\n').count();
        assertThat(reading.lines()).isEqualTo(newlines + (text.endsWith("\n") ? 0 : 1));
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '\n') {
                starts.add(i + 1);
            }
        }
        assertThat(reading.lineStarts()).containsExactly(starts.stream().mapToInt(Integer::intValue).toArray());
        String decoded = new String(utf8, StandardCharsets.UTF_8);
        assertThat(reading.ascii()).isEqualTo(decoded.chars().allMatch(c -> c < 0x80));
        if (reading.ascii()) {
            assertThat(new String(utf8, StandardCharsets.ISO_8859_1)).isEqualTo(decoded);
        }
    }

    /** The engine's runtime reads in C: it must answer as the Java pass does, which the properties above hold to the spec. */
    @Property(tries = 1000)
    void theNativePassReadsAsTheJavaPass(@ForAll("texts") String text, @ForAll("vocabularies") List<String> words) {
        assertThat(NativeWordPass.available()).as("the build compiles freshet_read_words into the runtime").isTrue();
        Prefilter.Vocabulary vocabulary = new Prefilter.Vocabulary(List.of(new Prefilter.AllOf(
                words.stream().<Prefilter>map(Prefilter.Word::new).toList())));
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        Prefilter.Vocabulary.Reading inC = vocabulary.read(utf8);
        Prefilter.Vocabulary.Reading inJava = vocabulary.readInJava(utf8);
        assertThat(inC.words()).isEqualTo(inJava.words());
        assertThat(inC.lines()).isEqualTo(inJava.lines());
        assertThat(inC.lineStarts()).isEqualTo(inJava.lineStarts());
        assertThat(inC.ascii()).isEqualTo(inJava.ascii());
    }

    /** Words that straddle the C pass's 64-byte blocks, or fill one, are found as whole words, as is the last. */
    @Example
    void wordsAcrossBlocks() {
        Prefilter.Vocabulary vocabulary = new Prefilter.Vocabulary(List.of(new Prefilter.Word("across"), new Prefilter.Word("z".repeat(64)),
                new Prefilter.Word("last"), new Prefilter.Word("x")));
        String text = " ".repeat(61) + "across\n" + "z".repeat(64) + "\n" + "y".repeat(70) + "x\n".repeat(40) + " last";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertThat(vocabulary.read(utf8).words()).containsExactlyInAnyOrder("across", "z".repeat(64), "last", "x");
        assertThat(vocabulary.read(utf8).lineStarts()).isEqualTo(vocabulary.readInJava(utf8).lineStarts());
        assertThat(vocabulary.read(" ".repeat(64).getBytes(StandardCharsets.UTF_8)).words()).isEmpty();
    }

    /** More lines than the first guess of room for them (a line of every 32 bytes), and words cut by the end of the text. */
    @Example
    void manyShortLinesAndAWordAtTheEnd() {
        Prefilter.Vocabulary vocabulary = new Prefilter.Vocabulary(List.of(new Prefilter.Word("ab"), new Prefilter.Word("x")));
        byte[] utf8 = ("\n".repeat(100) + "ab\nx").getBytes(StandardCharsets.UTF_8);
        Prefilter.Vocabulary.Reading reading = vocabulary.read(utf8);
        assertThat(reading.words()).containsExactlyInAnyOrder("ab", "x");
        assertThat(reading.lines()).isEqualTo(102);
        assertThat(reading.lineStarts()).hasSize(102).startsWith(0, 1, 2).endsWith(103);
        assertThat(vocabulary.readInJava(utf8).lineStarts()).isEqualTo(reading.lineStarts());
    }

    @Example
    void undecodableBytesAreNotAscii() {
        Prefilter.Vocabulary.Reading reading = new Prefilter.Vocabulary(List.of()).read(new byte[] {'a', (byte) 0xFF, '\n'});
        assertThat(reading.ascii()).isFalse();
        assertThat(reading.lines()).isEqualTo(1);
        assertThat(new Prefilter.Vocabulary(List.of()).read(new byte[0]).lines()).as("an empty file has one (empty) line").isEqualTo(1);
    }

    @Example
    void wordsWithTheSameHashAreToldApart() {
        // "Aa" and "BB" share String.hashCode: the table must compare the characters too.
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        Prefilter.Vocabulary vocabulary = new Prefilter.Vocabulary(List.of(new Prefilter.Word("Aa"), new Prefilter.Word("BBx")));
        assertThat(vocabulary.read("BB Aa_ xBBx".getBytes(StandardCharsets.UTF_8)).words()).isEmpty();
        assertThat(vocabulary.read("BB.Aa(BBx)".getBytes(StandardCharsets.UTF_8)).words()).containsExactlyInAnyOrder("Aa", "BBx");
    }

    @Example
    void anEmptyVocabularyFindsNothing() {
        assertThat(new Prefilter.Vocabulary(List.of(Prefilter.ANY)).read("any words at all".getBytes(StandardCharsets.UTF_8)).words()).isEmpty();
        assertThat(Prefilter.ANY.mayMatch(Set.of())).isTrue();
    }
}
