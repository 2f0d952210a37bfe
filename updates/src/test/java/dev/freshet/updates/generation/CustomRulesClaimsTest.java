package dev.freshet.updates.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.updates.TestParts;
import dev.freshet.updates.billing.CreditException;
import dev.freshet.updates.billing.LedgerEntry;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.store.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Claims with a lease on accepted requests: one worker at a time, across nodes sharing a store, makes a request. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class CustomRulesClaimsTest {
    private static final Duration LONG = Duration.ofMinutes(2);

    @Parameter
    Database.Kind kind;
    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private CustomRules rules;

    @BeforeEach
    void wire() {
        rules = CustomRulesWorkersTest.wired(parts.get());
    }

    private String accept(String id, int quantity) throws Exception {
        return rules.accept(new CustomRules.Request(Optional.of(id), "acme", CustomRulesTest.SHOP, quantity, Optional.empty())).requestId();
    }

    private List<Event> generatedEvents() {
        return new EventLog(parts.get().database().jdbi()).after(0, 500).stream()
                .filter(e -> e.type() == EventType.CUSTOM_RULES_GENERATED).toList();
    }

    private void awaitDone(List<String> ids) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (ids.stream().allMatch(id -> rules.status("acme", id, false).orElseThrow().state().equals("done"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("requests " + ids + " not done in time");
    }

    @Test
    void ofWorkersRacingForOneRequestExactlyOneClaimsIt() throws Exception {
        accept("r1", 1);
        int racers = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Optional<CustomRules.Claim>>> claims = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String node = "node-" + i;
                Callable<Optional<CustomRules.Claim>> claim = () -> {
                    go.await();
                    return rules.claim("r1", node, LONG);
                };
                claims.add(pool.submit(claim));
            }
            go.countDown();
            int won = 0;
            for (Future<Optional<CustomRules.Claim>> claim : claims) {
                won += claim.get().isPresent() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(rules.claimable()).as("held under a live lease").isEmpty();
        assertThat(rules.unfinished()).containsExactly("r1");
        assertThatThrownBy(() -> rules.finish("r1")).isInstanceOfSatisfying(CreditException.class,
                e -> assertThat(e.kind()).isEqualTo(CreditException.Kind.CONFLICT)).hasMessageContaining("another worker");
    }

    @Test
    void twoNodesOnOneStoreMakeEachRequestOnceAndChargeItOnce() throws Exception {
        List<String> ids = List.of(accept("r1", 1), accept("r2", 2), accept("r3", 1));
        try (GenerationWorkers a = new GenerationWorkers(rules, 2, (t, s) -> "none", "node-a", LONG);
             GenerationWorkers b = new GenerationWorkers(rules, 2, (t, s) -> "none", "node-b", LONG)) {
            a.start();
            b.start();
            ids.forEach(a::submit); // as the node that accepted them does, while the other node polls
            ids.forEach(b::submit);
            awaitDone(ids);
        }
        assertThat(generatedEvents()).extracting(e -> e.payload().get("request")).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(parts.get().credits().ledger("acme")).filteredOn(e -> e.kind() == LedgerEntry.Kind.SUCCESS).hasSize(4);
        assertThat(parts.get().credits().balance("acme")).isEqualTo(40 - 4 - 4 * 2);
    }

    @Test
    void aClaimWhoseLeaseRanOutIsTakenOverAndItsHolderCanNoLongerWrite() throws Exception {
        accept("r1", 2);
        CustomRules.Claim dead = rules.claim("r1", "dead-node", Duration.ofMillis(300)).orElseThrow();
        assertThat(rules.claimable()).as("while the lease runs").isEmpty();
        assertThat(rules.claim("r1", "node-b", LONG)).isEmpty();

        try (GenerationWorkers live = new GenerationWorkers(rules, 1, (t, s) -> "none", "node-live", Duration.ofMillis(300))) {
            live.start(); // polls every 100 ms: takes the request up once the dead node's lease ran out
            awaitDone(List.of("r1"));
        }
        assertThat(rules.renew(dead)).isFalse();
        long balance = parts.get().credits().balance("acme");
        assertThat(rules.finish(dead).charges()).as("done already: nothing left to make").isEqualTo(new CustomRules.Charges(2, 4, 0, 6));
        assertThat(rules.status("acme", "r1", false).orElseThrow().result().rules()).extracting(CustomRules.Summary.Rule::outcome)
                .containsExactly("validated", "validated");
        assertThat(parts.get().credits().balance("acme")).isEqualTo(balance).isEqualTo(40 - 2 - 2 * 2);
        assertThat(generatedEvents()).hasSize(1);
    }

    @Test
    void aHolderWhoseClaimWasTakenOverStoresNothing() throws Exception {
        accept("r1", 1);
        CustomRules.Claim dead = rules.claim("r1", "dead-node", Duration.ofMillis(1)).orElseThrow();
        Thread.sleep(20);
        assertThat(rules.claimable()).containsExactly("r1");
        CustomRules.Claim taker = rules.claim("r1", "node-b", LONG).orElseThrow();
        assertThatThrownBy(() -> rules.finish(dead)).isInstanceOf(CustomRules.ClaimLost.class).hasMessageContaining("taken over");
        assertThat(rules.status("acme", "r1", false).orElseThrow().state()).isEqualTo("accepted");
        assertThat(parts.get().credits().balance("acme")).as("no success fee for the lost attempt").isEqualTo(40 - 1);
        assertThat(rules.finish(taker).charges()).isEqualTo(new CustomRules.Charges(1, 2, 0, 3));
    }

    @Test
    void aFinishedRequestIsNotClaimedAgain() throws Exception {
        CustomRules.Result done = rules.generate(new CustomRules.Request(Optional.of("r1"), "acme", CustomRulesTest.SHOP, 1, Optional.empty()));
        assertThat(rules.claim("r1", "node-b", LONG)).isEmpty();
        assertThat(rules.claim("unknown", "node-b", LONG)).isEmpty();
        assertThat(rules.claimable()).isEmpty();
        assertThat(rules.finish("r1")).as("read, not made again").isEqualTo(done);
        assertThat(generatedEvents()).hasSize(1);
    }
}
