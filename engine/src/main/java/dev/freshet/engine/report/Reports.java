package dev.freshet.engine.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.engine.rules.PlainJson;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanProblem;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Ordering and path display shared by the report formats, so all three list things the same way. */
final class Reports {
    private Reports() {
    }

    /** Pretty-printed, and leaves the caller's writer open; made when a report first needs it (SARIF's trees). */
    private static final class Mapper {
        static final ObjectMapper JSON = JsonMapper.builder()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .build();
    }

    /** The mapper for reports built as trees of nodes (SARIF). */
    static ObjectMapper json() {
        return Mapper.JSON;
    }

    /**
     * A generator writing to {@code out} as {@link #json()} would: pretty-printed, leaving {@code out} open.
     * Reports written value by value (JSON) need no mapper, and setting databind up costs tens of milliseconds.
     */
    static JsonGenerator generator(Writer out) throws IOException {
        return PlainJson.FACTORY.createGenerator(out).useDefaultPrettyPrinter();
    }

    /** The same, able to write {@link #json()}'s node trees. */
    static JsonGenerator treeGenerator(Writer out) throws IOException {
        return Mapper.JSON.createGenerator(out);
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

    /**
     * {@link #displayPath} of each file worked out once: a sort asks for it at every comparison, and a
     * scan's thousands of findings lie in a few hundred files.
     */
    static Function<Path, String> displayPaths(Path baseDir) {
        Map<Path, String> known = new HashMap<>();
        return file -> known.computeIfAbsent(file, f -> displayPath(f, baseDir));
    }

    /** By file, line, column and rule, then the rest, so equal scans give byte-equal reports. */
    static List<Finding> sortedFindings(List<Finding> findings, Path baseDir) {
        return sortedFindings(findings, displayPaths(baseDir));
    }

    /** The same, with the display paths a report has already worked out. */
    static List<Finding> sortedFindings(List<Finding> findings, Function<Path, String> paths) {
        Comparator<Finding> order = Comparator.<Finding, String>comparing(f -> paths.apply(f.file()))
                .thenComparingInt(Finding::startLine)
                .thenComparingInt(Finding::startColumn)
                .thenComparing(Finding::ruleId)
                .thenComparingInt(Finding::endLine)
                .thenComparingInt(Finding::endColumn)
                .thenComparing(f -> String.valueOf(f.message()));
        return findings.stream().sorted(order).toList();
    }

    static List<ScanProblem> sortedProblems(List<ScanProblem> problems, Path baseDir) {
        Function<Path, String> paths = displayPaths(baseDir);
        return problems.stream()
                .sorted(Comparator.<ScanProblem, String>comparing(p -> paths.apply(p.file()))
                        .thenComparing(ScanProblem::kind)
                        .thenComparing(p -> String.valueOf(p.message())))
                .toList();
    }

    static Map<String, Object> metadata(Map<String, Object> metadata) {
        return metadata == null ? Map.of() : metadata;
    }
}
