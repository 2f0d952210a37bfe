package dev.freshet.engine.regex;

import java.util.Map;

/**
 * A regular expression from a rule, with the meaning Semgrep gives it: PCRE2 syntax and semantics
 * (Semgrep compiles every rule regex with PCRE2, {@code libs/commons/Pcre2_.ml}). Regexes RE2/J accepts
 * run there in linear time; the rest (lookaround, backreferences, PCRE's own syntax) run on a
 * backtracking engine whose work per match attempt is bounded, as PCRE bounds it with its match and
 * depth limits, so neither a hostile rule nor hostile input can hang a scan.
 */
public sealed interface RuleRegex permits LinearRegex, BacktrackingRegex {

    /** The regex as the rule wrote it. */
    String source();

    /** Named groups and their numbers. */
    Map<String, Integer> namedGroups();

    /** The number of a named group; IllegalArgumentException when the regex has no such group. */
    default int groupNumber(String name) {
        Integer number = namedGroups().get(name);
        if (number == null) {
            throw new IllegalArgumentException("no group named " + name);
        }
        return number;
    }

    /** A matcher over {@code text}. */
    RegexMatcher matcher(CharSequence text);

    /**
     * Compiles a rule's regex; {@code multiline} makes {@code ^} and {@code $} match at line breaks.
     *
     * @throws RegexSyntaxException when it is not a valid PCRE regex, or uses a PCRE feature that cannot run here
     */
    static RuleRegex compile(String regex, boolean multiline) throws RegexSyntaxException {
        LinearRegex linear = LinearRegex.compile(regex, multiline);
        return linear != null ? linear : BacktrackingRegex.compile(regex, multiline);
    }

    /** True when the regex finds a match anywhere in the text. */
    default boolean find(CharSequence text) {
        return matcher(text).find();
    }

    /** True when the regex matches a prefix of the text (Semgrep's anchored match). */
    default boolean lookingAt(CharSequence text) {
        return matcher(text).lookingAt();
    }
}
