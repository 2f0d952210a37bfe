package dev.freshet.engine.regex;

/**
 * A match attempt that ran past its work budget (PCRE's MatchLimit or DepthLimit error): this rule on
 * this input is given up, the rest of the scan goes on.
 */
public final class RegexLimitExceeded extends RuntimeException {
    RegexLimitExceeded(String regex, String limit) {
        super("regex " + abbreviated(regex) + " exceeded its " + limit
                + " (catastrophic backtracking on this input); no result for it here", null, false, false);
    }

    private static String abbreviated(String regex) {
        return regex.length() <= 120 ? regex : regex.substring(0, 117) + "...";
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
