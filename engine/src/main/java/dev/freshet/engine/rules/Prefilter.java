package dev.freshet.engine.rules;

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

    /** @param words the file's words, from {@link #wordsOf} */
    boolean mayMatch(Set<String> words);

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

    /** An ASCII letter, digit or underscore; compared directly, as this runs on every char of every file. */
    private static boolean isWordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    record Word(String word) implements Prefilter {
        @Override
        public boolean mayMatch(Set<String> words) {
            return words.contains(word);
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
