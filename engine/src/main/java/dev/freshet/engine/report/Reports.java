package dev.freshet.engine.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanProblem;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Ordering and path display shared by the report formats, so all three list things the same way. */
final class Reports {
    /** Pretty-printed, and leaves the caller's writer open. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    private Reports() {
    }

    /** A generator writing to {@code out} as {@link #JSON} would: pretty-printed, leaving {@code out} open. */
    static JsonGenerator generator(Writer out) throws IOException {
        return JSON.createGenerator(out);
    }

    /** {@code "name": [strings...]}. */
    static void writeStrings(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    /** {@code file} relative to {@code baseDir} with forward slashes when inside it, else absolute. */
    static String displayPath(Path file, Path baseDir) {
        if (file == null) {
            return "";
        }
        Path relative = relativeTo(file, baseDir);
        return (relative != null ? relative : file.toAbsolutePath().normalize()).toString()
                .replace(file.getFileSystem().getSeparator(), "/");
    }

    /** {@code file} relative to {@code baseDir}, or null when it lies outside. */
    static Path relativeTo(Path file, Path baseDir) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base = baseDir.toAbsolutePath().normalize();
        return absolute.startsWith(base) ? base.relativize(absolute) : null;
    }

    /** By file, line, column and rule, then the rest, so equal scans give byte-equal reports. */
    static List<Finding> sortedFindings(List<Finding> findings, Path baseDir) {
        Comparator<Finding> order = Comparator.<Finding, String>comparing(f -> displayPath(f.file(), baseDir))
                .thenComparingInt(Finding::startLine)
                .thenComparingInt(Finding::startColumn)
                .thenComparing(Finding::ruleId)
                .thenComparingInt(Finding::endLine)
                .thenComparingInt(Finding::endColumn)
                .thenComparing(f -> String.valueOf(f.message()));
        return findings.stream().sorted(order).toList();
    }

    static List<ScanProblem> sortedProblems(List<ScanProblem> problems, Path baseDir) {
        return problems.stream()
                .sorted(Comparator.<ScanProblem, String>comparing(p -> displayPath(p.file(), baseDir))
                        .thenComparing(ScanProblem::kind)
                        .thenComparing(p -> String.valueOf(p.message())))
                .toList();
    }

    static Map<String, Object> metadata(Map<String, Object> metadata) {
        return metadata == null ? Map.of() : metadata;
    }
}
