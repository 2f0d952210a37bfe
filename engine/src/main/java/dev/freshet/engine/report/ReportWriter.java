package dev.freshet.engine.report;

import dev.freshet.engine.scan.ScanResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/** Writes a scan result in one format. Get one from {@link ReportFormat#writer(String)}. */
public sealed interface ReportWriter permits TextReport, JsonReport, SarifReport {

    /**
     * Writes {@code result} to {@code out}, which is flushed but not closed.
     *
     * @param rules   the rules that ran, matched or not; rules only named by findings are described from the findings
     * @param baseDir file paths in the report are shown relative to this directory when they lie inside it
     */
    void write(ScanResult result, List<RuleInfo> rules, Path baseDir, Writer out) throws IOException;
}
