package dev.freshet.engine.deps.osv;

import java.time.Instant;
import java.util.List;

/**
 * One advisory in the OSV schema, reduced to what matching needs.
 *
 * @param withdrawn when the advisory was withdrawn; a withdrawn advisory matches nothing
 * @param affected  the packages it covers whose ecosystem Freshet knows; others are left out
 */
public record OsvRecord(String id, List<String> aliases, String summary, Instant modified, Instant withdrawn,
                        List<AffectedPackage> affected, List<String> severityVectors) {

    public OsvRecord {
        aliases = List.copyOf(aliases);
        affected = List.copyOf(affected);
        severityVectors = List.copyOf(severityVectors);
    }

    /** Every id this vulnerability is known by: its own first, then its aliases. */
    public List<String> ids() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(id), aliases.stream()).distinct().toList();
    }

    public boolean isWithdrawn() {
        return withdrawn != null;
    }
}
