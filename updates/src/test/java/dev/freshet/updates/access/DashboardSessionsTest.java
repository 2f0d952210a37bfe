package dev.freshet.updates.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.release.Fixtures;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class DashboardSessionsTest {
    @Parameter
    Database.Kind kind;

    @TempDir
    Path tmp;
    Database database;
    AccessStore access;
    DashboardSessions sessions;
    final Fixtures.ManualClock clock = new Fixtures.ManualClock(Instant.parse("2026-12-07T08:00:00Z"));

    @BeforeEach
    void open() {
        database = Database.open(TestStores.fresh(kind, tmp));
        access = new AccessStore(database.jdbi(), clock);
        sessions = new DashboardSessions(database.jdbi(), clock);
        access.createTenant("acme");
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aSessionStandsForItsKeyAndKeepsOnlyTheTokensHash() {
        ApiKey key = access.createKey("acme", Role.OPERATOR, "browser").key();
        DashboardSessions.Opened opened = sessions.open(key);

        DashboardSessions.Session found = sessions.find(opened.token()).orElseThrow();
        assertThat(found.key().id()).isEqualTo(key.id());
        assertThat(found.key().role()).isEqualTo(Role.OPERATOR);
        assertThat(found.csrfToken()).isEqualTo(opened.session().csrfToken()).isNotEqualTo(opened.token()).hasSizeGreaterThan(40);
        assertThat(opened.toString()).doesNotContain(opened.token());
        String stored = database.jdbi().withHandle(h -> h.createQuery("SELECT token_sha256 FROM dashboard_sessions")
                .mapTo(String.class).one());
        assertThat(stored).isEqualTo(AccessStore.sha256(opened.token())).doesNotContain(opened.token());
        assertThat(sessions.find(opened.token() + "x")).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("x".repeat(5000))).isEmpty();
    }

    @Test
    void signOutEndsTheSessionOnce() {
        DashboardSessions.Opened opened = sessions.open(access.createKey("acme", Role.VIEWER, "browser").key());
        DashboardSessions.Opened other = sessions.open(access.createKey("acme", Role.VIEWER, "other").key());

        assertThat(sessions.close(opened.token())).isTrue();
        assertThat(sessions.close(opened.token())).isFalse();
        assertThat(sessions.find(opened.token())).isEmpty();
        assertThat(sessions.find(other.token())).isPresent();
    }

    @Test
    void revokingTheKeyEndsItsSessions() {
        NewKey made = access.createKey("acme", Role.ADMIN, "browser");
        DashboardSessions.Opened opened = sessions.open(made.key());

        access.revoke(made.key().id());

        assertThat(sessions.find(opened.token())).isEmpty();
    }

    @Test
    void aSessionExpiresAfterItsLifetimeAndIsDroppedAtTheNextSignIn() {
        ApiKey key = access.createKey("acme", Role.VIEWER, "browser").key();
        DashboardSessions.Opened opened = sessions.open(key);

        clock.advance(DashboardSessions.LIFETIME.toMillis() - 1000);
        assertThat(sessions.find(opened.token())).isPresent();
        clock.advance(Duration.ofSeconds(1).toMillis());
        assertThat(sessions.find(opened.token())).isEmpty();

        sessions.open(key);
        int rows = database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM dashboard_sessions").mapTo(Integer.class).one());
        assertThat(rows).isEqualTo(1);
    }
}
