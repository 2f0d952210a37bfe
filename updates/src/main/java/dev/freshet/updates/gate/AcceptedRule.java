package dev.freshet.updates.gate;

/**
 * A rule that passed the validation gate.
 *
 * @param yaml   the rule on its own, as a complete rule document ({@code rules: [ ... ]})
 * @param sha256 hex SHA-256 of {@code yaml}: releases and diffs compare rules by it
 */
public record AcceptedRule(String id, String source, String path, String yaml, String sha256) {
    /**
     * The {@link #sha256} a rule of this one-rule file has once accepted (that of its document as
     * the gate re-writes it, whatever the file's layout): what tells whether a release holds it.
     */
    public static String releasedSha256(String oneRuleFile) {
        return RuleDocuments.split(oneRuleFile).getFirst().sha256();
    }
}
