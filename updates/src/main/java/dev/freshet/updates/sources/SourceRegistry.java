package dev.freshet.updates.sources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.updates.release.Track;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * The configured sources, kept in the store's {@code sources} table, with what the last check of
 * each found (revision, time, error).
 */
public final class SourceRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;
    private final Clock clock;

    /** A source and the state of its last check. */
    public record Entry(RuleSource source, Optional<String> lastRevision, Optional<Instant> lastCheckedAt,
                        Optional<String> lastError) {
    }

    public SourceRegistry(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Adds a rule source; a source of that name must not exist yet. */
    public void add(RuleSource source) {
        add(source, Track.RULES);
    }

    /** Adds a source feeding {@code track}; a source of that name (on any track) must not exist yet. */
    public void add(RuleSource source, Track track) {
        if (find(source.name()).isPresent()) {
            throw new IllegalArgumentException("a source named '" + source.name() + "' already exists; remove it first");
        }
        SourceSettings s = source.settings();
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO sources (name, kind, location, secret_location, channel, schedule, priority, enabled, tests_required,
                                             trusted_authors, paths, branch, trusted_root, track, created_at)
                        VALUES (:name, :kind, :location, :secret, :channel, :schedule, :priority, :enabled, :tests, :authors, :paths,
                                :branch, :root, :track, :now)""")
                .bind("name", source.name())
                .bind("kind", kind(source))
                .bind("location", SourceUrls.redact(location(source)))
                .bind("secret", SourceUrls.hasSecrets(location(source)) ? location(source) : null)
                .bind("channel", s.channel().toString())
                .bind("schedule", s.schedule())
                .bind("priority", s.priority())
                .bind("enabled", s.enabled())
                .bind("tests", s.testsRequired())
                .bind("authors", json(source instanceof GitSource git ? List.copyOf(git.trustedAuthors()) : List.of()))
                .bind("paths", json(source instanceof GitSource git ? git.paths() : List.of()))
                .bind("branch", source instanceof GitSource git ? git.branch() : null)
                .bind("root", source instanceof SignedRepositorySource signed
                        ? signed.trustedRootFile().toAbsolutePath().normalize().toString() : null)
                .bind("track", track.name())
                .bind("now", clock.millis())
                .execute());
    }

    /** The rule sources. */
    public List<Entry> list() {
        return list(Track.RULES);
    }

    /** The sources feeding {@code track}. */
    public List<Entry> list(Track track) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sources WHERE track = :track ORDER BY priority DESC, name")
                .bind("track", track.name()).map((rs, ctx) -> entry(rs)).list());
    }

    public Optional<Entry> find(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sources WHERE name = :name").bind("name", name)
                .map((rs, ctx) -> entry(rs)).findOne());
    }

    /** Replaces a source's settings (enable, disable, priority...); a new channel means a fresh fetch. */
    public void update(RuleSource source) {
        SourceSettings s = source.settings();
        int changed = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE sources SET last_revision = CASE WHEN channel <> :channel THEN NULL ELSE last_revision END,
                                           channel = :channel, schedule = :schedule, priority = :priority,
                                           enabled = :enabled, tests_required = :tests WHERE name = :name""")
                .bind("name", source.name()).bind("channel", s.channel().toString()).bind("schedule", s.schedule())
                .bind("priority", s.priority()).bind("enabled", s.enabled()).bind("tests", s.testsRequired()).execute());
        if (changed == 0) {
            throw new IllegalArgumentException("no source named '" + source.name() + "'");
        }
    }

    public boolean remove(String name) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM sources WHERE name = :name").bind("name", name).execute()) > 0;
    }

    /**
     * Records a check: the revision now accepted (or still current), or the error that stopped it
     * (without the credentials of the source's location, should the error quote it).
     */
    public void recordCheck(String name, Optional<String> revision, Optional<String> error) {
        Optional<String> location = find(name).map(entry -> location(entry.source()));
        Optional<String> shown = error.map(text -> location.map(l -> SourceUrls.scrub(text, l)).orElse(text));
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE sources SET last_checked_at = :now,
                               last_changed_at = CASE WHEN :revision IS NOT NULL AND (last_revision IS NULL OR last_revision <> :revision)
                                                      THEN :now ELSE last_changed_at END,
                               last_revision = COALESCE(:revision, last_revision), last_error = :error
                        WHERE name = :name""")
                .bind("name", name).bind("now", clock.millis())
                .bind("revision", revision.orElse(null)).bind("error", shown.orElse(null)).execute());
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        SourceSettings settings = new SourceSettings(Channel.parse(rs.getString("channel")), rs.getString("schedule"),
                rs.getInt("priority"), rs.getBoolean("enabled"), rs.getBoolean("tests_required"));
        String name = rs.getString("name");
        String secret = rs.getString("secret_location");
        String location = secret != null ? secret : rs.getString("location");
        RuleSource source = switch (rs.getString("kind")) {
            case "local" -> new LocalDirectorySource(name, Path.of(location), settings);
            case "git" -> new GitSource(name, location, rs.getString("branch"), list(rs.getString("paths")),
                    Set.copyOf(list(rs.getString("trusted_authors"))), settings);
            case "signed" -> {
                try {
                    yield new SignedRepositorySource(name, URI.create(location).toURL(), Path.of(rs.getString("trusted_root")), settings);
                } catch (MalformedURLException e) {
                    throw new SQLException("source '" + name + "' has a bad URL " + location, e);
                }
            }
            case "advisories" -> new AdvisorySource(name, location.isBlank() ? Set.of() : Arrays.stream(location.split(","))
                    .map(namespace -> Ecosystem.fromNamespace(namespace).orElseThrow())
                    .collect(Collectors.toSet()), settings);
            default -> throw new SQLException("source '" + name + "' has unknown kind " + rs.getString("kind"));
        };
        long checked = rs.getLong("last_checked_at");
        Optional<Instant> checkedAt = rs.wasNull() || checked == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(checked));
        return new Entry(source, Optional.ofNullable(rs.getString("last_revision")), checkedAt,
                Optional.ofNullable(rs.getString("last_error")));
    }

    static String kind(RuleSource source) {
        return switch (source) {
            case LocalDirectorySource l -> "local";
            case GitSource g -> "git";
            case SignedRepositorySource s -> "signed";
            case AdvisorySource a -> "advisories";
        };
    }

    private static String location(RuleSource source) {
        return switch (source) {
            case LocalDirectorySource l -> l.dir().toAbsolutePath().normalize().toString();
            case GitSource g -> g.url();
            case SignedRepositorySource s -> s.baseUrl().toString();
            case AdvisorySource a -> a.ecosystems().stream().map(e -> e.namespace()).sorted()
                    .collect(Collectors.joining(","));
        };
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> list(String json) {
        try {
            return json == null ? List.of() : JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad JSON list in sources table: " + json, e);
        }
    }

}
