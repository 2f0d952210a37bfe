package dev.freshet.updates.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.updates.projects.ProjectMonitor;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
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
class AccessStoreTest {
    @Parameter
    Database.Kind kind;

    @TempDir
    Path tmp;
    Database database;
    AccessStore access;

    @BeforeEach
    void open() {
        database = Database.open(TestStores.fresh(kind, tmp));
        access = new AccessStore(database.jdbi(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aKeyIsRandomShownOnceAndStoredOnlyAsItsHash() {
        access.createTenant("acme");
        NewKey made = access.createKey("acme", Role.OPERATOR, "ci");
        NewKey other = access.createKey("acme", Role.OPERATOR, "ci");

        assertThat(made.secret()).startsWith(AccessStore.KEY_PREFIX).isNotEqualTo(other.secret());
        assertThat(Base64.getUrlDecoder().decode(made.secret().substring(AccessStore.KEY_PREFIX.length()))).hasSize(32);
        assertThat(made.toString()).doesNotContain(made.secret());
        String stored = database.jdbi().withHandle(h -> h.createQuery("SELECT sha256 FROM api_keys WHERE id = :id")
                .bind("id", made.key().id()).mapTo(String.class).one());
        assertThat(stored).isEqualTo(AccessStore.sha256(made.secret())).doesNotContain(made.secret());
        assertThat(access.authenticate(made.secret())).contains(made.key());
    }

    @Test
    void wrongTruncatedAndRevokedKeysAuthenticateNobody() {
        access.createTenant("acme");
        NewKey made = access.createKey("acme", Role.ADMIN, null);
        assertThat(access.authenticate(made.secret().substring(0, made.secret().length() - 1))).isEmpty();
        assertThat(access.authenticate("")).isEmpty();
        assertThat(access.authenticate(null)).isEmpty();
        assertThat(access.authenticate(AccessStore.sha256(made.secret()))).as("the stored hash is no key").isEmpty();
        assertThat(access.hasAdminKey()).isTrue();

        assertThat(access.revoke(made.key().id())).isTrue();
        assertThat(access.revoke(made.key().id())).as("already revoked").isFalse();
        assertThat(access.authenticate(made.secret())).isEmpty();
        assertThat(access.hasAdminKey()).isFalse();
        assertThat(access.keys("acme")).singleElement().satisfies(k -> assertThat(k.valid()).isFalse());
    }

    @Test
    void tenantNamesAndRolesAreChecked() {
        assertThatThrownBy(() -> access.createTenant("Acme Corp")).isInstanceOf(AccessException.class).hasMessageContaining("'Acme Corp'");
        assertThatThrownBy(() -> access.createTenant("a.b")).isInstanceOf(AccessException.class);
        access.createTenant("acme");
        assertThatThrownBy(() -> access.createTenant("acme")).hasMessageContaining("already exists");
        assertThatThrownBy(() -> access.createKey("nobody", Role.VIEWER, null)).hasMessageContaining("no tenant named 'nobody'");
        assertThatThrownBy(() -> Role.parse("root")).hasMessageContaining("'root'").hasMessageContaining("admin, operator or viewer");
        assertThat(Role.parse(" Operator ")).isEqualTo(Role.OPERATOR);
        assertThat(Role.ADMIN.includes(Role.OPERATOR)).isTrue();
        assertThat(Role.VIEWER.includes(Role.OPERATOR)).isFalse();
    }

    @Test
    void aTenantSeesOnlyItsOwnProjectsUnderItsOwnNames() throws Exception {
        access.createTenant("acme");
        access.createTenant("globex");
        Path dir = Files.createDirectories(tmp.resolve("shop"));
        ProjectMonitor monitor = new ProjectMonitor(database.jdbi(),
                new Scanner(new TreeSitterParser(), new Scanner.Options(Duration.ofSeconds(10), 1, true)), Clock.systemUTC());
        TenantProjects projects = new TenantProjects(database.jdbi(), monitor);

        projects.add("acme", "shop", dir);
        projects.add("globex", "shop", dir);

        assertThat(projects.list("acme")).extracting(p -> p.name()).containsExactly("shop");
        assertThat(monitor.list()).extracting(p -> p.name()).containsExactly("acme.shop", "globex.shop");
        assertThatThrownBy(() -> projects.add("acme", "shop", dir)).hasMessageContaining("already watched");
        assertThatThrownBy(() -> projects.add("acme", "../x", dir)).hasMessageContaining("'../x'");
        assertThatThrownBy(() -> projects.add("acme", "gone", tmp.resolve("missing"))).hasMessageContaining("not a directory");
        assertThat(projects.list("acme")).hasSize(1);

        assertThat(projects.remove("acme", "shop")).isTrue();
        assertThat(projects.list("acme")).isEmpty();
        assertThat(projects.list("globex")).hasSize(1);
        assertThat(projects.remove("acme", "shop")).isFalse();
        assertThat(projects.findings("acme", null, true)).isEmpty();
    }
}
