package dev.freshet.updates.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.TestParts;
import dev.freshet.updates.UpdateParts;
import dev.freshet.updates.billing.Fees;
import dev.freshet.updates.billing.LedgerEntry;
import dev.freshet.updates.billing.Tier;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.store.Database;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Requests accepted at once and made by the workers off the request path; a tenant's library going
 * out through the gate and the rollout engine; the library listing with each rule's status.
 */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class CustomRulesWorkersTest {
    @Parameter
    Database.Kind kind;
    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private CustomRules rules;

    @BeforeEach
    void wire() {
        rules = wired(parts.get());
    }

    /** Offline custom rules (success fee 2) released with the default plan, and tenant acme on standard with 40 credits. */
    static CustomRules wired(UpdateParts parts) {
        CustomRules rules = parts.customRules(GatePolicy.defaults("0.1.0").withThreads(1), new Generators(Optional.empty()),
                Fees.DEFAULT.withOfflineSuccess(2), () -> Optional.of(RolloutPlan.DEFAULT));
        parts.access().createTenant("acme");
        parts.credits().setTier("acme", Tier.STANDARD);
        parts.credits().grant("acme", 40, "g1", "test");
        return rules;
    }

    private CustomRules.Request request(String id, int quantity, Optional<CustomRules.FollowUpScan> scan) {
        return new CustomRules.Request(Optional.of(id), "acme", CustomRulesTest.SHOP, quantity, Optional.empty(), scan);
    }

    private CustomRules.Status awaitDone(String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            CustomRules.Status status = rules.status("acme", requestId, false).orElseThrow();
            if (status.state().equals("done") && rules.pendingScan(requestId).isEmpty()) {
                return rules.status("acme", requestId, false).orElseThrow(); // read again: the scan may have been queued meanwhile
            }
            Thread.sleep(50);
        }
        throw new AssertionError("request " + requestId + " not done in time");
    }

    @Test
    void acceptedRequestsWaitInTheStoreAndWorkersStartedLaterMakeThemOnceAndQueueTheirScan() throws Exception {
        CustomRules.FollowUpScan scan = new CustomRules.FollowUpScan(CustomRulesTest.SHOP, "own-bucket");
        assertThat(rules.accept(request("r1", 2, Optional.of(scan))).isNew()).isTrue();
        assertThat(rules.accept(request("r2", 1, Optional.empty())).isNew()).isTrue();
        assertThat(rules.accept(request("r1", 2, Optional.of(scan))).isNew()).as("a retry").isFalse();

        // Accepted is charged and stored, nothing made: as a crash right after answering 202 leaves it.
        assertThat(parts.get().credits().balance("acme")).isEqualTo(40 - 3);
        assertThat(rules.unfinished()).containsExactly("r1", "r2");
        CustomRules.Status waiting = rules.status("acme", "r1", false).orElseThrow();
        assertThat(waiting.state()).isEqualTo("accepted");
        assertThat(waiting.result()).isNull();
        assertThat(rules.library("acme")).isEmpty();

        Map<String, CustomRules.FollowUpScan> queuedScans = new ConcurrentHashMap<>();
        try (GenerationWorkers workers = new GenerationWorkers(rules, 1, (tenant, s) -> {
            queuedScans.put(tenant, s);
            return "scan-of-" + tenant;
        })) {
            workers.start(); // a restart: what was accepted is requeued
            CustomRules.Status r1 = awaitDone("r1");
            CustomRules.Status r2 = awaitDone("r2");
            assertThat(r1.result().rules()).extracting(CustomRules.Summary.Rule::outcome).containsExactly("validated", "validated");
            assertThat(r1.result().charges()).isEqualTo(new CustomRules.Charges(2, 4, 0, 6));
            assertThat(r2.result().charges()).isEqualTo(new CustomRules.Charges(1, 2, 0, 3));
            assertThat(r1.scanId()).isEqualTo("scan-of-acme");
            assertThat(r2.scanId()).isNull();
            assertThat(queuedScans).containsExactly(Map.entry("acme", scan));
        }
        long balance = parts.get().credits().balance("acme");
        assertThat(balance).isEqualTo(40 - 9);
        try (GenerationWorkers again = new GenerationWorkers(rules, 2, (tenant, s) -> {
            throw new AssertionError("the scan was queued already");
        })) {
            again.start();
        }
        assertThat(parts.get().credits().balance("acme")).as("nothing is charged twice").isEqualTo(balance);
        assertThat(parts.get().credits().ledger("acme")).filteredOn(e -> e.kind() == LedgerEntry.Kind.PROCESSING).hasSize(2);
    }

    @Test
    void anotherTenantsRequestIsNotFoundUnlessAnAdminAsks() throws Exception {
        rules.accept(request("r1", 1, Optional.empty()));
        assertThat(rules.status("other", "r1", false)).isEmpty();
        assertThat(rules.status("other", "r1", true)).get().extracting(CustomRules.Status::tenant).isEqualTo("acme");
        assertThat(rules.status("acme", "nope", true)).isEmpty();
    }

    @Test
    void theLibraryGoesOutThroughTheGateAndTheRolloutEngineAndTheListingShowsWhereEachRuleStands() throws Exception {
        CustomRules.Result first = rules.generate(request("r1", 1, Optional.empty()));
        List<CustomRules.ListedRule> afterFirst = rules.listing("acme");
        assertThat(afterFirst).singleElement().satisfies(rule -> {
            assertThat(rule.status()).as("nothing to compare with: live at once").isEqualTo(CustomRules.RuleStatus.LIVE);
            assertThat(rule.generation()).containsEntry("generator", "offline").containsEntry("request", "r1");
            assertThat(rule.createdAt()).isNotNull();
        });
        Release firstRelease = parts.get().releases().find(first.releaseId()).orElseThrow();
        assertThat(firstRelease.report().verdicts()).singleElement().extracting(Verdict::outcome).isEqualTo(Verdict.Outcome.ACCEPTED);

        CustomRules.Result second = rules.generate(request("r2", 1, Optional.empty()));
        Rollout rollout = parts.get().rollouts().unfinished(CustomRules.trackOf("acme")).orElseThrow();
        assertThat(rollout.releaseId()).isEqualTo(second.releaseId());
        assertThat(parts.get().releases().active(CustomRules.trackOf("acme"))).get().extracting(Release::id).isEqualTo(first.releaseId());
        assertThat(rules.listing("acme")).extracting(CustomRules.ListedRule::ruleId, CustomRules.ListedRule::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("custom.acme.express-command-injection", CustomRules.RuleStatus.ROLLING_OUT),
                org.assertj.core.groups.Tuple.tuple("custom.acme.express-nosql-injection", CustomRules.RuleStatus.LIVE));
        assertThat(new EventLog(parts.get().database().jdbi()).after(0, 200)).extracting(Event::type).contains(EventType.ROLLOUT_STARTED);

        for (int step = 0; step < 10 && parts.get().rollouts().unfinished(CustomRules.trackOf("acme")).isPresent(); step++) {
            parts.get().rollouts().promote(CustomRules.trackOf("acme"), "test");
        }
        assertThat(rules.listing("acme")).extracting(CustomRules.ListedRule::status).containsOnly(CustomRules.RuleStatus.LIVE);
    }
}
