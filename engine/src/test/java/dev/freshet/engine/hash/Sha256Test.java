package dev.freshet.engine.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The digests handed out are copies of one prototype: each must start empty and stay apart from the others. */
class Sha256Test {
    @Test
    void matchesTheStandardsTestVectors() {
        // FIPS 180-2, appendix B.1 and the empty message.
        assertThat(Sha256.hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Sha256.hex("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void digestsHashedInPartsDoNotShareState() {
        MessageDigest first = Sha256.digest();
        MessageDigest second = Sha256.digest();
        first.update("ab".getBytes(StandardCharsets.UTF_8));
        second.update("xyz".getBytes(StandardCharsets.UTF_8));
        first.update("c".getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(first.digest())).isEqualTo(Sha256.hex("abc"));
        assertThat(HexFormat.of().formatHex(second.digest())).isEqualTo(Sha256.hex("xyz"));
        assertThat(HexFormat.of().formatHex(Sha256.digest().digest())).as("a new copy starts empty").isEqualTo(Sha256.hex(""));
    }

    @Test
    void copiesMadeOnManyThreadsAtOnceAgree() {
        List<String> hashes = IntStream.range(0, 2_000).parallel().mapToObj(i -> Sha256.hex("text " + (i % 7))).toList();
        assertThat(IntStream.range(0, 2_000).mapToObj(i -> hashes.get(i).equals(Sha256.hex("text " + (i % 7))))).containsOnly(true);
    }
}
