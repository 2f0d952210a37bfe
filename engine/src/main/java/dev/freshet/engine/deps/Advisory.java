package dev.freshet.engine.deps;

import dev.freshet.engine.deps.cvss.Cvss;
import dev.freshet.engine.deps.cvss.CvssException;
import dev.freshet.engine.deps.cvss.CvssV2;
import dev.freshet.engine.deps.cvss.CvssV3;
import dev.freshet.engine.deps.cvss.CvssV4;
import dev.freshet.engine.deps.osv.AffectedPackage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One vulnerability as Freshet knows it, whichever feed told of it (OSV, NVD, GitHub, KEV): the
 * one advisory model every feed is normalized to and every matcher reads.
 *
 * @param aliases         other ids of the same vulnerability (CVE, GHSA, PYSEC, GO, RUSTSEC…)
 * @param published       when it was first published, or null when the feed did not say
 * @param withdrawn       when the advisory was withdrawn; a withdrawn advisory matches nothing
 * @param affected        the packages it covers whose ecosystem Freshet knows; others are left out
 * @param severityVectors CVSS vectors as the feeds gave them ({@code CVSS:3.1/AV:N/...})
 * @param cwes            weakness ids such as {@code CWE-79}
 * @param kev             the CISA KEV entry when the vulnerability is known to be exploited, else null
 */
public record Advisory(String id, List<String> aliases, String summary, Instant published, Instant modified,
                       Instant withdrawn, List<AffectedPackage> affected, List<String> severityVectors,
                       List<String> cwes, Kev kev) {

    /** A CVSS score as NVD and GitHub show it (for v4.0 with threat and environmental metrics). */
    public record Score(String vector, double score, String rating) {
    }

    /** A CISA Known Exploited Vulnerabilities catalog entry. */
    public record Kev(LocalDate dateAdded, LocalDate dueDate, boolean knownRansomwareUse) {
    }

    public Advisory {
        aliases = List.copyOf(aliases);
        affected = List.copyOf(affected);
        severityVectors = List.copyOf(severityVectors);
        cwes = List.copyOf(cwes);
    }

    /** Every id this vulnerability is known by: its own first, then its aliases. */
    public List<String> ids() {
        return Stream.concat(Stream.of(id), aliases.stream()).distinct().toList();
    }

    /**
     * The score of the newest CVSS version among the vectors (v4.0 over v3.x over v2), highest
     * score within a version; empty when no vector can be scored.
     */
    public Optional<Score> score() {
        Comparator<Cvss> newestThenHighest = Comparator.<Cvss>comparingInt(c -> switch (c) {
            case CvssV4 v4 -> 3;
            case CvssV3 v3 -> 2;
            case CvssV2 v2 -> 1;
        }).thenComparingDouble(Advisory::shownScore);
        return severityVectors.stream().map(Advisory::parseOrNull).filter(Objects::nonNull)
                .max(newestThenHighest)
                .map(c -> new Score(c.vector(), shownScore(c), c instanceof CvssV4 v4 ? v4.scoreSeverity().name() : c.severity().name()));
    }

    private static double shownScore(Cvss cvss) {
        return cvss instanceof CvssV4 v4 ? v4.score() : cvss.baseScore();
    }

    private static Cvss parseOrNull(String vector) {
        try {
            return Cvss.parse(vector);
        } catch (CvssException e) {
            return null;
        }
    }

    public boolean isWithdrawn() {
        return withdrawn != null;
    }

    public Advisory withKev(Kev entry) {
        return new Advisory(id, aliases, summary, published, modified, withdrawn, affected, severityVectors, cwes, entry);
    }

    /**
     * This advisory and {@code other}, which describes the same vulnerability, as one record: the
     * ids, packages, vectors and weaknesses of both; the newer one's summary when this has none;
     * withdrawn only when both are, since one feed withdrawing its copy does not retract the other.
     */
    public Advisory mergedWith(Advisory other) {
        List<String> allIds = new ArrayList<>(new LinkedHashSet<>(Stream.concat(ids().stream(), other.ids().stream()).toList()));
        allIds.remove(id);
        return new Advisory(id, allIds, summary.isBlank() ? other.summary : summary,
                earliest(published, other.published), latest(modified, other.modified),
                withdrawn != null && other.withdrawn != null ? latest(withdrawn, other.withdrawn) : null,
                union(affected, other.affected), union(severityVectors, other.severityVectors),
                union(cwes, other.cwes), kev != null ? kev : other.kev);
    }

    private static <T> List<T> union(List<T> a, List<T> b) {
        return List.copyOf(new LinkedHashSet<>(Stream.concat(a.stream(), b.stream()).toList()));
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
