package dev.freshet.updates.community;

import dev.freshet.updates.community.Contribution.ContributedFile;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A contribution as submitted, checked whole before the gate sees it: a rule file with its test
 * file beside it (Semgrep's annotation convention: {@code X.yaml} and {@code X.py} with
 * {@code # ruleid:} / {@code # ok:} comments), flat file names, a title and an open license.
 */
public record NewContribution(ContributionKind kind, String title, String license, List<ContributedFile> files) {
    public static final int MAX_FILES = 20;
    public static final int MAX_FILE_BYTES = 256 * 1024;
    public static final int MAX_TOTAL_BYTES = 1024 * 1024;
    /** Licenses the community source can redistribute rules under (SPDX identifiers). */
    public static final List<String> LICENSES = List.of("MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "MPL-2.0",
            "LGPL-2.1-only", "LGPL-3.0-only", "CC0-1.0", "CC-BY-4.0");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    public NewContribution {
        if (kind == null) {
            throw new CommunityException("field 'kind' is required: new_rule, rule_improvement, bug_fix, test_case or documentation");
        }
        if (title == null || title.isBlank() || title.length() > 200 || title.chars().anyMatch(Character::isISOControl)) {
            throw new CommunityException("field 'title' is required: one line of at most 200 characters");
        }
        title = title.strip();
        String given = license;
        license = LICENSES.stream().filter(l -> l.equalsIgnoreCase(given == null ? "" : given.strip())).findFirst()
                .orElseThrow(() -> new CommunityException("field 'license' must be one of " + LICENSES
                        + (given == null ? "" : ", not '" + given + "'")));
        if (files == null || files.isEmpty()) {
            throw new CommunityException("field 'files' is required: the rule file and its test file");
        }
        if (files.size() > MAX_FILES) {
            throw new CommunityException(files.size() + " files; a contribution holds at most " + MAX_FILES);
        }
        files = List.copyOf(files);
        Set<String> names = new HashSet<>();
        long total = 0;
        for (ContributedFile file : files) {
            if (file == null || file.path() == null || !FILE_NAME.matcher(file.path()).matches()) {
                throw new CommunityException("file name '" + (file == null ? null : file.path()) + "' is not allowed: give plain "
                        + "file names (letters, digits, '.', '_', '-'; no directories), such as no-eval.yaml and no-eval.py");
            }
            if (!names.add(file.path())) {
                throw new CommunityException("file '" + file.path() + "' is given twice");
            }
            if (file.content() == null || file.content().isEmpty()) {
                throw new CommunityException("file '" + file.path() + "' is empty");
            }
            int bytes = file.content().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_FILE_BYTES) {
                throw new CommunityException("file '" + file.path() + "' has " + bytes + " bytes; at most " + MAX_FILE_BYTES + " per file");
            }
            total += bytes;
        }
        if (total > MAX_TOTAL_BYTES) {
            throw new CommunityException("the files hold " + total + " bytes; at most " + MAX_TOTAL_BYTES + " in all");
        }
        if (files.stream().noneMatch(f -> isRuleFile(f.path()))) {
            throw new CommunityException("no rule file (.yaml or .yml) among the files: a contribution brings a rule with its tests");
        }
    }

    static boolean isRuleFile(String name) {
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.contains(".fixed.") && !name.contains(".test.");
    }
}
