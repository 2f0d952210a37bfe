package dev.freshet.engine.regex;

/** Successive matches of a {@link RuleRegex} in one text, as {@link java.util.regex.Matcher} reports them. */
public interface RegexMatcher {

    /** The next match after the previous one; false when there is none. */
    boolean find();

    /** Whether the regex matches a prefix of the text. */
    boolean lookingAt();

    int start();

    int end();

    /** Start of a group in the last match, -1 when it took no part. */
    int start(int group);

    int end(int group);

    String group();

    /** A group's text in the last match, null when it took no part. */
    String group(int group);

    /** A named group's text, null when it took no part; IllegalArgumentException when the regex has no such group. */
    String group(String name);

    int groupCount();
}
