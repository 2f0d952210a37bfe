package dev.freshet.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanResult;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A report of many findings is written as it goes: while its output flows, the heap holds the findings and little
 * more, never a tree of the whole document (for this scan the tree took about 400 MB, the streamed writing 7 MB).
 */
class ReportStreamingTest {
    private static final int FINDINGS = 200_000;
    private static final long MEGABYTE = 1L << 20;

    @ParameterizedTest
    @EnumSource(value = ReportFormat.class, names = {"JSON", "SARIF"})
    void aLargeReportIsWrittenWithoutHoldingTheWholeDocument(ReportFormat format) throws IOException {
        List<Finding> findings = new ArrayList<>(FINDINGS);
        for (int i = 0; i < FINDINGS; i++) {
            Path file = ReportFixtures.BASE.resolve("src/module" + i / 10 + ".py");
            findings.add(new Finding(ReportFixtures.XSS.id(), ReportFixtures.XSS.severity(), ReportFixtures.XSS.message(),
                    file, i % 10 + 1, 5, i % 10 + 1, 30, "render(value" + i + ")", ReportFixtures.XSS_METADATA));
        }
        ScanResult result = new ScanResult(findings, List.of(), FINDINGS / 10, FINDINGS, 0);
        long before = usedHeapAfterGc();
        HeapProbe out = new HeapProbe();

        format.writer("1.2.3").write(result, ReportFixtures.rules(), ReportFixtures.BASE, out);

        assertThat(out.usedMidway).as("the report reached 50 MB, where the heap is measured").isPositive();
        assertThat(out.usedMidway - before).as("heap grown while half the report was out, in MB")
                .isLessThan(32 * MEGABYTE);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Counts what it is given and, once 50 MB have passed (mid-report), measures the heap the writer keeps alive. */
    private static final class HeapProbe extends Writer {
        long written;
        long usedMidway = -1;

        @Override
        public void write(char[] chars, int offset, int length) {
            written += length;
            if (usedMidway < 0 && written > 50 * MEGABYTE) {
                usedMidway = usedHeapAfterGc();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
