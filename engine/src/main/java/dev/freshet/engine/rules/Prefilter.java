package dev.freshet.engine.rules;

import java.util.List;

/**
 * Words a file must contain for a rule to possibly match, so most files are skipped before
 * parsing (Semgrep does the same). A conservative over-approximation: it never skips a file that
 * could match.
 */
public sealed interface Prefilter {
    Prefilter ANY = new AllOf(List.of());
    /** Keywords a pattern may contain where the code need not: {@code function (...) {...}} matches arrow functions. */
    java.util.Set<String> MATCHED_WITHOUT_THE_WORD = java.util.Set.of("function");

    boolean mayMatch(String text);

    record Word(String word) implements Prefilter {
        @Override
        public boolean mayMatch(String text) {
            return text.contains(word);
        }
    }

    record AllOf(List<Prefilter> parts) implements Prefilter {
        @Override
        public boolean mayMatch(String text) {
            return parts.stream().allMatch(p -> p.mayMatch(text));
        }
    }

    record AnyOf(List<Prefilter> parts) implements Prefilter {
        @Override
        public boolean mayMatch(String text) {
            return parts.stream().anyMatch(p -> p.mayMatch(text));
        }
    }

    static Prefilter of(Formula formula) {
        return switch (formula) {
            case Formula.Code code -> new AllOf(code.pattern().requiredWords().stream().sorted()
                    .filter(word -> !MATCHED_WITHOUT_THE_WORD.contains(word))
                    .<Prefilter>map(Word::new).toList());
            case Formula.Regex regex -> ANY;
            case Formula.Either either -> anyOf(either.alternatives());
            case Formula.Taint taint -> new AllOf(java.util.stream.Stream.of(
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
