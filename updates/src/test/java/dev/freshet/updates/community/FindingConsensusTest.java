package dev.freshet.updates.community;

import static dev.freshet.updates.community.FeedbackVerdict.FALSE_POSITIVE;
import static dev.freshet.updates.community.FeedbackVerdict.TRUE_POSITIVE;
import static dev.freshet.updates.community.FeedbackVerdict.WONT_FIX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.community.FindingConsensus.Votes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The consensus on one finding: tenants vote, weighed by their contributors' reputation. */
class FindingConsensusTest {
    private static final ToDoubleFunction<String> EVEN = contributor -> Reputation.START;

    private static Votes vote(String tenant, String contributor, FeedbackVerdict verdict, int count) {
        return new Votes("fp-1", tenant, contributor, verdict, count);
    }

    @Test
    void twoTenantsAgreeingAreAConsensusOneIsNot() {
        assertThat(FindingConsensus.of(List.of(vote("a", "a1", TRUE_POSITIVE, 1)), EVEN)).isEmpty();
        assertThat(FindingConsensus.of(List.of(vote("a", "a1", TRUE_POSITIVE, 1), vote("b", "b1", TRUE_POSITIVE, 1)), EVEN))
                .contains(TRUE_POSITIVE);
        assertThat(FindingConsensus.of(List.of(vote("a", "a1", TRUE_POSITIVE, 1), vote("b", "b1", FALSE_POSITIVE, 1)), EVEN))
                .as("split evenly").isEmpty();
    }

    @Test
    void oneTenantsManyKeysAndReportsAreOneVoice() {
        List<Votes> flood = new ArrayList<>();
        for (int k = 0; k < 50; k++) {
            flood.add(vote("mallory", "mallory-k" + k, FALSE_POSITIVE, 1000));
        }
        assertThat(FindingConsensus.of(flood, EVEN)).as("one tenant alone").isEmpty();
        flood.add(vote("a", "a1", TRUE_POSITIVE, 1));
        flood.add(vote("b", "b1", TRUE_POSITIVE, 1));
        assertThat(FindingConsensus.of(flood, EVEN)).as("two honest tenants against the flooding one").contains(TRUE_POSITIVE);
    }

    @Test
    void lowStandingWeighsLittleAndHighStandingDoesNotOutvote() {
        List<Votes> votes = List.of(vote("a", "a1", FALSE_POSITIVE, 1), vote("b", "b1", FALSE_POSITIVE, 1),
                vote("c", "c1", TRUE_POSITIVE, 1), vote("d", "d1", TRUE_POSITIVE, 1));
        assertThat(FindingConsensus.of(votes, EVEN)).isEmpty();
        assertThat(FindingConsensus.of(votes, weights(Map.of("a1", 0.1, "b1", 0.1)))).as("distrusted contributors").contains(TRUE_POSITIVE);
        assertThat(FindingConsensus.of(votes, weights(Map.of("c1", 5.0, "d1", 5.0)))).as("a tenant weighs at most 1").isEmpty();
    }

    @Test
    void eachContributorVotesTheirMostFrequentVerdictAndWontFixDoesNotVote() {
        List<Votes> votes = List.of(vote("a", "a1", TRUE_POSITIVE, 3), vote("a", "a1", FALSE_POSITIVE, 1),
                vote("b", "b1", TRUE_POSITIVE, 1), vote("c", "c1", WONT_FIX, 9));
        assertThat(FindingConsensus.of(votes, EVEN)).contains(TRUE_POSITIVE);
        assertThat(FindingConsensus.of(List.of(vote("a", "a1", WONT_FIX, 5), vote("b", "b1", WONT_FIX, 5)), EVEN)).isEqualTo(Optional.empty());
    }

    private static ToDoubleFunction<String> weights(Map<String, Double> weights) {
        return contributor -> weights.getOrDefault(contributor, Reputation.START);
    }
}
