package dev.freshet.engine.testing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expectations a rule test file states in comments, Semgrep's way: {@code ruleid: a, b} on
 * line N expects a finding of rules a and b starting on line N+1 (whatever that line holds, as in
 * Semgrep), {@code ok:} expects none, and {@code todoruleid:} / {@code todook:} mark known gaps whose
 * line is left out of the comparison.
 */
public record Annotations(Map<String, Set<Integer>> expected, Map<String, Set<Integer>> ignored) {
    /**
     * After a comment opener ({@code #}, {@code //}, {@code --}, {@code <!--}, {@code /*}, JSX's <code>{/*</code},
     * Jinja's <code>{#</code>, JSP's {@code <%--}, ERB's {@code <%#}, OCaml's {@code (*}), the annotation and
     * the comment's closer, if any. Expectations for Semgrep Pro's engines ({@code ruleid: deepok: x},
     * {@code proruleid: x}) are not this engine's: only the leading plain kind counts.
     */
    private static final Pattern ANNOTATION = Pattern.compile(
            "(?:#|//|<!--|/\\*|\\{/\\*|--|\\(\\*)\\s*(ruleid|ok|todoruleid|todook)\\s*:"
                    + "(?:\\s*(?:pro|deep)(?:ruleid|ok|todoruleid|todook)\\s*:)*\\s*([A-Za-z0-9_.,\\s-]+?)\\s*"
                    + "(?:-->|--%>|%>|#\\}|\\*\\)|\\*/\\}?)?\\s*$");

    public static Annotations parse(String text) {
        Map<String, Set<Integer>> expected = new HashMap<>();
        Map<String, Set<Integer>> ignored = new HashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = ANNOTATION.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            int target = i + 2; // 1-based line after the annotation
            String kind = m.group(1);
            for (String id : m.group(2).split(",")) {
                String ruleId = id.strip();
                if (ruleId.isEmpty()) {
                    continue;
                }
                switch (kind) {
                    case "ruleid" -> expected.computeIfAbsent(ruleId, k -> new HashSet<>()).add(target);
                    case "todoruleid", "todook" -> ignored.computeIfAbsent(ruleId, k -> new HashSet<>()).add(target);
                    default -> expected.computeIfAbsent(ruleId, k -> new HashSet<>());
                }
            }
        }
        return new Annotations(expected, ignored);
    }

    /** Lines where {@code ruleId} should report, without the ignored ones. */
    public Set<Integer> expectedLines(String ruleId) {
        Set<Integer> lines = new HashSet<>(expected.getOrDefault(ruleId, Set.of()));
        lines.removeAll(ignoredLines(ruleId));
        return lines;
    }

    public Set<Integer> ignoredLines(String ruleId) {
        return ignored.getOrDefault(ruleId, Set.of());
    }
}
