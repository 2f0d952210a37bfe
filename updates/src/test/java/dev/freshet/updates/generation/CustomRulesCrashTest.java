package dev.freshet.updates.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.UpdateParts;
import dev.freshet.updates.billing.Fees;
import dev.freshet.updates.billing.LedgerEntry;
import dev.freshet.updates.billing.ModelClass;
import dev.freshet.updates.release.KilledChild;
import dev.freshet.updates.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 a process making custom rules, somewhere in accepting, generating, validating, charging or
 * releasing; the next start takes up what was left: every request charged its processing fee once and
 * a success fee once per validated rule, the library holds exactly the validated rules, the charges equal
 * the formula.
 */
class CustomRulesCrashTest {
    @TempDir
    Path tmp;

    @RepeatedTest(2)
    void aCrashAnywhereNeverChargesTwiceAndTheRestartFinishesTheWork() throws Exception {
        KilledChild.runAndKill(CustomRulesCrashChild.class, tmp, 200, 4_000);
        try (Database database = Database.open(tmp)) {
            // The restart comes after the killed process's claims ran out (until then, no worker may take its request up).
            UpdateParts parts = CustomRulesCrashChild.parts(database, Clock.offset(Clock.systemUTC(), CustomRules.LEASE.plusSeconds(1)));
            CustomRules rules = CustomRulesTest.customRules(parts, Fees.DEFAULT);
            rules.resumeUnfinished();
            List<String> requests = database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT id FROM generation_requests ORDER BY created_at").mapTo(String.class).list());
            assertThat(requests).isNotEmpty();
            int states = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM generation_requests WHERE state <> 'DONE'")
                    .mapTo(Integer.class).one());
            assertThat(states).as("every request finished").isZero();
            for (String id : requests) {
                String tenant = "t" + id.substring("crash-".length());
                CustomRules.Result result = rules.generate(new CustomRules.Request(java.util.Optional.of(id), tenant,
                        Projects.of("express-mongoose"), 3, java.util.Optional.empty()));
                List<LedgerEntry> entries = parts.credits().entriesOf(id);
                assertThat(entries.stream().filter(e -> e.kind() == LedgerEntry.Kind.PROCESSING)).as(id).singleElement()
                        .extracting(LedgerEntry::amount).isEqualTo(-3L);
                long validated = result.validated();
                assertThat(entries.stream().filter(e -> e.kind() == LedgerEntry.Kind.SUCCESS).count()).as(id).isEqualTo(validated);
                assertThat(result.charges().total()).isEqualTo(Fees.DEFAULT.total(ModelClass.OFFLINE, 3, (int) validated));
                assertThat(rules.library(tenant)).hasSize((int) validated);
                assertThat(validated).as("the offline templates validate every rule of this stack").isEqualTo(3);
                assertThat(parts.credits().balance(tenant)).isEqualTo(100 - result.charges().total());
            }
        }
    }
}
