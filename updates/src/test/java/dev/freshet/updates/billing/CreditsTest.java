package dev.freshet.updates.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.updates.TestParts;
import dev.freshet.updates.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The credit ledger on both kinds of store: append-only, idempotent, never below zero, even under concurrent charges. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class CreditsTest {
    @Parameter
    Database.Kind kind;
    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);
    Credits credits;

    @BeforeEach
    void tenant() {
        parts.get().access().createTenant("acme");
        credits = parts.get().credits();
    }

    private LedgerEntry charge(String key, long amount) {
        return parts.get().database().jdbi().inTransaction(h -> credits.charge(h, "acme", key, LedgerEntry.Kind.PROCESSING, amount, "r1", "test"));
    }

    @Test
    void newTenantsAreFreeAndPlansChangeWithAnEvent() {
        assertThat(credits.tier("acme")).isEqualTo(Tier.FREE);
        assertThat(credits.setTier("acme", Tier.PREMIUM)).isEqualTo(Tier.FREE);
        assertThat(credits.tier("acme")).isEqualTo(Tier.PREMIUM);
        assertThatThrownBy(() -> Tier.of("gold")).hasMessageContaining("free, standard or premium");
        assertThatThrownBy(() -> credits.tier("nobody")).isInstanceOfSatisfying(CreditException.class,
                e -> assertThat(e.kind()).isEqualTo(CreditException.Kind.NOT_FOUND));
    }

    @Test
    void aKeyChargesOnceAndCannotBeReusedForAnotherAmount() {
        credits.grant("acme", 10, "g1", "test");
        LedgerEntry first = charge("k1", 3);
        assertThat(charge("k1", 3)).isEqualTo(first);
        assertThat(credits.balance("acme")).isEqualTo(7);
        assertThatThrownBy(() -> charge("k1", 4)).isInstanceOfSatisfying(CreditException.class,
                e -> assertThat(e.kind()).isEqualTo(CreditException.Kind.CONFLICT));
        assertThat(credits.grant("acme", 10, "g1", "test").balanceAfter()).as("a repeated grant is the first one").isEqualTo(10);
        assertThat(credits.ledger("acme")).extracting(LedgerEntry::balanceAfter).containsExactly(10L, 7L);
    }

    @Test
    void aChargeTheBalanceCannotCoverIsRefusedAndWritesNothing() {
        credits.grant("acme", 2, "g1", "test");
        assertThatThrownBy(() -> charge("k1", 3)).isInstanceOfSatisfying(CreditException.class,
                e -> assertThat(e.kind()).isEqualTo(CreditException.Kind.INSUFFICIENT));
        assertThat(credits.ledger("acme")).hasSize(1);
        assertThatThrownBy(() -> credits.grant("acme", 0, "g0", "test")).hasMessageContaining("positive");
        assertThatThrownBy(() -> credits.grant("acme", 5, "", "test")).hasMessageContaining("idempotency key");
    }

    @Test
    void concurrentChargesNeverTakeTheBalanceBelowZero() throws Exception {
        credits.grant("acme", 10, "g1", "test");
        AtomicInteger refused = new AtomicInteger();
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 16; i++) {
                String key = "k" + i;
                results.add(pool.submit((Callable<Boolean>) () -> {
                    try {
                        charge(key, 1);
                        return true;
                    } catch (CreditException e) {
                        assertThat(e.kind()).isEqualTo(CreditException.Kind.INSUFFICIENT);
                        refused.incrementAndGet();
                        return false;
                    }
                }));
            }
        }
        long charged = 0;
        for (Future<Boolean> result : results) {
            charged += result.get() ? 1 : 0;
        }
        assertThat(charged).isEqualTo(10);
        assertThat(refused).hasValue(6);
        assertThat(credits.balance("acme")).isZero();
        List<LedgerEntry> ledger = credits.ledger("acme");
        for (int i = 1; i < ledger.size(); i++) {
            assertThat(ledger.get(i).balanceAfter()).isEqualTo(ledger.get(i - 1).balanceAfter() + ledger.get(i).amount()).isNotNegative();
        }
    }

    @Test
    void theDefaultTenantIsProvisionedOnceAndAnAdminsLaterPlanStands() {
        credits.provision("acme", 100);
        assertThat(credits.tier("acme")).isEqualTo(Tier.STANDARD);
        credits.setTier("acme", Tier.FREE);
        credits.provision("acme", 100);
        assertThat(credits.tier("acme")).isEqualTo(Tier.FREE);
        assertThat(credits.balance("acme")).isEqualTo(100);
        assertThat(credits.ledger("acme")).hasSize(1);
    }
}
