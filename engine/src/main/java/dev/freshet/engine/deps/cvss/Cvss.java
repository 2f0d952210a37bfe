package dev.freshet.engine.deps.cvss;

import java.util.Map;

/**
 * A parsed CVSS vector with its base score. {@link #parse} is the one way in: it accepts v2
 * vectors (bare, {@code AV:N/AC:L/Au:N/C:P/I:P/A:P}), v3.0/v3.1 ({@code CVSS:3.1/...}) and v4.0
 * ({@code CVSS:4.0/...}), and rejects anything it could not score exactly as the specification does.
 * Metrics may come in any order; {@link #vector()} gives them in the specification's order.
 */
public sealed interface Cvss permits CvssV2, CvssV3, CvssV4 {

    /** Longer input is refused unread; the longest valid v4.0 vector is under 200 characters. */
    int MAX_LENGTH = 512;

    /** The vector in normalized form: the version's prefix, then its metrics in the specification's order. */
    String vector();

    /** Metric abbreviation to value, in the specification's order. */
    Map<String, String> metrics();

    /** The base score, 0.0 to 10.0, rounded to one decimal as the specification rounds it. */
    double baseScore();

    /** The qualitative rating of the base score. */
    Severity severity();

    /** Parses and scores a vector string; leading and trailing white space is ignored. */
    static Cvss parse(String vector) throws CvssException {
        if (vector == null) throw new CvssException("", "no vector given");
        if (vector.length() > MAX_LENGTH) {
            throw new CvssException(vector, "longer than " + MAX_LENGTH + " characters (" + vector.length() + ")");
        }
        String input = vector.strip();
        if (input.isEmpty()) throw new CvssException(vector, "it is empty");
        if (input.regionMatches(true, 0, "CVSS:", 0, 5)) {
            int slash = input.indexOf('/');
            String prefix = slash < 0 ? input : input.substring(0, slash);
            String body = slash < 0 ? "" : input.substring(slash + 1);
            return switch (prefix) {
                case "CVSS:3.0", "CVSS:3.1" -> CvssV3.parse(input, prefix.substring(5), body);
                case "CVSS:4.0" -> CvssV4.parse(input, body);
                default -> throw new CvssException(input, "unsupported version prefix '" + CvssException.shown(prefix, 20)
                        + "'; expected CVSS:3.0, CVSS:3.1, CVSS:4.0, or no prefix for CVSS v2");
            };
        }
        if (!Character.isLetter(input.charAt(0)) || input.indexOf(':') < 0) {
            throw new CvssException(input, "not a CVSS vector; expected CVSS:3.1/..., CVSS:4.0/... or a v2 vector"
                    + " such as AV:N/AC:L/Au:N/C:P/I:P/A:P");
        }
        return CvssV2.parse(input);
    }
}
