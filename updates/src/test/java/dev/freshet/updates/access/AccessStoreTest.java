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
import java.util.List;
import java.util.UUID;
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
        assertThat(access.hasGlobalAdminKey()).as("an admin of one tenant is not the global admin").isFalse();

        assertThat(access.revoke(made.key().id())).isTrue();
        assertThat(access.revoke(made.key().id())).as("already revoked").isFalse();
        assertThat(access.authenticate(made.secret())).isEmpty();
        assertThat(access.keys("acme")).singleElement().satisfies(k -> assertThat(k.valid()).isFalse());
        NewKey global = access.createKey("acme", Role.GLOBAL_ADMIN, null);
        assertThat(access.hasGlobalAdminKey()).isTrue();
        access.revoke(global.key().id());
        assertThat(access.hasGlobalAdminKey()).isFalse();
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

    /** The attack found: an admin of one tenant made keys for another and revoked another tenant's admin key. */
    @Test
    void anAdminManagesOnlyItsOwnTenantAndNoKeyAboveItsRole() {
        access.createTenant("acme");
        access.createTenant("globex");
        NewKey globexAdmin = access.createKey("globex", Role.ADMIN, null);
        NewKey acmeViewer = access.createKey("acme", Role.VIEWER, null);
        NewKey global = access.createKey("acme", Role.GLOBAL_ADMIN, null);
        Actor acmeAdmin = new Actor("acme", Role.ADMIN);

        assertThatThrownBy(() -> access.createKey(acmeAdmin, "globex", Role.VIEWER, null)).isInstanceOf(AccessException.class)
                .satisfies(e -> assertThat(((AccessException) e).kind()).isEqualTo(AccessException.Kind.FORBIDDEN))
                .hasMessageContaining("manages only its own tenant");
        assertThat(access.revoke(acmeAdmin, globexAdmin.key().id())).as("another tenant's key does not exist for it").isFalse();
        assertThat(access.authenticate(globexAdmin.secret())).isPresent();
        assertThatThrownBy(() -> access.keys(acmeAdmin, "globex")).hasMessageContaining("manages only its own tenant");
        assertThat(access.keys(acmeAdmin, null)).extracting(ApiKey::tenant).containsOnly("acme");
        assertThatThrownBy(() -> access.createKey(acmeAdmin, "acme", Role.GLOBAL_ADMIN, null)).hasMessageContaining("cannot make");
        assertThatThrownBy(() -> access.revoke(acmeAdmin, global.key().id())).hasMessageContaining("cannot revoke");

        assertThat(access.createKey(acmeAdmin, "acme", Role.OPERATOR, "ci").key().tenant()).isEqualTo("acme");
        assertThat(access.revoke(acmeAdmin, acmeViewer.key().id())).isTrue();
        Actor globalAdmin = new Actor("acme", Role.GLOBAL_ADMIN);
        assertThat(access.createKey(globalAdmin, "globex", Role.VIEWER, null).key().tenant()).isEqualTo("globex");
        assertThat(access.keys(globalAdmin, null)).extracting(ApiKey::tenant).contains("acme", "globex");
        assertThat(access.revoke(globalAdmin, globexAdmin.key().id())).isTrue();
    }

    @Test
    void deletingATenantRevokesItsKeysAndRemovesItsProjectsAndScans() throws Exception {
        access.createTenant("acme");
        access.createTenant("globex");
        NewKey acmeKey = access.createKey("acme", Role.OPERATOR, null);
        NewKey globexKey = access.createKey("globex", Role.OPERATOR, null);
        Path dir = Files.createDirectories(tmp.resolve("shop"));
        ProjectMonitor monitor = monitor();
        TenantProjects projects = new TenantProjects(database.jdbi(), monitor);
        projects.add("acme", "shop", dir);
        projects.add("globex", "shop", dir);
        for (String tenant : List.of("acme", "acme", "globex")) {
            database.jdbi().useHandle(h -> h.createUpdate("""
                            INSERT INTO scan_jobs (id, tenant, state, source_kind, source, submitted_at, attempts, findings, vulnerable_dependencies)
                            VALUES (:id, :tenant, 'DONE', 'PATH', '/x', 1, 1, 0, 0)""")
                    .bind("id", UUID.randomUUID().toString()).bind("tenant", tenant).execute());
        }
        Actor global = new Actor("default", Role.GLOBAL_ADMIN);

        assertThatThrownBy(() -> access.deleteTenant(new Actor("acme", Role.ADMIN), "acme")).hasMessageContaining("global-admin");
        assertThat(access.deleteTenant(global, "acme")).isEqualTo(new TenantRemoval("acme", 1, 1, 2));

        assertThat(access.authenticate(acmeKey.secret())).isEmpty();
        assertThat(access.keys("acme")).singleElement().satisfies(k -> assertThat(k.valid()).isFalse());
        assertThat(access.tenants()).extracting(Tenant::name).containsExactly("globex");
        assertThat(projects.list("acme")).isEmpty();
        assertThat(monitor.list()).extracting(p -> p.name()).containsExactly("globex.shop");
        List<String> scanTenants = database.jdbi().withHandle(h -> h.createQuery("SELECT tenant FROM scan_jobs").mapTo(String.class).list());
        assertThat(scanTenants).containsExactly("globex");
        assertThat(access.authenticate(globexKey.secret())).isPresent();
        assertThatThrownBy(() -> access.deleteTenant(global, "acme")).hasMessageContaining("no tenant named 'acme'");
        assertThatThrownBy(() -> access.createKey("acme", Role.VIEWER, null)).hasMessageContaining("no tenant named 'acme'");
        assertThatThrownBy(() -> access.deleteTenant(new Actor("globex", Role.GLOBAL_ADMIN), "globex")).hasMessageContaining("holds the key");

        access.createTenant("acme");
        assertThat(projects.list("acme")).as("a tenant made again under the name starts empty").isEmpty();
        assertThat(access.createKey("acme", Role.VIEWER, null).key().valid()).isTrue();
    }

    private ProjectMonitor monitor() {
        return new ProjectMonitor(database.jdbi(), new Scanner(new TreeSitterParser(), new Scanner.Options(Duration.ofSeconds(10), 1, true)),
                Clock.systemUTC());
    }

    @Test
    void aTenantSeesOnlyItsOwnProjectsUnderItsOwnNames() throws Exception {
        access.createTenant("acme");
        access.createTenant("globex");
        Path dir = Files.createDirectories(tmp.resolve("shop"));
        ProjectMonitor monitor = monitor();
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
