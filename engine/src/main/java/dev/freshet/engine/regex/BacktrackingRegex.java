package dev.freshet.engine.regex;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A rule regex RE2/J cannot run (lookaround, backreferences), run by java.util.regex, which reads them
 * as PCRE does. Backtracking can take exponential time, so every match attempt has a budget of
 * character reads, as PCRE2 has its match limit (Semgrep sets 1,000,000, {@code Pcre2_.regexp}), and a
 * whole text a larger one; recursion past the thread's stack stands for PCRE's depth limit. Past
 * either, {@link RegexLimitExceeded} gives up this regex on this text.
 */
record BacktrackingRegex(String source, Pattern pattern, Map<String, Integer> namedGroups) implements RuleRegex {

    /** Character reads allowed from one starting position. */
    static final long MATCH_LIMIT = 1_000_000;
    /** Character reads allowed for one text, over all starting positions and matches. */
    static final long WORK_LIMIT = 100_000_000;

    static BacktrackingRegex compile(String regex, boolean multiline) throws RegexSyntaxException {
        PcreSyntax.Translation java = PcreSyntax.toJava(regex);
        // PCRE's defaults: only \n ends a line; with UTF, caseless matching covers all of Unicode.
        int flags = Pattern.UNIX_LINES | Pattern.UNICODE_CASE | (multiline ? Pattern.MULTILINE : 0);
        try {
            return new BacktrackingRegex(regex, Pattern.compile(java.javaRegex(), flags), java.namedGroups());
        } catch (PatternSyntaxException e) {
            throw RegexSyntaxException.invalid(e.getDescription() + " in " + regex);
        }
    }

    @Override
    public RegexMatcher matcher(CharSequence text) {
        return new BoundedMatcher(this, new CountedText(text.toString()));
    }

    /** The text, counting reads against the budgets; java.util.regex reads every character through charAt. */
    private final class CountedText implements CharSequence {
        private final String text;
        private long reads;
        private long limit;

        CountedText(String text) {
            this.text = text;
        }

        void startAttempt() {
            limit = Math.min(reads + MATCH_LIMIT, WORK_LIMIT);
        }

        @Override
        public char charAt(int index) {
            if (++reads > limit) {
                throw new RegexLimitExceeded(source, reads > WORK_LIMIT
                        ? "work limit (" + WORK_LIMIT + " character reads for one text)"
                        : "match limit (" + MATCH_LIMIT + " character reads from one starting position)");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * Tries each starting position in turn, as PCRE2 does, with a fresh match budget each; the region's
     * bounds are transparent and not anchoring, so lookbehind, {@code ^} and {@code \b} see the whole text.
     */
    private static final class BoundedMatcher implements RegexMatcher {
        private final BacktrackingRegex regex;
        private final CountedText text;
        private final Matcher m;
        private int next;
        private boolean matched;

        BoundedMatcher(BacktrackingRegex regex, CountedText text) {
            this.regex = regex;
            this.text = text;
            this.m = regex.pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        }

        @Override
        public boolean find() {
            for (int start = next; start <= text.length(); start++) {
                if (attempt(start)) {
                    // After an empty match the next search starts one further on, as Matcher.find does.
                    next = m.end() == m.start() ? m.end() + 1 : m.end();
                    return true;
                }
            }
            next = text.length() + 1;
            return false;
        }

        @Override
        public boolean lookingAt() {
            return attempt(0);
        }

        private boolean attempt(int start) {
            text.startAttempt();
            m.region(start, text.length());
            try {
                matched = m.lookingAt();
            } catch (StackOverflowError e) {
                throw new RegexLimitExceeded(regex.source, "depth limit (recursion deeper than the thread's stack)");
            }
            return matched;
        }

        @Override
        public int start(int group) {
            return m.start(group);
        }

        @Override
        public int end(int group) {
            return m.end(group);
        }

        @Override
        public String group(int group) {
            return m.group(group);
        }

        @Override
        public int groupCount() {
            return m.groupCount();
        }

        @Override
        public int groupNumber(String name) {
            return regex.groupNumber(name);
        }
    }
}
