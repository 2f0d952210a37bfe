package dev.freshet.engine.models;

/**
 * One reason a request looks anomalous: where ({@code query:id}, a route, a header), which feature
 * and why, in words. {@code hard} findings are events never seen in benign traffic; they rank above
 * every soft (graded) finding.
 */
public record Finding(String where, Feature feature, String reason, double severity, boolean hard) {

    /** The features the profiles judge. */
    public enum Feature {
        UNSEEN_ROUTE, UNSEEN_PARAMETER, UNSEEN_HEADER, MISSING_PARAMETER, PARAMETER_ORDER, MALFORMED_ENCODING,
        NEW_CHARACTERS, CHARACTER_COUNT, LENGTH, STRUCTURE, UNSEEN_VALUE;

        /** Features that say only that a name is new, not that its value is strange. */
        public boolean isNovelName() {
            return this == UNSEEN_ROUTE || this == UNSEEN_PARAMETER || this == UNSEEN_HEADER;
        }
    }
}
