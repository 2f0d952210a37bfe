package dev.freshet.engine.rules;

import dev.freshet.engine.parse.NativeWordPass;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Words a file must contain for a rule to possibly match, so most files are skipped before
 * parsing (Semgrep does the same). A conservative over-approximation: it never skips a file that
 * could match. Pattern words are identifiers, and code that matches holds them as whole
 * identifier-like tokens, so a file's words are computed once ({@link #wordsOf}) and every rule's
 * check is a few set lookups.
 */
public sealed interface Prefilter {
    Prefilter ANY = new AllOf(List.of());
    /** Keywords a pattern may contain where the code need not: {@code function (...) {...}} matches arrow functions. */
    Set<String> MATCHED_WITHOUT_THE_WORD = Set.of("function");

    /** @param words the file's words, from {@link #wordsOf} or, of the words the prefilters name, from a {@link Vocabulary} */
    boolean mayMatch(Set<String> words);

    /** The words this prefilter looks up. */
    Stream<String> words();

    /**
     * The maximal runs of ASCII letters, digits and underscores in the text: every identifier,
     * also those inside strings and comments (an import path names a module too).
     */
    static Set<String> wordsOf(String text) {
        Set<String> words = new HashSet<>();
        int length = text.length();
        int i = 0;
        while (i < length) {
            if (!isWordChar(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < length && isWordChar(text.charAt(i))) {
                i++;
            }
            words.add(text.substring(start, i));
        }
        return words;
    }

    /** An ASCII letter, digit or underscore; a table lookup, as this runs on every char of every file. */
    private static boolean isWordChar(int c) {
        return c >= 0 && c < Vocabulary.WORD_CHARS.length && Vocabulary.WORD_CHARS[c];
    }

    /** Indexed by ASCII code. */
    private static boolean[] wordChars() {
        boolean[] word = new boolean[128];
        for (int c = 0; c < word.length; c++) {
            word[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
        }
        return word;
    }

    /**
     * The words a scan's prefilters name, found in a file without cutting every word of the file out
     * of it: each run of word characters is hashed as it is read and looked up in an open-addressing
     * table. For the prefilters it was made from, {@code mayMatch(vocabulary.read(file).words())} answers as
     * {@code mayMatch(wordsOf(file))} does.
     */
    final class Vocabulary {
        private static final boolean[] WORD_CHARS = wordChars();
        /** {@link #WORD_CHARS} indexed by a byte's unsigned value: no byte of 0x80 and above is a word char. */
        private static final boolean[] WORD_BYTES = Arrays.copyOf(WORD_CHARS, 256);
        /** Each word once. */
        private final String[] words;
        /** The open-addressing table: a word's number, or -1 for an empty slot. */
        private final int[] slots;
        /** For the C pass: each word's offset in {@link #chars}, its length and its hash. */
        private final int[] layout;
        private final byte[] chars;

        public Vocabulary(Collection<Prefilter> prefilters) {
            Set<String> distinct = new HashSet<>();
            prefilters.forEach(prefilter -> prefilter.words().forEach(distinct::add));
            words = distinct.toArray(String[]::new);
            // At most half full, so that a lookup of an absent word meets an empty slot soon.
            slots = new int[Integer.highestOneBit(Math.max(1, words.length) * 4)];
            Arrays.fill(slots, -1);
            layout = new int[3 * words.length];
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int n = 0; n < words.length; n++) {
                int slot = slot(words[n].hashCode());
                while (slots[slot] >= 0) {
                    slot = (slot + 1) & (slots.length - 1);
                }
                slots[slot] = n;
                layout[3 * n] = bytes.size();
                layout[3 * n + 1] = words[n].length();
                layout[3 * n + 2] = words[n].hashCode();
                bytes.writeBytes(words[n].getBytes(StandardCharsets.US_ASCII)); // words are ASCII
            }
            chars = bytes.toByteArray();
        }

        /**
         * What a scan learns from one pass over a file's bytes: the vocabulary's words in it, its lines
         * (a last line without a newline counts), where each line starts (0, then the byte after each
         * newline), and whether it is all ASCII (then its UTF-8 is its text byte for byte, and the line
         * starts are char indexes too).
         */
        public record Reading(Set<String> words, int lines, int[] lineStarts, boolean ascii) {}

        /**
         * Reads a file's UTF-8 bytes once (see {@link Reading}); its words are the vocabulary's words that
         * occur in it as whole words: word characters are ASCII, and no byte of a multi-byte character is one.
         * The engine's runtime does it in C ({@link NativeWordPass}), as {@link #readInJava} does it.
         */
        public Reading read(byte[] utf8) {
            if (!NativeWordPass.available()) {
                return readInJava(utf8);
            }
            byte[] found = new byte[words.length];
            int[] lineStarts = new int[firstGuessOfLines(utf8.length)];
            long result = NativeWordPass.read(utf8, slots, layout, chars, found, lineStarts);
            int newlines = (int) result;
            if (newlines >= lineStarts.length) {
                lineStarts = new int[newlines + 1]; // lines shorter than guessed: read again with room for all
                result = NativeWordPass.read(utf8, slots, layout, chars, found, lineStarts);
            }
            Set<String> present = new HashSet<>();
            for (int n = 0; n < found.length; n++) {
                if (found[n] != 0) {
                    present.add(words[n]);
                }
            }
            return reading(utf8, present, newlines, lineStarts, (result >>> 32) == 0);
        }

        /** {@link #read} in Java: the engine's runtime has it in C, and tests hold the two to the same answers. */
        Reading readInJava(byte[] utf8) {
            Set<String> found = new HashSet<>();
            // Written for C1, which one-off scans run on: the table in a local, indexed by the unsigned
            // byte (C1 neither hoists a field load out of a loop nor drops a sign check).
            boolean[] wordChars = WORD_BYTES;
            int length = utf8.length;
            int[] lineStarts = new int[firstGuessOfLines(length)];
            int newlines = 0;
            int highBits = 0;
            int i = 0;
            while (i < length) {
                int b = utf8[i] & 0xFF;
                if (!wordChars[b]) {
                    if (b == '\n') {
                        if (++newlines == lineStarts.length) {
                            lineStarts = Arrays.copyOf(lineStarts, newlines * 2);
                        }
                        lineStarts[newlines] = i + 1;
                    }
                    highBits |= b;
                    i++;
                    continue;
                }
                int start = i;
                int hash = 0; // String.hashCode of the word, computed as it is read
                do {
                    hash = 31 * hash + b;
                    i++;
                } while (i < length && wordChars[b = utf8[i] & 0xFF]);
                String word = lookUp(utf8, start, i - start, hash);
                if (word != null) {
                    found.add(word);
                }
            }
            return reading(utf8, found, newlines, lineStarts, highBits < 0x80);
        }

        /** Room for a line of every 32 bytes. */
        private static int firstGuessOfLines(int length) {
            return Math.max(16, length >>> 5);
        }

        private static Reading reading(byte[] utf8, Set<String> found, int newlines, int[] lineStarts, boolean ascii) {
            boolean endsWithNewline = utf8.length > 0 && utf8[utf8.length - 1] == '\n';
            return new Reading(found, newlines + (endsWithNewline ? 0 : 1), Arrays.copyOf(lineStarts, newlines + 1), ascii);
        }

        private String lookUp(byte[] utf8, int start, int length, int hash) {
            for (int slot = slot(hash); slots[slot] >= 0; slot = (slot + 1) & (slots.length - 1)) {
                String word = words[slots[slot]];
                if (word.hashCode() == hash && word.length() == length && sameChars(word, utf8, start)) {
                    return word;
                }
            }
            return null;
        }

        private static boolean sameChars(String word, byte[] utf8, int start) {
            for (int i = 0; i < word.length(); i++) {
                if (word.charAt(i) != utf8[start + i]) {
                    return false;
                }
            }
            return true;
        }

        private int slot(int hash) {
            return (hash ^ hash >>> 16) & (slots.length - 1);
        }
    }

    record Word(String word) implements Prefilter {
        @Override
        public boolean mayMatch(Set<String> words) {
            return words.contains(word);
        }

        @Override
        public Stream<String> words() {
            return Stream.of(word);
        }
    }

    record AllOf(List<Prefilter> parts) implements Prefilter {
        @Override
        public boolean mayMatch(Set<String> words) {
            for (Prefilter part : parts) {
                if (!part.mayMatch(words)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Stream<String> words() {
            return parts.stream().flatMap(Prefilter::words);
        }
    }

    record AnyOf(List<Prefilter> parts) implements Prefilter {
        @Override
        public boolean mayMatch(Set<String> words) {
            for (Prefilter part : parts) {
                if (part.mayMatch(words)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Stream<String> words() {
            return parts.stream().flatMap(Prefilter::words);
        }
    }

    static Prefilter of(Formula formula) {
        return switch (formula) {
            case Formula.Code code -> new AllOf(code.pattern().requiredWords().stream().sorted()
                    .filter(word -> !MATCHED_WITHOUT_THE_WORD.contains(word))
                    .<Prefilter>map(Word::new).toList());
            case Formula.Generic generic -> new AllOf(generic.pattern().requiredWords().stream().sorted()
                    .<Prefilter>map(Word::new).toList());
            case Formula.Regex regex -> ANY;
            case Formula.Either either -> anyOf(either.alternatives());
            case Formula.Taint taint -> new AllOf(Stream.of(
                            anyOf(taint.spec().sources().stream().map(TaintSpec.Source::formula).toList()),
                            anyOf(taint.spec().sinks().stream().map(TaintSpec.Sink::formula).toList()))
                    .filter(p -> p != ANY).toList());
            case Formula.All all -> new AllOf(all.terms().stream()
                    .filter(t -> t instanceof Formula.Positive || t instanceof Formula.Inside)
                    .map(t -> of(t.formula())).filter(p -> p != ANY).toList());
        };
    }

    /** Words for "one of these formulas matches". */
    private static Prefilter anyOf(List<Formula> alternatives) {
        List<Prefilter> parts = alternatives.stream().map(Prefilter::of).toList();
        return parts.contains(ANY) ? ANY : new AnyOf(parts);
    }
}
