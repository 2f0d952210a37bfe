package dev.freshet.updates.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.freshet.updates.rollout.PendingUpdates;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoreLocation;
import dev.freshet.updates.store.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A store written before tracks existed (schema 12 and older) opens in this version with every
 * release, history row, override and pending update on the {@code rules} track.
 */
@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class TracksMigrationTest {

    @Parameter
    Database.Kind kind;
    @TempDir
    Path tmp;

    @Test
    void aStoreFromBeforeTracksIsFoundWholeOnTheRulesTrack() throws Exception {
        StoreLocation location = switch (kind) {
            case SQLITE -> new StoreLocation.SqliteFile(Files.createDirectories(tmp.resolve("store")));
            case POSTGRESQL -> TestStores.emptyPostgres();
        };
        String url = location instanceof StoreLocation.Postgres pg ? pg.jdbcUrl()
                : "jdbc:sqlite:" + tmp.resolve("store").resolve(Database.FILE_NAME);
        Flyway.configure(Database.class.getClassLoader()).dataSource(url, "postgres", null)
                .locations("classpath:db/migration").target(newestBeforeTracks()).load().migrate();
        Jdbi old = Jdbi.create(url, "postgres", "");
        old.useHandle(h -> {
            // Rows exactly as the previous version wrote them: no track anywhere.
            h.execute("INSERT INTO blobs (sha256, content, size, created_at) VALUES ('b1', 'rules: []', 9, 1)");
            for (String[] r : new String[][] {{"r1", "1", null}, {"r2", "2", "r1"}}) {
                h.execute("""
                        INSERT INTO releases (id, seq, created_at, parent_id, rule_count, accepted_count, rejected_count,
                          skipped_count, added_count, removed_count, changed_count, gate_report, diff)
                        VALUES (?, ?, 1000, ?, 1, 1, 0, 0, 1, 0, 0, '{"verdicts":[]}', '{"added":[],"removed":[],"changed":[]}')""",
                        "aa" + r[0], Long.parseLong(r[1]), r[2] == null ? null : "aa" + r[2]);
                h.execute("INSERT INTO release_rules (release_id, rule_id, source, path, sha256) VALUES (?, 'no-eval', 'up', 'a.yaml', 'b1')",
                        "aa" + r[0]);
            }
            h.execute("INSERT INTO activations (seq, release_id, previous_release_id, activated_at, kind, triggered_by, reason) "
                    + "VALUES (1, 'aar1', NULL, 2000, 'ACTIVATE', 'USER', 'first')");
            h.execute("INSERT INTO activations (seq, release_id, previous_release_id, activated_at, kind, triggered_by, reason) "
                    + "VALUES (2, 'aar2', 'aar1', 3000, 'ACTIVATE', 'SCHEDULE', 'second')");
            h.execute("INSERT INTO overrides (id, rule_id, kind, value, base_sha256, created_at) VALUES (1, 'no-eval', 'SEVERITY', 'ERROR', 'b1', 1)");
            h.execute("INSERT INTO sources (name, kind, location, created_at) VALUES ('up', 'directory', '/x', 1)");
            h.execute("INSERT INTO pending_updates (id, source_name, revision, detected_at, release_id) VALUES (1, 'up', 'rev9', 1, 'aar2')");
        });

        try (Database database = Database.open(location)) {
            ReleaseStore releases = new ReleaseStore(database.jdbi(), Clock.systemUTC());
            assertThat(releases.list(Track.RULES)).extracting(ReleaseSummary::id).containsExactly("aar2", "aar1");
            Release active = releases.active(Track.RULES).orElseThrow();
            assertThat(active.id()).isEqualTo("aar2");
            assertThat(active.track()).isEqualTo(Track.RULES);
            assertThat(active.rules()).extracting(r -> r.yaml()).containsExactly("rules: []");
            assertThat(releases.history(Track.RULES)).extracting(Activation::reason, Activation::track)
                    .containsExactly(tuple("first", "rules"), tuple("second", "rules"));
            assertThat(releases.liveAt(Track.RULES, Instant.ofEpochMilli(2500))).map(Activation::releaseId).contains("aar1");
            assertThat(releases.history(Track.of("models/http-anomaly"))).isEmpty();
            assertThat(new Overrides(database.jdbi(), Clock.systemUTC()).list()).singleElement()
                    .satisfies(o -> assertThat(o.ruleId()).isEqualTo("no-eval"));
            assertThat(trackOf(database, "overrides")).isEqualTo("rules");
            assertThat(new PendingUpdates(database.jdbi(), Clock.systemUTC()).pending()).extracting(PendingUpdates.Pending::revision)
                    .containsExactly("rev9");
            assertThat(trackOf(database, "pending_updates")).isEqualTo("rules");
            // The history goes on where it stopped.
            assertThat(releases.rollback(Optional.empty(), Trigger.USER, "after the migration").releaseId()).isEqualTo("aar1");
        }
    }

    /** The newest migration before V13 (tracks), whichever numbers the branches merged before it took. */
    private static String newestBeforeTracks() throws Exception {
        try (var files = Files.list(Path.of(Database.class.getResource("/db/migration").toURI()))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[\\d_]+__.+\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.'))
                    .map(MigrationVersion::fromVersion).filter(v -> v.compareTo(MigrationVersion.fromVersion("13")) < 0)
                    .max(MigrationVersion::compareTo).orElseThrow().getVersion();
        }
    }

    private static String trackOf(Database database, String table) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT track FROM " + table).mapTo(String.class).one());
    }
}
