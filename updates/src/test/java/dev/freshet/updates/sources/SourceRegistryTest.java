package dev.freshet.updates.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.updates.rollout.PendingUpdates;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoreLocation;
import dev.freshet.updates.store.TestStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The configured sources and the updates waiting for approval, on both kinds of store. */
@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class SourceRegistryTest {
    @Parameter
    Database.Kind kind;
    @TempDir
    Path tmp;
    StoreLocation location;
    Database database;
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };
    SourceRegistry registry;

    @BeforeEach
    void open() {
        location = TestStores.fresh(kind, tmp);
        database = Database.open(location);
        registry = new SourceRegistry(database.jdbi(), clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void sourcesOfEveryKindAreStoredAndReadBackWhole() {
        LocalDirectorySource local = new LocalDirectorySource("local", tmp.resolve("rules"), SourceSettings.defaults());
        GitSource git = new GitSource("community", "https://example.org/rules.git", "main", List.of("python", "go/"),
                Set.of("Maintainer@Example.org"), SourceSettings.defaults().withPriority(5).withTestsRequired(true));
        registry.add(local);
        registry.add(git);
        database.close();
        database = Database.open(location);
        registry = new SourceRegistry(database.jdbi(), clock);

        assertThat(registry.list()).extracting(SourceRegistry.Entry::source).containsExactly(git, local);
        assertThat(registry.find("community")).get().satisfies(entry -> {
            assertThat(entry.lastRevision()).isEmpty();
            assertThat(entry.lastCheckedAt()).isEmpty();
        });
        assertThatThrownBy(() -> registry.add(local)).hasMessageContaining("already exists");
    }

    /** The leak found: GET /api/sources showed http://deploy:TOKEN@host/... to every viewer. */
    @Test
    void credentialsInALocationAreStoredApartAndNeverShown() {
        String url = "https://deploy:s3cr3t-T0KEN@git.example/rules.git?access_token=qtok123&ref=x";
        registry.add(new GitSource("private", url, "main", List.of(), Set.of(), SourceSettings.defaults()));

        assertThat(((GitSource) registry.find("private").orElseThrow().source()).url()).as("fetched with its credentials").isEqualTo(url);
        String shown = database.jdbi().withHandle(h -> h.createQuery("SELECT location FROM sources WHERE name = 'private'")
                .mapTo(String.class).one());
        assertThat(shown).isEqualTo("https://***@git.example/rules.git?access_token=***&ref=x");
        registry.recordCheck("private", Optional.empty(), Optional.of("cannot fetch from " + url + ": 401 for deploy:s3cr3t-T0KEN"));
        assertThat(registry.find("private").orElseThrow().lastError().orElseThrow()).doesNotContain("s3cr3t").doesNotContain("qtok123")
                .contains("401");
        assertThat(registry.find("private").orElseThrow().source().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void localLocationsAreToldFromNetworkOnes() {
        assertThat(SourceUrls.localPath("file:///srv/rules.git")).contains(Path.of("/srv/rules.git"));
        assertThat(SourceUrls.localPath("/srv/rules.git")).contains(Path.of("/srv/rules.git"));
        assertThat(SourceUrls.localPath("../rules")).contains(Path.of("../rules"));
        assertThat(SourceUrls.localPath("https://example.org/rules.git")).isEmpty();
        assertThat(SourceUrls.localPath("ssh://git@example.org/rules.git")).isEmpty();
        assertThat(SourceUrls.localPath("git@github.com:org/rules.git")).isEmpty();
    }

    @Test
    void checksAreRecordedWithTheirRevisionOrError() {
        registry.add(new LocalDirectorySource("local", tmp.resolve("rules"), SourceSettings.defaults()));

        registry.recordCheck("local", Optional.of("rev-1"), Optional.empty());
        now = now.plusSeconds(1);
        // No revision (a null parameter) keeps the last one: PostgreSQL must be able to type it.
        registry.recordCheck("local", Optional.empty(), Optional.of("unreachable"));

        SourceRegistry.Entry entry = registry.find("local").orElseThrow();
        assertThat(entry.lastRevision()).contains("rev-1");
        assertThat(entry.lastCheckedAt()).contains(Instant.parse("2026-03-01T10:00:01Z"));
        assertThat(entry.lastError()).contains("unreachable");
    }

    @Test
    void changingTheChannelForgetsTheRevisionAndRemovalForgetsTheSource() {
        LocalDirectorySource local = new LocalDirectorySource("local", tmp.resolve("rules"), SourceSettings.defaults());
        registry.add(local);
        registry.recordCheck("local", Optional.of("rev-1"), Optional.empty());

        registry.update(local.withSettings(SourceSettings.defaults().withEnabled(false)));
        assertThat(registry.find("local").orElseThrow().lastRevision()).as("same channel").contains("rev-1");
        assertThat(registry.find("local").orElseThrow().source().settings().enabled()).isFalse();
        registry.update(local.withSettings(new SourceSettings(Channel.BETA, SourceSettings.HOURLY, 0, true, false)));
        assertThat(registry.find("local").orElseThrow().lastRevision()).isEmpty();

        assertThat(registry.remove("local")).isTrue();
        assertThat(registry.remove("local")).isFalse();
        assertThatThrownBy(() -> registry.update(local)).hasMessageContaining("no source named 'local'");
    }

    @Test
    void aNewerPendingUpdateSupersedesTheOlderOne() {
        registry.add(new LocalDirectorySource("local", tmp.resolve("rules"), SourceSettings.defaults()));
        PendingUpdates pending = new PendingUpdates(database.jdbi(), clock);

        pending.record("local", "rev-1", null, false, "outside the maintenance window");
        pending.record("local", "rev-1", null, false, "again");
        now = now.plusSeconds(1);
        pending.record("local", "rev-2", null, true, "security fix waits for approval");

        assertThat(pending.pending()).singleElement().satisfies(p -> {
            assertThat(p.revision()).isEqualTo("rev-2");
            assertThat(p.security()).isTrue();
            assertThat(p.detectedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:01Z"));
        });
        pending.resolveAll();
        assertThat(pending.pending()).isEmpty();
    }
}
