package dev.freshet.engine.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.engine.deps.DependencyFinding;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanProblem;
import dev.freshet.engine.scan.ScanResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Freshet's own JSON document, for scripts:
 * {@code {"version", "results": [{rule_id, severity, message, path, start, end, code, metadata, fix?, fixed_lines?}],
 * "dependencies": [{package, version, ecosystem, advisory_ids, summary, severity, fixed_versions, path, line}], "problems",
 * "stats": {files, lines, elapsed_ms}}}, and {@code "truncated": "truncated after N findings..."} when the scan stopped
 * at its limit of findings. {@code version} is Freshet's version. A result whose rule has a fix carries
 * Semgrep's {@code fix} (the text replacing the match) and {@code fixed_lines} (the matched lines once fixed).
 */
public record JsonReport(String toolVersion) implements ReportWriter {

    @Override
    public void write(ScanResult result, List<RuleInfo> rules, Path baseDir, Writer out) throws IOException {
        ObjectNode root = Reports.JSON.createObjectNode();
        root.put("version", toolVersion);
        result.problems().stream().filter(p -> p.kind() == ScanProblem.Kind.TRUNCATED).findFirst()
                .ifPresent(truncated -> root.put("truncated", truncated.message()));
        ArrayNode results = root.putArray("results");
        for (Finding finding : Reports.sortedFindings(result.findings(), baseDir)) {
            ObjectNode node = results.addObject();
            node.put("rule_id", finding.ruleId());
            node.put("severity", finding.severity().name());
            node.put("message", finding.message());
            node.put("path", Reports.displayPath(finding.file(), baseDir));
            node.putObject("start").put("line", finding.startLine()).put("col", finding.startColumn());
            node.putObject("end").put("line", finding.endLine()).put("col", finding.endColumn());
            node.put("code", finding.code());
            node.set("metadata", Reports.JSON.valueToTree(Reports.metadata(finding.metadata())));
            if (finding.fix() != null) {
                node.put("fix", finding.fix().edit().replacement());
                ArrayNode fixedLines = node.putArray("fixed_lines");
                finding.fix().fixedLines().lines().forEach(fixedLines::add);
            }
        }
        ArrayNode dependencies = root.putArray("dependencies");
        for (DependencyFinding found : result.dependencies()) {
            ObjectNode node = dependencies.addObject();
            node.put("package", found.dependency().name());
            node.put("version", found.dependency().version());
            node.put("ecosystem", found.dependency().ecosystem().osvName());
            ArrayNode ids = node.putArray("advisory_ids");
            found.advisoryIds().forEach(ids::add);
            node.put("summary", found.summary());
            node.put("severity", found.score() == null ? null : found.score().rating());
            node.put("cvss_score", found.score() == null ? null : found.score().score());
            node.put("cvss_vector", found.score() == null ? null : found.score().vector());
            ArrayNode fixed = node.putArray("fixed_versions");
            found.fixedVersions().forEach(fixed::add);
            node.put("path", Reports.displayPath(found.dependency().lockfile(), baseDir));
            node.put("line", found.dependency().line());
            if (found.kev() == null) {
                node.putNull("kev");
            } else {
                node.putObject("kev").put("date_added", found.kev().dateAdded().toString())
                        .put("due_date", found.kev().dueDate() == null ? null : found.kev().dueDate().toString())
                        .put("known_ransomware_use", found.kev().knownRansomwareUse());
            }
            node.put("reachability", found.reachability().name().toLowerCase(Locale.ROOT));
            ArrayNode calls = node.putArray("calls");
            found.calls().forEach(call -> calls.addObject().put("path", Reports.displayPath(call.file(), baseDir))
                    .put("line", call.startLine()).put("code", call.code()));
        }
        ArrayNode problems = root.putArray("problems");
        for (ScanProblem problem : Reports.sortedProblems(result.problems(), baseDir)) {
            ObjectNode node = problems.addObject();
            node.put("path", problem.file() == null ? null : Reports.displayPath(problem.file(), baseDir));
            node.put("kind", problem.kind().name());
            node.put("message", problem.message());
        }
        root.putObject("stats")
                .put("files", result.filesScanned())
                .put("lines", result.linesScanned())
                .put("elapsed_ms", result.elapsedNanos() / 1_000_000);
        Reports.JSON.writeValue(out, root);
        out.write('\n');
        out.flush();
    }
}
