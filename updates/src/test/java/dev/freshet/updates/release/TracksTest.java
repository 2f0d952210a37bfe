package dev.freshet.updates.release;

import static dev.freshet.updates.release.Fixtures.accepted;
import static dev.freshet.updates.release.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.updates.events.EventType;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.TestStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Releases of several tracks in one store: one history, one activation path, needs between tracks. */
@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class TracksTest {
    private static final Track TENANT = Track.of("tenants/acme/rules");
    private static final Track MODEL = Track.of("models/http-anomaly");
    private static final List<AcceptedRule> GLOBAL = List.of(rule("g1", "eval($X)"));
    private static final List<AcceptedRule> GLOBAL_2 = List.of(rule("g1", "eval($X)"), rule("g2", "exec($X)"));
    private static final List<AcceptedRule> OWN = List.of(rule("t1", "pickle.loads($X)"));

    @Parameter
    Database.Kind kind;
    @TempDir
    Path tmp;
    Database database;
    Fixtures.ManualClock clock = new Fixtures.ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    ReleaseStore store;
    ActivationService activations;

    @BeforeEach
    void open() {
        database = Database.open(TestStores.fresh(kind, tmp));
        store = new ReleaseStore(database.jdbi(), clock);
        activations = new ActivationService(database.jdbi(), store, clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void eachTrackHasItsOwnActiveReleaseHistoryAndParents() {
        Release global = store.create(GLOBAL, accepted(GLOBAL));
        Release sameItemsForATenant = store.create(TENANT, GLOBAL, accepted(GLOBAL), Map.of());
        assertThat(sameItemsForATenant.id()).as("the track is part of the content").isNotEqualTo(global.id());
        assertThat(sameItemsForATenant.parentId()).as("parents are on the same track").isNull();

        activations.activate(global.id(), Trigger.USER, "global");
        clock.advance(60_000);
        Activation tenant = activations.activate(sameItemsForATenant.id(), Trigger.USER, "tenant");

        assertThat(tenant.track()).isEqualTo(TENANT.name());
        assertThat(tenant.previousReleaseId()).as("the previous release of the tenant's track, not the global one").isNull();
        assertThat(store.active(Track.RULES).map(Release::id)).contains(global.id());
        assertThat(store.active(TENANT).map(Release::id)).contains(sameItemsForATenant.id());
        assertThat(store.active(MODEL)).isEmpty();
        assertThat(store.history(Track.RULES)).extracting(Activation::reason).containsExactly("global");
        assertThat(store.history(TENANT)).extracting(Activation::reason).containsExactly("tenant");
        assertThat(store.liveAt(TENANT, Instant.parse("2026-03-01T10:00:30Z"))).isEmpty();
        assertThat(store.list(TENANT)).extracting(ReleaseSummary::id).containsExactly(sameItemsForATenant.id());
        assertThat(activations.events().after(0, 10)).filteredOn(e -> e.type() == EventType.RELEASE_ACTIVATED)
                .extracting(e -> e.payload().get("track")).containsExactly("rules", TENANT.name());

        assertThatThrownBy(() -> activations.rollback(TENANT, Optional.empty(), Trigger.USER, "no"))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("first release ever activated");
        assertThatThrownBy(() -> store.diff(TENANT, global.id(), sameItemsForATenant.id()))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("belongs to track rules, not tenants/acme/rules");
    }

    @Test
    void aReleaseNeedingAnotherTracksReleaseWaitsForItToBeLive() {
        Release global = store.create(GLOBAL, accepted(GLOBAL));
        Release global2 = store.create(GLOBAL_2, accepted(GLOBAL_2));
        Release own = store.create(TENANT, OWN, accepted(OWN), Map.of("rules", global2.id().substring(0, 10)));
        assertThat(own.needs()).containsExactly(Map.entry("rules", global2.id()));
        assertThat(store.find(own.id()).orElseThrow().needs()).isEqualTo(own.needs());
        activations.activate(global.id(), Trigger.USER, "global");

        assertThatThrownBy(() -> activations.activate(own.id(), Trigger.USER, "too early"))
                .isInstanceOf(ReleaseException.class)
                .hasMessageContaining("needs release " + ReleaseStore.shortId(global2.id()) + " of rules live, but "
                        + ReleaseStore.shortId(global.id()) + " is live there");
        assertThat(store.active(TENANT)).isEmpty();

        // Given in the wrong order, one update applies the needed release first.
        List<Activation> applied = activations.activateAll(List.of(own.id(), global2.id()), Trigger.USER, "together");
        assertThat(applied).extracting(Activation::releaseId).containsExactly(global2.id(), own.id());
        assertThat(store.active(TENANT).map(Release::id)).contains(own.id());

        assertThatThrownBy(() -> store.create(TENANT, GLOBAL, accepted(GLOBAL), Map.of(TENANT.name(), own.id())))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("its own track");
        assertThatThrownBy(() -> store.create(TENANT, GLOBAL, accepted(GLOBAL), Map.of("models/x", global.id())))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("belongs to track rules, not models/x");
    }

    @Test
    void needsThatFormACycleAreRefusedWithTheCycleNamedAndNothingApplied() {
        Release model = store.create(MODEL, OWN, accepted(OWN), Map.of());
        Release global = store.create(Track.RULES, GLOBAL, accepted(GLOBAL), Map.of(MODEL.name(), model.id()));
        Release model2 = store.create(MODEL, GLOBAL_2, accepted(GLOBAL_2), Map.of("rules", global.id()));
        long eventsBefore = activations.events().after(0, 100).size();

        assertThatThrownBy(() -> activations.activateAll(List.of(global.id(), model2.id()), Trigger.USER, "cycle"))
                .isInstanceOf(ReleaseException.class)
                .hasMessageContaining("cycle: rules -> models/http-anomaly -> rules");
        assertThat(store.active(Track.RULES)).isEmpty();
        assertThat(store.active(MODEL)).isEmpty();
        assertThat(activations.events().after(0, 100)).hasSize((int) eventsBefore);
        assertThatThrownBy(() -> activations.activateAll(List.of(model.id(), model2.id()), Trigger.USER, "two"))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("two releases of models/http-anomaly");
    }

    @Test
    void aTrackNameOutsideTheKnownShapesIsRefused() {
        for (String bad : List.of("", "Rules", "models/", "tenants/acme", "tenants/../rules", "models/a/b", "x".repeat(300))) {
            assertThatThrownBy(() -> Track.of(bad)).isInstanceOf(ReleaseException.class).hasMessageContaining("is not a track");
        }
        assertThat(List.of("rules", "models/http-anomaly", "tenants/acme-1/rules")).allSatisfy(Track::of);
    }
}
