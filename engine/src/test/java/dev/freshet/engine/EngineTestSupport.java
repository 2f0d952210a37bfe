package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.Scanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared fixtures for the engine tests: rules and sources are written inline, stored under a
 * temporary directory, loaded with the real {@link RuleLoader} and scanned with the real
 * {@link Scanner}. Nothing is read from outside the temporary directory.
 */
abstract class EngineTestSupport {
    static final TreeSitterParser PARSER = new TreeSitterParser();

    @TempDir
    Path tmp;

    static RuleLoader loader() {
        return new RuleLoader(new PatternCompiler(PARSER));
    }

    static Scanner scanner(boolean applyPathFilters) {
        return new Scanner(PARSER, new Scanner.Options(Duration.ofSeconds(10), 1, applyPathFilters));
    }

    /** Parses rule YAML as if it were the file {@code rules.yaml} in the temporary directory. */
    RuleSet load(String yaml) {
        return loader().parse(tmp.resolve("rules.yaml"), yaml);
    }

    /** Loads rule YAML that must load without any problem. */
    List<Rule> rules(String yaml) {
        RuleSet set = load(yaml);
        assertThat(set.problems()).as("problems loading the rules").isEmpty();
        return set.rules();
    }

    Path write(String relative, String content) {
        Path file = tmp.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scans the given files (relative name, content, name, content...) with the rules; path filters apply. */
    ScanResult scanFiles(String yaml, String... namesAndContents) {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            files.add(write(namesAndContents[i], namesAndContents[i + 1]));
        }
        return scanner(true).scan(rules(yaml), files, tmp, n -> { });
    }

    /** The findings of the rules in one file. */
    List<Finding> scan(String yaml, String fileName, String source) {
        ScanResult result = scanFiles(yaml, fileName, source);
        assertThat(result.problems()).as("scan problems").isEmpty();
        return result.findings();
    }

    /** A rule file with one rule {@code test} whose matching logic is the given YAML (top-level keys). */
    static String rule(String language, String body) {
        return rule("test", language, "ERROR", "found", body);
    }

    static String rule(String id, String language, String severity, String message, String body) {
        return "rules:\n"
                + "- id: " + id + "\n"
                + "  languages: [" + language + "]\n"
                + "  severity: " + severity + "\n"
                + "  message: " + quoted(message) + "\n"
                + indent(body.stripTrailing(), "  ") + "\n";
    }

    /** A YAML double-quoted scalar. */
    static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A one-rule file whose rule is the single pattern given (a literal block, so any text works). */
    static String pattern(String language, String pattern) {
        return rule(language, "pattern: |\n" + indent(pattern.stripTrailing(), "  "));
    }

    static String indent(String text, String prefix) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(line.isEmpty() ? "" : prefix + line);
        }
        return out.toString();
    }

    /** Start lines of the findings, in report order. */
    static List<Integer> lines(List<Finding> findings) {
        return findings.stream().map(Finding::startLine).toList();
    }

    /** {@code startLine:startColumn-endLine:endColumn} of each finding. */
    static List<String> spans(List<Finding> findings) {
        return findings.stream()
                .map(f -> f.startLine() + ":" + f.startColumn() + "-" + f.endLine() + ":" + f.endColumn()).toList();
    }

    /** The matched code of each finding. */
    static List<String> codes(List<Finding> findings) {
        return findings.stream().map(Finding::code).toList();
    }

    static List<String> messages(List<Finding> findings) {
        return findings.stream().map(Finding::message).toList();
    }

    /** Start lines per rule id, for files scanned with several rules. */
    static Map<String, List<Integer>> linesByRule(List<Finding> findings) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (Finding finding : findings) {
            out.computeIfAbsent(finding.ruleId(), k -> new ArrayList<>()).add(finding.startLine());
        }
        return out;
    }
}
