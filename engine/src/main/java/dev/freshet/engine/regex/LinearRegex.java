package dev.freshet.engine.regex;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;

/** A rule regex that RE2/J runs: linear time in the text, whatever the regex. */
record LinearRegex(String source, Pattern pattern) implements RuleRegex {

    /** The regex on RE2/J, or null when RE2/J refuses it (lookaround, backreferences, PCRE-only syntax). */
    static LinearRegex compile(String regex, boolean multiline) {
        try {
            return new LinearRegex(regex, Pattern.compile(pcreEndAnchors(regex), multiline ? Pattern.MULTILINE : 0));
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    /**
     * PCRE's {@code \Z} is the end of the text or a final newline; RE2 has only {@code \z}, so the final
     * newline becomes optional text before it (whether a regex finds a match is the same).
     */
    static String pcreEndAnchors(String regex) {
        StringBuilder out = new StringBuilder(regex.length() + 8);
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char next = regex.charAt(++i);
                out.append(next == 'Z' ? "(?:\\n?\\z)" : "\\" + next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public Map<String, Integer> namedGroups() {
        return pattern.namedGroups();
    }

    @Override
    public RegexMatcher matcher(CharSequence text) {
        Matcher m = pattern.matcher(text);
        return new RegexMatcher() {
            @Override
            public boolean find() {
                return m.find();
            }

            @Override
            public boolean lookingAt() {
                return m.lookingAt();
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
                return LinearRegex.this.groupNumber(name);
            }
        };
    }
}
