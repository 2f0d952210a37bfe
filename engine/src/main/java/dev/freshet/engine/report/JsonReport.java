package dev.freshet.engine.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.freshet.engine.deps.DependencyFinding;
import dev.freshet.engine.rules.PlainJson;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.Fingerprint;
import dev.freshet.engine.scan.ScanProblem;
import dev.freshet.engine.scan.ScanResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Freshet's own JSON document, for scripts:
 * {@code {"version", "results": [{rule_id, severity, message, path, start, end, code, fingerprint, metadata, fix?, fixed_lines?}],
 * "dependencies": [{package, version, ecosystem, advisory_ids, summary, severity, fixed_versions, path, line}], "problems",
 * "stats": {files, lines, elapsed_ms}}}, and {@code "truncated": "truncated after N findings..."} when the scan stopped
 * at its limit of findings. {@code version} is Freshet's version. A result whose rule has a fix carries
 * Semgrep's {@code fix} (the text replacing the match) and {@code fixed_lines} (the matched lines once fixed).
 * Written as it goes, a finding at a time, so a large report is never held whole in memory.
 */
public record JsonReport(String toolVersion) implements ReportWriter {

    @Override
    public void write(ScanResult result, List<RuleInfo> rules, Path baseDir, Writer out) throws IOException {
        try (JsonGenerator json = Reports.generator(out)) {
            json.writeStartObject();
            json.writeStringField("version", toolVersion);
            var truncated = result.problems().stream().filter(p -> p.kind() == ScanProblem.Kind.TRUNCATED).findFirst();
            if (truncated.isPresent()) {
                json.writeStringField("truncated", truncated.get().message());
            }
            json.writeArrayFieldStart("results");
            Function<Path, String> paths = Reports.displayPaths(baseDir);
            for (Finding finding : Reports.sortedFindings(result.findings(), paths)) {
                writeFinding(json, finding, paths.apply(finding.file()));
            }
            json.writeEndArray();
            json.writeArrayFieldStart("dependencies");
            for (DependencyFinding found : result.dependencies()) {
                writeDependency(json, found, baseDir);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("problems");
            for (ScanProblem problem : Reports.sortedProblems(result.problems(), baseDir)) {
                json.writeStartObject();
                json.writeStringField("path", problem.file() == null ? null : Reports.displayPath(problem.file(), baseDir));
                json.writeStringField("kind", problem.kind().name());
                json.writeStringField("message", problem.message());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("stats");
            json.writeNumberField("files", result.filesScanned());
            json.writeNumberField("lines", result.linesScanned());
            json.writeNumberField("elapsed_ms", result.elapsedNanos() / 1_000_000);
            json.writeEndObject();
            json.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    private static void writeFinding(JsonGenerator json, Finding finding, String path) throws IOException {
        json.writeStartObject();
        json.writeStringField("rule_id", finding.ruleId());
        json.writeStringField("severity", finding.severity().name());
        json.writeStringField("message", finding.message());
        json.writeStringField("path", path);
        writePosition(json, "start", finding.startLine(), finding.startColumn());
        writePosition(json, "end", finding.endLine(), finding.endColumn());
        json.writeStringField("code", finding.code());
        json.writeStringField("fingerprint", Fingerprint.of(finding.ruleId(), path, finding.code()));
        json.writeFieldName("metadata");
        PlainJson.write(json, Reports.metadata(finding.metadata()));
        if (finding.fix() != null) {
            json.writeStringField("fix", finding.fix().edit().replacement());
            json.writeArrayFieldStart("fixed_lines");
            for (String line : finding.fix().fixedLines().lines().toList()) {
                json.writeString(line);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void writePosition(JsonGenerator json, String name, int line, int col) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeNumberField("line", line);
        json.writeNumberField("col", col);
        json.writeEndObject();
    }

    private static void writeDependency(JsonGenerator json, DependencyFinding found, Path baseDir) throws IOException {
        json.writeStartObject();
        json.writeStringField("package", found.dependency().name());
        json.writeStringField("version", found.dependency().version());
        json.writeStringField("ecosystem", found.dependency().ecosystem().osvName());
        Reports.writeStrings(json, "advisory_ids", found.advisoryIds());
        json.writeStringField("summary", found.summary());
        json.writeStringField("severity", found.score() == null ? null : found.score().rating());
        json.writeFieldName("cvss_score");
        if (found.score() == null) {
            json.writeNull();
        } else {
            json.writeNumber(found.score().score());
        }
        json.writeStringField("cvss_vector", found.score() == null ? null : found.score().vector());
        Reports.writeStrings(json, "fixed_versions", found.fixedVersions());
        json.writeStringField("path", Reports.displayPath(found.dependency().lockfile(), baseDir));
        json.writeNumberField("line", found.dependency().line());
        if (found.kev() == null) {
            json.writeNullField("kev");
        } else {
            json.writeObjectFieldStart("kev");
            json.writeStringField("date_added", found.kev().dateAdded().toString());
            json.writeStringField("due_date", found.kev().dueDate() == null ? null : found.kev().dueDate().toString());
            json.writeBooleanField("known_ransomware_use", found.kev().knownRansomwareUse());
            json.writeEndObject();
        }
        json.writeStringField("reachability", found.reachability().name().toLowerCase(Locale.ROOT));
        json.writeArrayFieldStart("calls");
        for (Finding call : found.calls()) {
            json.writeStartObject();
            json.writeStringField("path", Reports.displayPath(call.file(), baseDir));
            json.writeNumberField("line", call.startLine());
            json.writeStringField("code", call.code());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
