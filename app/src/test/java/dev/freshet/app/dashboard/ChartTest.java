package dev.freshet.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.projects.ProjectFinding;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChartTest {
    @Test
    void columnsScaleToTheLargestValueOrTheReferenceLevel() {
        Chart chart = Chart.of("c", "title", List.of(new Chart.Point("a", 50, "50 %", "ok"), new Chart.Point("b", 25, "25 %", "ok")),
                100.0, "target", " %");
        // plot height 240 - 12 - 44 = 184; the top is 120 (100 * 1.05 rounded up to 1.2 × 10²)
        assertThat(chart.ticks().getLast().text()).isEqualTo("120 %");
        assertThat(Double.parseDouble(chart.columns().get(0).h())).isCloseTo(184 * 50 / 120.0, org.assertj.core.api.Assertions.within(0.1));
        assertThat(Double.parseDouble(chart.columns().get(1).h())).isCloseTo(184 * 25 / 120.0, org.assertj.core.api.Assertions.within(0.1));
        assertThat(Double.parseDouble(chart.reference().y())).isCloseTo(12 + 184 - 184 * 100 / 120.0, org.assertj.core.api.Assertions.within(0.1));
    }

    @Test
    void anUnboundedValueFillsTheChartAndCountsGetWholeTicks() {
        Chart chart = Chart.of("c", "t", List.of(new Chart.Point("never", Double.POSITIVE_INFINITY, "never", "bad"),
                new Chart.Point("x", 3, "3", "ok")), null, "", "");
        assertThat(chart.columns().getFirst().h()).isEqualTo("184.0");
        assertThat(chart.ticks()).extracting(Chart.Tick::text).containsExactly("0", "1", "2", "3", "4");
        assertThat(Chart.of("e", "t", List.of(), null, "", "").columns()).isEmpty();
        assertThat(Chart.of("n", "t", List.of(new Chart.Point("neg", -5, "-5", "bad")), null, "", "").columns().getFirst().h()).isEqualTo("0.0");
    }

    @Test
    void openFindingsPerDayCountWhatWasFoundAndNotYetResolvedAtEachDaysEnd() {
        LocalDate today = LocalDate.parse("2026-12-07");
        Instant day = Instant.parse("2026-12-07T10:00:00Z");
        List<ProjectFinding> findings = List.of(finding(day.minusSeconds(86_400L * 10), null),
                finding(day.minusSeconds(86_400L * 8), day.minusSeconds(86_400L * 3)), finding(day, null));
        List<Chart.Point> points = Views.openPerDay(findings, today);
        assertThat(points).hasSize(Views.FINDING_DAYS);
        assertThat(points.getLast().label()).isEqualTo("12-07");
        assertThat(points.getLast().value()).isEqualTo(2);
        assertThat(points.get(points.size() - 4).value()).as("12-04: the resolved one is gone").isEqualTo(1);
        assertThat(points.get(points.size() - 5).value()).as("12-03: both older ones open").isEqualTo(2);
        assertThat(points.get(points.size() - 11).value()).as("11-27: the first one found").isEqualTo(1);
        assertThat(points.getFirst().value()).isZero();
    }

    private static ProjectFinding finding(Instant first, Instant resolved) {
        return new ProjectFinding.Dependency("p", "A", "pkg", "1", "req.txt", "PyPI", "unknown", "r", first, first, resolved);
    }
}
