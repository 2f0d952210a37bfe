package dev.freshet.engine.regex;

/** Successive matches of a {@link RuleRegex} in one text, as {@link java.util.regex.Matcher} reports them. */
public interface RegexMatcher {

    /** The next match after the previous one; false when there is none. */
    boolean find();

    /** Whether the regex matches a prefix of the text. */
    boolean lookingAt();

    /** Start of a group in the last match (0: the whole match), -1 when it took no part. */
    int start(int group);

    int end(int group);

    /** A group's text in the last match, null when it took no part. */
    String group(int group);

    int groupCount();

    /** The number of a named group; IllegalArgumentException when the regex has no such group. */
    int groupNumber(String name);

    default int start() {
        return start(0);
    }

    default int end() {
        return end(0);
    }

    default String group() {
        return group(0);
    }

    /** A named group's text, null when it took no part. */
    default String group(String name) {
        return group(groupNumber(name));
    }
}
