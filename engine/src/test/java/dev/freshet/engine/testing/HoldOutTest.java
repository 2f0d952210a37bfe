package dev.freshet.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HoldOutTest {

    /**
     * The split is a function of the path alone, the same on every machine: buckets computed apart
     * (Python's hashlib: the first 32 bits of SHA-256, modulo 100) pin it.
     */
    @Test
    void aPathIsInTheBucketItsHashNames() {
        assertThat(HoldOut.DEFAULT.isHeldOut("go/x.yaml")).isTrue(); // bucket 0
        assertThat(HoldOut.DEFAULT.isHeldOut("python/flask/debug.yaml")).isFalse(); // bucket 83
        assertThat(new HoldOut(39).isHeldOut("terraform/aws/a.yaml")).isTrue(); // bucket 38
        assertThat(new HoldOut(38).isHeldOut("terraform/aws/a.yaml")).isFalse();
    }

    @Test
    void aboutTheGivenShareIsHeldOut() {
        long heldOut = IntStream.range(0, 10_000).filter(i -> HoldOut.DEFAULT.isHeldOut("lang/rule-" + i + ".yaml")).count();
        assertThat(heldOut).isBetween(1_800L, 2_200L);
        assertThat(IntStream.range(0, 1_000).filter(i -> new HoldOut(0).isHeldOut("r" + i)).count()).isZero();
        assertThat(IntStream.range(0, 1_000).filter(i -> new HoldOut(100).isHeldOut("r" + i)).count()).isEqualTo(1_000);
    }

    @Test
    void aShareOutsideZeroToHundredIsRefused() {
        assertThatThrownBy(() -> new HoldOut(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HoldOut(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
