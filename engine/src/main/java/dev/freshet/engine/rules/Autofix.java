package dev.freshet.engine.rules;

import dev.freshet.engine.regex.RuleRegex;

/** How a rule rewrites the code it matched: Semgrep's {@code fix:} or {@code fix-regex:}. */
public sealed interface Autofix {

    /** Replaces the whole match with {@code text}, after putting each {@code $X} / {@code $...X} it names in place. */
    record Template(String text) implements Autofix {
    }

    /**
     * Substitutes {@code regex} by {@code replacement} inside the matched text ({@code \1}, {@code \g<1>},
     * {@code \g<name>} name groups), at most {@code count} times; 0 means every occurrence.
     */
    record RegexReplace(RuleRegex regex, String replacement, int count) implements Autofix {
    }
}
