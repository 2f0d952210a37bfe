package dev.freshet.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReportFormatTest {
    @Test
    void parsesNamesCaseInsensitively() {
        assertThat(ReportFormat.parse("sarif")).isEqualTo(ReportFormat.SARIF);
        assertThat(ReportFormat.parse(" JSON ")).isEqualTo(ReportFormat.JSON);
        assertThat(ReportFormat.parse("text").writer("1")).isInstanceOf(TextReport.class);
        assertThat(ReportFormat.SARIF.writer("1")).isEqualTo(new SarifReport("1"));
    }

    @Test
    void unknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> ReportFormat.parse("xml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'xml'")
                .hasMessageContaining("text, json, sarif");
        assertThatThrownBy(() -> ReportFormat.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
