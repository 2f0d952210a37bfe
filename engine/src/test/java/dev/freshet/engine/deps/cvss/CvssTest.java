package dev.freshet.engine.deps.cvss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CvssTest {

    /** Base scores as NVD publishes them for these vectors. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ' ', textBlock = """
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H 9.8 CRITICAL
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H 10.0 CRITICAL
            CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N 6.1 MEDIUM
            CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N 6.4 MEDIUM
            CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H 8.8 HIGH
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H 7.5 HIGH
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N 7.5 HIGH
            CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H 7.8 HIGH
            CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H 7.8 HIGH
            CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H 8.1 HIGH
            CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H 8.8 HIGH
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N 5.3 MEDIUM
            CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N 4.3 MEDIUM
            CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N 6.5 MEDIUM
            CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N 5.9 MEDIUM
            CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H 7.2 HIGH
            CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H 6.8 MEDIUM
            CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H 8.8 HIGH
            CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H 7.0 HIGH
            CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H 5.5 MEDIUM
            CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:N/A:N 5.6 MEDIUM
            CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:N/A:N 6.0 MEDIUM
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N 0.0 NONE
            CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N 1.6 LOW
            CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H 9.8 CRITICAL
            CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N 6.1 MEDIUM
            """)
    void v3BaseScores(String vector, double score, Severity severity) throws CvssException {
        Cvss cvss = Cvss.parse(vector);
        assertThat(cvss).isInstanceOf(CvssV3.class);
        assertThat(cvss.baseScore()).isEqualTo(score);
        assertThat(cvss.severity()).isEqualTo(severity);
        assertThat(cvss.vector()).isEqualTo(vector);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ' ', textBlock = """
            AV:N/AC:L/Au:N/C:P/I:P/A:P 7.5 HIGH
            AV:N/AC:L/Au:N/C:C/I:C/A:C 10.0 HIGH
            AV:N/AC:M/Au:N/C:N/I:P/A:N 4.3 MEDIUM
            AV:N/AC:L/Au:N/C:N/I:N/A:P 5.0 MEDIUM
            AV:N/AC:M/Au:N/C:P/I:P/A:P 6.8 MEDIUM
            AV:L/AC:L/Au:N/C:C/I:C/A:C 7.2 HIGH
            AV:N/AC:L/Au:S/C:P/I:P/A:P 6.5 MEDIUM
            AV:N/AC:H/Au:N/C:P/I:P/A:P 5.1 MEDIUM
            AV:L/AC:L/Au:N/C:P/I:N/A:N 2.1 LOW
            AV:N/AC:M/Au:N/C:C/I:C/A:C 9.3 HIGH
            AV:N/AC:L/Au:N/C:N/I:N/A:C 7.8 HIGH
            AV:N/AC:L/Au:S/C:N/I:P/A:N 4.0 MEDIUM
            AV:L/AC:H/Au:N/C:C/I:C/A:C 6.2 MEDIUM
            AV:N/AC:L/Au:N/C:N/I:N/A:N 0.0 LOW
            """)
    void v2BaseScores(String vector, double score, Severity severity) throws CvssException {
        Cvss cvss = Cvss.parse(vector);
        assertThat(cvss).isInstanceOf(CvssV2.class);
        assertThat(cvss.baseScore()).isEqualTo(score);
        assertThat(cvss.severity()).isEqualTo(severity);
    }

    /** CVSS-B scores as FIRST's calculator (www.first.org/cvss/calculator/4-0) gives them. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ' ', textBlock = """
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N 9.3 CRITICAL
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H 10.0 CRITICAL
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N 6.9 MEDIUM
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N 0.0 NONE
            CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N 7.5 HIGH
            CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N 7.3 HIGH
            CVSS:4.0/AV:L/AC:H/AT:N/PR:H/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N 7.1 HIGH
            CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N 7.0 HIGH
            CVSS:4.0/AV:P/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N 7.0 HIGH
            CVSS:4.0/AV:P/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N 5.4 MEDIUM
            CVSS:4.0/AV:P/AC:H/AT:N/PR:H/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N 5.4 MEDIUM
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N 9.3 CRITICAL
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N 9.3 CRITICAL
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:H/SC:N/SI:N/SA:N 8.8 HIGH
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N 8.7 HIGH
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:H/SC:N/SI:N/SA:N 8.8 HIGH
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N 6.9 MEDIUM
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N 8.7 HIGH
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:H/SI:H/SA:H 10.0 CRITICAL
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:H/SI:L/SA:N 9.9 CRITICAL
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:L/SA:L 9.3 CRITICAL
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:L 9.3 CRITICAL
            CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:L/SC:H/SI:L/SA:L 8.5 HIGH
            CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:L/SC:L/SI:L/SA:L 7.2 HIGH
            CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:L/SC:H/SI:L/SA:L 6.4 MEDIUM
            CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L 5.3 MEDIUM
            CVSS:4.0/AV:A/AC:H/AT:N/PR:L/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N 2.1 LOW
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H 7.9 HIGH
            CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N 9.2 CRITICAL
            CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N 2.4 LOW
            CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N 8.5 HIGH
            CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N 8.7 HIGH
            """)
    void v4BaseScores(String vector, double score, Severity severity) throws CvssException {
        Cvss cvss = Cvss.parse(vector);
        assertThat(cvss).isInstanceOf(CvssV4.class);
        assertThat(cvss.baseScore()).isEqualTo(score);
        assertThat(cvss.severity()).isEqualTo(severity);
        assertThat(((CvssV4) cvss).score()).isEqualTo(score);
        assertThat(((CvssV4) cvss).nomenclature()).isEqualTo("CVSS-B");
    }

    /**
     * Threat and environmental metrics folded in (CVSS-BTE); expected scores are those of FIRST's
     * reference calculator, as listed in the public polycvss test suite.
     */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ' ', textBlock = """
            CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:A/CR:M/IR:L/AR:L/MAV:X/MAC:X/MAT:P/MPR:L/MUI:P/MVC:H/MVI:L/MVA:L/MSC:N/MSI:N/MSA:S 5.4
            CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:N/VC:H/VI:N/VA:H/SC:L/SI:L/SA:N/E:A/CR:M/IR:M/AR:L/MAV:X/MAC:L/MAT:X/MPR:N/MUI:N/MVC:N/MVI:X/MVA:N/MSC:N/MSI:H/MSA:N 1.8
            CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:N/VC:L/VI:H/VA:N/SC:N/SI:L/SA:N/E:A/CR:H/IR:H/AR:X/MAV:L/MAC:L/MAT:N/MPR:L/MUI:P/MVC:X/MVI:H/MVA:L/MSC:H/MSI:H/MSA:S 8.4
            CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:N/VC:L/VI:L/VA:L/SC:N/SI:L/SA:L/E:A/CR:L/IR:L/AR:M/MAV:P/MAC:H/MAT:X/MPR:H/MUI:P/MVC:N/MVI:H/MVA:H/MSC:X/MSI:N/MSA:H 3.8
            CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:N/VC:L/VI:L/VA:N/SC:H/SI:N/SA:L/E:U/CR:H/IR:H/AR:X/MAV:N/MAC:L/MAT:X/MPR:L/MUI:N/MVC:L/MVI:H/MVA:L/MSC:N/MSI:S/MSA:S 6.0
            CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:P/VC:H/VI:H/VA:N/SC:N/SI:N/SA:H/E:P/CR:X/IR:H/AR:H/MAV:P/MAC:L/MAT:N/MPR:N/MUI:A/MVC:H/MVI:H/MVA:N/MSC:X/MSI:L/MSA:H 7.0
            CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:P/VC:H/VI:L/VA:H/SC:N/SI:N/SA:H/E:P/CR:M/IR:L/AR:X/MAV:P/MAC:X/MAT:P/MPR:N/MUI:A/MVC:N/MVI:N/MVA:L/MSC:L/MSI:H/MSA:X 1.1
            CVSS:4.0/AV:P/AC:L/AT:P/PR:N/UI:A/VC:N/VI:L/VA:N/SC:H/SI:H/SA:L/E:U/CR:M/IR:M/AR:X/MAV:X/MAC:H/MAT:N/MPR:N/MUI:A/MVC:L/MVI:X/MVA:X/MSC:L/MSI:N/MSA:H 0.3
            CVSS:4.0/AV:P/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:L/SA:H/E:P/CR:H/IR:M/AR:H/MAV:N/MAC:X/MAT:P/MPR:X/MUI:X/MVC:N/MVI:N/MVA:L/MSC:L/MSI:S/MSA:L 7.1
            CVSS:4.0/AV:P/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:L/SI:N/SA:L/E:U/CR:M/IR:M/AR:M/MAV:X/MAC:L/MAT:X/MPR:N/MUI:X/MVC:X/MVI:L/MVA:N/MSC:N/MSI:X/MSA:L 0.1
            CVSS:4.0/AV:P/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:L/E:U/CR:X/IR:M/AR:X/MAV:P/MAC:X/MAT:N/MPR:X/MUI:A/MVC:H/MVI:L/MVA:N/MSC:X/MSI:S/MSA:X 5.7
            CVSS:4.0/AV:P/AC:L/AT:P/PR:N/UI:P/VC:N/VI:N/VA:N/SC:N/SI:N/SA:L/E:X/CR:M/IR:L/AR:L/MAV:N/MAC:H/MAT:P/MPR:N/MUI:A/MVC:H/MVI:L/MVA:X/MSC:L/MSI:S/MSA:S 7.5
            CVSS:4.0/AV:A/AC:H/AT:N/PR:L/UI:A/VC:L/VI:N/VA:H/SC:N/SI:H/SA:H/E:P/CR:M/IR:L/AR:M/MAV:P/MAC:L/MAT:X/MPR:N/MUI:P/MVC:N/MVI:N/MVA:H/MSC:L/MSI:X/MSA:X 3.7
            CVSS:4.0/AV:A/AC:H/AT:N/PR:L/UI:N/VC:L/VI:L/VA:H/SC:H/SI:L/SA:L/E:X/CR:L/IR:H/AR:H/MAV:A/MAC:L/MAT:X/MPR:L/MUI:X/MVC:X/MVI:L/MVA:X/MSC:X/MSI:S/MSA:L 9.3
            CVSS:4.0/AV:A/AC:H/AT:N/PR:L/UI:N/VC:N/VI:N/VA:N/SC:L/SI:H/SA:H/E:X/CR:X/IR:X/AR:X/MAV:L/MAC:L/MAT:X/MPR:L/MUI:A/MVC:X/MVI:X/MVA:H/MSC:L/MSI:S/MSA:L 8.2
            CVSS:4.0/AV:A/AC:H/AT:N/PR:N/UI:A/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N/E:U/CR:H/IR:M/AR:H/MAV:N/MAC:X/MAT:N/MPR:N/MUI:X/MVC:L/MVI:N/MVA:L/MSC:X/MSI:L/MSA:N 0.5
            CVSS:4.0/AV:A/AC:H/AT:N/PR:N/UI:N/VC:N/VI:L/VA:L/SC:N/SI:N/SA:L/E:A/CR:H/IR:H/AR:X/MAV:A/MAC:L/MAT:X/MPR:X/MUI:N/MVC:H/MVI:X/MVA:L/MSC:L/MSI:S/MSA:S 9.4
            CVSS:4.0/AV:A/AC:H/AT:P/PR:H/UI:A/VC:L/VI:L/VA:H/SC:L/SI:H/SA:L/E:U/CR:M/IR:L/AR:H/MAV:L/MAC:X/MAT:X/MPR:X/MUI:P/MVC:H/MVI:N/MVA:N/MSC:N/MSI:X/MSA:L 0.6
            CVSS:4.0/AV:A/AC:H/AT:P/PR:H/UI:N/VC:H/VI:H/VA:N/SC:L/SI:L/SA:L/E:P/CR:H/IR:L/AR:M/MAV:N/MAC:H/MAT:P/MPR:X/MUI:P/MVC:L/MVI:N/MVA:H/MSC:L/MSI:L/MSA:H 4.6
            CVSS:4.0/AV:A/AC:H/AT:P/PR:H/UI:N/VC:N/VI:H/VA:N/SC:L/SI:N/SA:N/E:X/CR:X/IR:X/AR:M/MAV:L/MAC:H/MAT:P/MPR:N/MUI:N/MVC:N/MVI:H/MVA:X/MSC:L/MSI:L/MSA:S 8.5
            CVSS:4.0/AV:P/AC:L/AT:P/PR:L/UI:A/VC:N/VI:H/VA:N/SC:L/SI:L/SA:L/E:X/CR:L/IR:L/AR:M/MAV:N/MAC:L/MAT:N/MPR:X/MUI:X/MVC:X/MVI:N/MVA:X/MSC:X/MSI:N/MSA:S 7.8
            CVSS:4.0/AV:A/AC:H/AT:N/PR:L/UI:P/VC:L/VI:L/VA:L/SC:H/SI:N/SA:N/E:U/CR:L/IR:X/AR:M/MAV:X/MAC:L/MAT:N/MPR:X/MUI:P/MVC:L/MVI:N/MVA:X/MSC:L/MSI:X/MSA:H 0.9
            CVSS:4.0/AV:P/AC:L/AT:P/PR:N/UI:A/VC:H/VI:L/VA:H/SC:L/SI:H/SA:L/E:P/CR:L/IR:H/AR:H/MAV:P/MAC:X/MAT:P/MPR:N/MUI:P/MVC:N/MVI:X/MVA:N/MSC:L/MSI:H/MSA:N 0.9
            CVSS:4.0/AV:A/AC:H/AT:N/PR:L/UI:A/VC:N/VI:N/VA:N/SC:L/SI:H/SA:H/E:X/CR:L/IR:X/AR:L/MAV:X/MAC:H/MAT:N/MPR:N/MUI:P/MVC:N/MVI:N/MVA:L/MSC:X/MSI:N/MSA:S 6.7
            """)
    void v4ScoresWithThreatAndEnvironmentalMetrics(String vector, double score) throws CvssException {
        CvssV4 cvss = (CvssV4) Cvss.parse(vector);
        assertThat(cvss.score()).isEqualTo(score);
        assertThat(cvss.nomenclature()).isEqualTo(vector.contains("/E:X/") ? "CVSS-BE" : "CVSS-BTE");
        assertThat(cvss.vector()).isEqualTo(vector);
    }

    /** NVD publishes v4.0 vectors with every optional metric spelled out as X (here CVE-2026-56233, 8.7). */
    @Test
    void v4MetricsSetToNotDefinedChangeNothing() throws CvssException {
        CvssV4 cvss = (CvssV4) Cvss.parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X"
                + "/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/RE:X/U:X");
        assertThat(cvss.baseScore()).isEqualTo(8.7);
        assertThat(cvss.score()).isEqualTo(8.7);
        assertThat(cvss.nomenclature()).isEqualTo("CVSS-B");
    }

    @Test
    void v4BaseScoreIgnoresThreatEnvironmentalAndSupplementalMetrics() throws CvssException {
        CvssV4 cvss = (CvssV4) Cvss.parse(
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/MAV:P/S:P/AU:Y/U:Amber");
        assertThat(cvss.baseScore()).isEqualTo(9.3);
        assertThat(cvss.score()).isLessThan(cvss.baseScore());
        assertThat(cvss.nomenclature()).isEqualTo("CVSS-BTE");
        assertThat(cvss.metrics()).containsEntry("U", "Amber").containsEntry("AU", "Y");
    }

    @Test
    void v3TemporalAndEnvironmentalMetricsAreAcceptedAndDoNotChangeTheBaseScore() throws CvssException {
        Cvss cvss = Cvss.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H/MAV:L/MS:C/MA:N");
        assertThat(cvss.baseScore()).isEqualTo(9.8);
        assertThat(cvss.metrics()).containsEntry("RL", "O").containsEntry("MS", "C");
    }

    @Test
    void acceptsTheSingleTrailingSlashGitHubAdvisoriesCarry() throws CvssException {
        Cvss cvss = Cvss.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/");
        assertThat(cvss.baseScore()).isEqualTo(9.8);
        assertThat(cvss.vector()).isEqualTo("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C");
    }

    @Test
    void normalizesMetricOrderAndSurroundingWhiteSpace() throws CvssException {
        Cvss cvss = Cvss.parse("  CVSS:3.1/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/S:U\n");
        assertThat(cvss.vector()).isEqualTo("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        assertThat(Cvss.parse("A:P/I:P/C:P/Au:N/AC:L/AV:N").vector()).isEqualTo("AV:N/AC:L/Au:N/C:P/I:P/A:P");
        assertThat(((CvssV3) cvss).version()).isEqualTo("3.1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y       | unknown metric 'XX'
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H                | base metric A is missing
            CVSS:3.1/AV:N/AC:L/PR:N/S:U/C:H/I:H                     | base metrics UI, A are missing
            CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H       | metric AV appears twice
            CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H            | metric AV has value 'X', allowed are N, A, L, P
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H//          | '' is not METRIC:VALUE
            /AV:N/AC:L/Au:N/C:P/I:P/A:P                             | not a CVSS vector
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A              | 'A' is not METRIC:VALUE
            CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H           | '' is not METRIC:VALUE
            CVSS:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h            | unknown metric 'av'
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H:H          | metric A has value 'H:H'
            CVSS:3.1/AV: N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H           | metric AV has value ' N'
            CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H            | unsupported version prefix 'CVSS:3.2'
            cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H            | unsupported version prefix 'cvss:3.1'
            CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P                     | no prefix for CVSS v2
            CVSS:3.1                                                | it has no metrics
            CVSS:3.1/                                               | it has no metrics
            AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H                     | unknown metric 'PR' (CVSS v3 and v4 vectors need their CVSS:3.1/ or CVSS:4.0/ prefix)
            AV:N/AC:L/Au:N/C:P/I:P                                  | base metric A is missing
            AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X                          | metric E has value 'X'
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N | base metric SA is missing
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N | metric SI has value 'S'
            CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H             | metric S has value 'U', allowed are X, N, P
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MS:C | unknown metric 'MS'
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:amber | metric U has value 'amber'
            hello world                                             | not a CVSS vector
            9.8                                                     | not a CVSS vector
            {"vector": "CVSS:3.1"}                                  | not a CVSS vector
            """)
    void rejectsMalformedVectorsWithTheReason(String vector, String reason) {
        assertThatThrownBy(() -> Cvss.parse(vector))
                .isInstanceOf(CvssException.class)
                .hasMessageStartingWith("CVSS vector \"")
                .hasMessageContaining(reason.strip());
    }

    @Test
    void rejectsEmptyMissingAndOversizedInput() {
        assertThatThrownBy(() -> Cvss.parse(null)).isInstanceOf(CvssException.class).hasMessageContaining("no vector");
        assertThatThrownBy(() -> Cvss.parse(" \t")).isInstanceOf(CvssException.class).hasMessageContaining("empty");
        String huge = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" + "/E:X".repeat(200);
        assertThatThrownBy(() -> Cvss.parse(huge))
                .isInstanceOf(CvssException.class)
                .hasMessageContaining("longer than 512 characters")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void messagesEscapeControlCharacters() {
        assertThatThrownBy(() -> Cvss.parse("CVSS:3.1/AV:N\u0000/AC:L"))
                .hasMessageContaining("\\u0000")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0000"));
    }

    @Test
    void roundUpFollowsV31AppendixA() {
        assertThat(CvssV3.roundUp(4.02)).isEqualTo(4.1);
        assertThat(CvssV3.roundUp(4.0)).isEqualTo(4.0);
        assertThat(CvssV3.roundUp(4.000000000000001)).isEqualTo(4.0); // float noise around an exact 4.0
        assertThat(CvssV3.roundUp(0.1 + 0.2)).isEqualTo(0.3);
        assertThat(CvssV3.roundUp(9.99)).isEqualTo(10.0);
    }
}
