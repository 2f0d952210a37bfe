package dev.freshet.updates.community;

import dev.freshet.engine.scan.Fingerprint;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One verdict as a caller gives it, checked whole before anything is stored. A verdict on a finding
 * names it by its fingerprint (from a JSON or SARIF report), or by path and matched code from which
 * the fingerprint is computed; a false negative carries the code the rule missed.
 *
 * @param releaseId the rules release the finding came from; null for the active one
 * @param accuracy  rating 1..5, or null
 */
public record NewFeedback(String ruleId, FeedbackVerdict verdict, String fingerprint, String path, String code, String language,
                          String releaseId, Integer accuracy, Integer usefulness, String comment) {
    static final int MAX_RULE_ID = 256;
    static final int MAX_PATH = 4096;
    static final int MAX_CODE = 64 * 1024;
    static final int MAX_COMMENT = 4000;

    public NewFeedback {
        ruleId = text("rule_id", ruleId, MAX_RULE_ID);
        if (ruleId == null) {
            throw new CommunityException("field 'rule_id' is required");
        }
        if (verdict == null) {
            throw new CommunityException("field 'verdict' is required (true_positive, false_positive, wont_fix or false_negative)");
        }
        path = text("path", path, MAX_PATH);
        code = text("code", code, MAX_CODE);
        language = text("language", language, 64);
        releaseId = text("release_id", releaseId, 128);
        comment = text("comment", comment, MAX_COMMENT);
        rating("accuracy", accuracy);
        rating("usefulness", usefulness);
        if (verdict == FeedbackVerdict.FALSE_NEGATIVE) {
            if (code == null) {
                throw new CommunityException("a false_negative needs 'code': the code rule '" + ruleId + "' should have matched");
            }
            if (fingerprint != null) {
                throw new CommunityException("a false_negative names no finding: leave 'fingerprint' out");
            }
        } else {
            String computed = path != null && code != null ? Fingerprint.of(ruleId, path, code) : null;
            if (fingerprint == null) {
                if (computed == null) {
                    throw new CommunityException("a " + verdict.lowerCase() + " names its finding: give 'fingerprint' "
                            + "(from the scan's JSON or SARIF report), or 'path' and 'code'");
                }
                fingerprint = computed;
            } else {
                fingerprint = fingerprint.strip().toLowerCase(Locale.ROOT);
                if (fingerprint.length() != 32 || !fingerprint.chars().allMatch(HexFormat::isHexDigit)) {
                    throw new CommunityException("'fingerprint' must be 32 hex digits, as reports give it");
                }
                if (computed != null && !computed.equals(fingerprint)) {
                    throw new CommunityException("'fingerprint' does not match rule_id, path and code; give the report's values unchanged");
                }
            }
        }
    }

    /** The text stripped (null when blank), refused when too long or holding control characters other than tab and newline. */
    private static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw new CommunityException("field '" + field + "' is longer than " + max + " characters");
        }
        if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
            throw new CommunityException("field '" + field + "' holds a control character (such as NUL)");
        }
        return field.equals("code") || field.equals("comment") ? value : value.strip();
    }

    private static void rating(String field, Integer value) {
        if (value != null && (value < 1 || value > 5)) {
            throw new CommunityException("field '" + field + "' is a rating from 1 to 5, not " + value);
        }
    }
}
