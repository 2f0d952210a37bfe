package dev.freshet.updates.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.deps.Stack;
import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.report.ReportFormat;
import dev.freshet.updates.TestParts;
import dev.freshet.updates.UpdateParts;
import dev.freshet.updates.billing.CreditException;
import dev.freshet.updates.billing.Fees;
import dev.freshet.updates.billing.LedgerEntry;
import dev.freshet.updates.billing.ModelClass;
import dev.freshet.updates.billing.Tier;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.jobs.EngineScanRunner;
import dev.freshet.updates.jobs.ScanRunner;
import dev.freshet.updates.release.Fixtures;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.Database;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Custom rules on demand with the offline generator, billed in two phases, on both kinds of store. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class CustomRulesTest {
    @Parameter
    Database.Kind kind;
    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    static final Path SHOP = Projects.of("express-mongoose");
    CustomRules rules;

    @BeforeEach
    void wire() {
        rules = customRules(parts.get(), Fees.DEFAULT.withOfflineSuccess(2));
        parts.get().access().createTenant("acme");
        parts.get().credits().setTier("acme", Tier.STANDARD);
    }

    static CustomRules customRules(UpdateParts parts, Fees fees) {
        return parts.customRules(GatePolicy.defaults("0.1.0").withThreads(1), new Generators(Optional.empty()), fees);
    }

    static CustomRules.Request request(String tenant, int quantity) {
        return new CustomRules.Request(Optional.empty(), tenant, SHOP, quantity, Optional.empty());
    }

    @Test
    void stackOfAnExpressProjectNamesNodeExpressAndMongoose() throws Exception {
        Stack stack = Stack.of(SHOP);
        assertThat(stack.summary()).isEqualTo("Node.js + Express + Mongoose");
        assertThat(Templates.fitting(stack, "x.")).extracting(Target::ruleId)
                .containsExactly("x.express-nosql-injection", "x.express-command-injection", "x.express-xss");
    }

    @Test
    void freeTierIsRefusedWithNothingWritten() {
        parts.get().access().createTenant("freeloader");
        parts.get().credits().grant("freeloader", 50, "g1", "test");
        assertThatThrownBy(() -> rules.generate(request("freeloader", 2)))
                .isInstanceOfSatisfying(CreditException.class, e -> assertThat(e.kind()).isEqualTo(CreditException.Kind.FORBIDDEN))
                .hasMessageContaining("free plan");
        assertThat(parts.get().credits().balance("freeloader")).isEqualTo(50);
        assertThat(parts.get().credits().ledger("freeloader")).hasSize(1);
    }

    @Test
    void standardPlanMayNotUseProModels() {
        parts.get().credits().grant("acme", 50, "g1", "test");
        assertThatThrownBy(() -> rules.generate(new CustomRules.Request(Optional.empty(), "acme", SHOP, 1, Optional.of(ModelClass.PRO))))
                .isInstanceOfSatisfying(CreditException.class, e -> assertThat(e.kind()).isEqualTo(CreditException.Kind.FORBIDDEN));
    }

    @Test
    void insufficientCreditsAreRefusedBeforeAnyWork() {
        parts.get().credits().grant("acme", 2, "g1", "test");
        assertThatThrownBy(() -> rules.generate(request("acme", 3)))
                .isInstanceOfSatisfying(CreditException.class, e -> assertThat(e.kind()).isEqualTo(CreditException.Kind.INSUFFICIENT))
                .hasMessageContaining("has 2 credits; this needs 3");
        assertThat(parts.get().credits().balance("acme")).isEqualTo(2);
        assertThat(rules.library("acme")).isEmpty();
        int requests = parts.get().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM generation_requests")
                .mapTo(Integer.class).one());
        assertThat(requests).isZero();
    }

    @Test
    void quantityOutsideOneToTenIsRefused() {
        parts.get().credits().grant("acme", 50, "g1", "test");
        for (int quantity : new int[] {0, 11, -1}) {
            assertThatThrownBy(() -> rules.generate(request("acme", quantity)))
                    .isInstanceOfSatisfying(CreditException.class, e -> assertThat(e.kind()).isEqualTo(CreditException.Kind.INVALID));
        }
        assertThat(parts.get().credits().balance("acme")).isEqualTo(50);
    }

    @Test
    void offlineRulesAreValidatedChargedInTwoPhasesStoredAndReleasedOnTheTenantsTrack() throws Exception {
        parts.get().credits().grant("acme", 20, "g1", "test");
        CustomRules.Result result = rules.generate(request("acme", 4));

        assertThat(result.rules()).extracting(RuleOutcome::id, RuleOutcome::outcome).containsExactly(
                tuple("custom.acme.express-nosql-injection", "validated"),
                tuple("custom.acme.express-command-injection", "validated"),
                tuple("custom.acme.express-xss", "validated"),
                tuple("(none)", "failed"));
        // 4 requested x 1 + 3 validated x 2 (the offline success fee configured here)
        assertThat(result.charges()).isEqualTo(new CustomRules.Charges(4, 6, 0, 10));
        assertThat(parts.get().credits().balance("acme")).isEqualTo(10);
        assertThat(parts.get().credits().ledger("acme")).extracting(LedgerEntry::kind).containsExactly(LedgerEntry.Kind.GRANT,
                LedgerEntry.Kind.PROCESSING, LedgerEntry.Kind.SUCCESS, LedgerEntry.Kind.SUCCESS, LedgerEntry.Kind.SUCCESS);

        List<CustomRules.LibraryRule> library = rules.library("acme");
        assertThat(library).hasSize(3);
        assertThat(library.getFirst().tests()).hasSize(2);
        assertThat(library.getFirst().tests().values()).anyMatch(test -> test.contains("ruleid: " + library.getFirst().ruleId()));
        assertThat(library.getFirst().aiMetadata()).containsEntry("model", "templates")
                .containsEntry("prompt_version", TemplateGenerator.CATALOG_VERSION);

        Release live = parts.get().releases().active(CustomRules.trackOf("acme")).orElseThrow();
        assertThat(live.id()).isEqualTo(result.releaseId());
        assertThat(live.rules()).hasSize(3);
        assertThat(new EventLog(parts.get().database().jdbi()).after(0, 100)).extracting(Event::type)
                .contains(EventType.CREDITS_CHARGED, EventType.CUSTOM_RULES_GENERATED, EventType.RELEASE_ACTIVATED);
    }

    @Test
    void aRetriedRequestIsNotChargedAgain() throws Exception {
        parts.get().credits().grant("acme", 20, "g1", "test");
        CustomRules.Request request = new CustomRules.Request(Optional.of("req-1"), "acme", SHOP, 2, Optional.empty());
        CustomRules.Result first = rules.generate(request);
        CustomRules.Result again = rules.generate(request);
        assertThat(again.rules()).isEqualTo(first.rules());
        assertThat(again.charges()).isEqualTo(first.charges()).isEqualTo(new CustomRules.Charges(2, 4, 0, 6));
        assertThat(parts.get().credits().balance("acme")).isEqualTo(14);
    }

    @Test
    void aTenantsLibraryIsUsedByItsOwnScansAndNoOneElses() throws Exception {
        Release global = parts.get().releases().create(List.of(Fixtures.rule("g1", "eval($X)")),
                new GateReport(List.of(), List.of()));
        parts.get().activations().activate(global.id(), Trigger.USER, "test");
        parts.get().access().createTenant("other");
        parts.get().credits().setTier("other", Tier.PREMIUM);
        parts.get().credits().grant("acme", 20, "g1", "test");
        rules.generate(request("acme", 3));
        parts.get().knowledge().refresh();
        Knowledge snapshot = parts.get().knowledge().holder().current();

        assertThat(findings(snapshot, "acme")).contains("custom.acme.express-nosql-injection", "custom.acme.express-xss",
                "custom.acme.express-command-injection");
        assertThat(findings(snapshot, "other")).noneMatch(rule -> rule.startsWith("custom."));
        assertThat(snapshot.rulesOfTenant("other")).isEmpty();
    }

    private List<String> findings(Knowledge snapshot, String tenant) throws Exception {
        EngineScanRunner runner = new EngineScanRunner(parts.get().engine().scanner(), 1000);
        Map<ReportFormat, StringWriter> reports = new EnumMap<>(ReportFormat.class);
        runner.run("job", new ScanRunner.Unit(tenant, "shop"), snapshot, SHOP, format -> {
            StringWriter out = new StringWriter();
            reports.put(format, out);
            return (Writer) out;
        });
        List<String> ids = new ArrayList<>();
        new ObjectMapper().readTree(reports.get(ReportFormat.JSON).toString()).path("results")
                .forEach(result -> ids.add(result.path("rule_id").asText()));
        return ids;
    }
}
