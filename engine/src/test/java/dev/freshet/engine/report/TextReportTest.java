package dev.freshet.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.scan.ScanResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextReportTest {
    @Test
    void elapsedSecondsAreRoundedHalfUpToHundredths() {
        assertThat(TextReport.seconds(0)).isEqualTo("0.00");
        assertThat(TextReport.seconds(4_999_999)).isEqualTo("0.00");
        assertThat(TextReport.seconds(5_000_000)).isEqualTo("0.01");
        assertThat(TextReport.seconds(1_500_000_000)).isEqualTo("1.50");
        assertThat(TextReport.seconds(12_345_678_901L)).isEqualTo("12.35");
        assertThat(TextReport.seconds(99_995_000_000L)).isEqualTo("100.00");
    }

    @Test
    void rendersFindingsInFileLineColumnOrderThenProblemsThenSummary() {
        assertThat(ReportFixtures.render(ReportFormat.TEXT, ReportFixtures.result())).isEqualTo("""
                /elsewhere/x.go:1:1  LOW  go.unknown
                  Rule not in the catalog
                    x

                app/a b.py:3:1  WARNING  python.lang.eval
                  eval() of a non-constant string
                    eval(
                        code)

                app/views.py:2:9  ERROR  python.flask.xss
                  User input reaches the response. Escape it.
                    render(q)

                app/views.py:12:5  ERROR  python.flask.xss
                  User input reaches the response. Escape it.
                    return make_response(name)

                Problems:
                  app/views.py  RULE_ERROR  python.lang.eval failed: boom
                  lib/broken.py  PARTIAL_PARSE  2 syntax errors

                4 findings (2 ERROR, 1 WARNING, 1 LOW), 2 problems in 7 files (1234 lines) in 1.50 s
                """);
    }

    @Test
    void emptyScanIsJustTheSummary() {
        String text = ReportFixtures.render(ReportFormat.TEXT, new ScanResult(List.of(), List.of(), 1, 1, 0));
        assertThat(text).isEqualTo("0 findings, 0 problems in 1 file (1 line) in 0.00 s\n");
    }
}
