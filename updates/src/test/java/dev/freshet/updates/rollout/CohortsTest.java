package dev.freshet.updates.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class CohortsTest {

    @Property
    void aUnitKeepsItsBucketAndBucketsAreZeroToNinetyNine(@ForAll String tenant, @ForAll String project) {
        int bucket = Cohorts.bucket(tenant, project);
        assertThat(bucket).isBetween(0, 99).isEqualTo(Cohorts.bucket(new String(tenant), new String(project)));
    }

    /**
     * Any run of 20,000 projects of one tenant fills the buckets evenly: each bucket's count is binomial
     * (n 20,000, p 1 %; 200 expected, standard deviation 14), so a uniform hash keeps every bucket within
     * 6 deviations (115 to 285) but for a chance of about 1 in 10^7 per run; a skewed hash does not.
     */
    @Property(tries = 20)
    void bucketsAreUniformOverManyKeys(@ForAll @IntRange(min = 0, max = 1_000_000) int start) {
        int[] counts = new int[100];
        for (int i = start; i < start + 20_000; i++) {
            counts[Cohorts.bucket("tenant-" + (start % 7), "project-" + i)]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(115, 285);
        }
    }

    /** A candidate at weight w serves about w % of units, and the units at 5 % are among those at 25 %: cohorts only grow. */
    @Example
    void aGrowingWeightKeepsEarlierCohorts() {
        int at5 = 0;
        int at25 = 0;
        for (int i = 0; i < 10_000; i++) {
            int bucket = Cohorts.bucket("acme", "p" + i);
            at5 += bucket < 5 ? 1 : 0;
            at25 += bucket < 25 ? 1 : 0;
        }
        assertThat(at5).isBetween(400, 600);
        assertThat(at25).isBetween(2_300, 2_700);
    }
}
