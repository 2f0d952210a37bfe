package dev.freshet.engine.deps.cvss;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CvssProperties {

    @Property(tries = 3000)
    void everyValidVectorScoresWithinZeroToTenAtOneDecimal(@ForAll("validVectors") String vector) throws CvssException {
        Cvss cvss = Cvss.parse(vector);
        assertThat(cvss.baseScore()).isBetween(0.0, 10.0);
        assertThat(cvss.baseScore() * 10).isEqualTo(Math.rint(cvss.baseScore() * 10));
        if (cvss instanceof CvssV4 v4) {
            assertThat(v4.score()).isBetween(0.0, 10.0);
            if (v4.nomenclature().equals("CVSS-B")) assertThat(v4.score()).isEqualTo(v4.baseScore());
        }
        // The normalized form reads back to the same vector.
        assertThat(Cvss.parse(cvss.vector())).isEqualTo(cvss);
    }

    @Property(tries = 2000)
    void metricOrderDoesNotMatter(@ForAll("validVectors") String vector, @ForAll long seed) throws CvssException {
        int slash = vector.startsWith("CVSS:") ? vector.indexOf('/') + 1 : 0;
        List<String> parts = new ArrayList<>(List.of(vector.substring(slash).split("/")));
        Collections.shuffle(parts, new Random(seed));
        assertThat(Cvss.parse(vector.substring(0, slash) + String.join("/", parts))).isEqualTo(Cvss.parse(vector));
    }

    /** Raising confidentiality, integrity or availability impact never lowers a v3 base score. */
    @Property(tries = 3000)
    void raisingAnImpactNeverLowersAV3Score(@ForAll("v3Vectors") String vector, @ForAll("impacts") String impact)
            throws CvssException {
        Map<String, String> metrics = Cvss.parse(vector).metrics();
        String value = metrics.get(impact);
        if (value.equals("H")) return;
        String raised = vector.replace("/" + impact + ":" + value, "/" + impact + ":" + (value.equals("N") ? "L" : "H"));
        assertThat(Cvss.parse(raised).baseScore()).isGreaterThanOrEqualTo(Cvss.parse(vector).baseScore());
    }

    /** Damaged vectors are either still valid or rejected with a CvssException, never anything else. */
    @Property(tries = 3000)
    void damagedVectorsAreRejectedCleanly(@ForAll("validVectors") String vector, @ForAll long seed) {
        Random random = new Random(seed);
        StringBuilder damaged = new StringBuilder(vector);
        for (int i = random.nextInt(3) + 1; i > 0; i--) {
            int at = random.nextInt(damaged.length());
            switch (random.nextInt(3)) {
                case 0 -> damaged.deleteCharAt(at);
                case 1 -> damaged.insert(at, "/:ACX\u0000é".charAt(random.nextInt(7)));
                default -> damaged.setCharAt(at, (char) random.nextInt(128));
            }
        }
        try {
            Cvss cvss = Cvss.parse(damaged.toString());
            assertThat(cvss.baseScore()).isBetween(0.0, 10.0);
        } catch (CvssException expected) {
            assertThat(expected.getMessage()).startsWith("CVSS vector \"");
        }
    }

    @Property(tries = 2000)
    void arbitraryTextIsRejectedCleanly(@ForAll String text) {
        try {
            Cvss.parse(text);
        } catch (CvssException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> impacts() {
        return Arbitraries.of("C", "I", "A");
    }

    @Provide
    Arbitrary<String> v3Vectors() {
        return Arbitraries.randomValue(random -> generate(random, "CVSS:3.1", CvssV3.METRICS));
    }

    @Provide
    Arbitrary<String> validVectors() {
        return Arbitraries.randomValue(random -> switch (random.nextInt(4)) {
            case 0 -> generate(random, "", CvssV2.METRICS);
            case 1 -> generate(random, "CVSS:3.0", CvssV3.METRICS);
            case 2 -> generate(random, "CVSS:3.1", CvssV3.METRICS);
            default -> generate(random, "CVSS:4.0", CvssV4.METRICS);
        });
    }

    /** A vector with every base metric and, half the time each, the optional ones. */
    private static String generate(Random random, String prefix, MetricTable table) {
        List<String> parts = new ArrayList<>();
        if (!prefix.isEmpty()) parts.add(prefix);
        int index = 0;
        for (Map.Entry<String, List<String>> metric : table.values().entrySet()) {
            if (index++ < table.mandatory() || random.nextBoolean()) {
                List<String> values = metric.getValue();
                parts.add(metric.getKey() + ":" + values.get(random.nextInt(values.size())));
            }
        }
        return String.join("/", parts);
    }
}
