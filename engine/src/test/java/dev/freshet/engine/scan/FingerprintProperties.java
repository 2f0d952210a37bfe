package dev.freshet.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Stored feedback names findings by fingerprint: the code's normal form must not change from one version to the next. */
class FingerprintProperties {
    /** The normal form as first defined: stripped, each run of the regular expression's whitespace one space. */
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+");

    @Provide
    Arbitrary<String> code() {
        // Every whitespace of \s, and whitespace that strip() removes at the ends but \s does not match inside.
        return Arbitraries.strings().withChars("ab( \t\n\u000b\f\r\u001c\u2003\u00a0").ofMaxLength(40);
    }

    @Property(tries = 1000)
    void normalizesAsTheRegularExpressionDid(@ForAll("code") String code) {
        assertThat(Fingerprint.normalizedCode(code)).isEqualTo(WHITESPACE_RUN.matcher(code.strip()).replaceAll(" "));
    }

    @Example
    void aFingerprintIsStableAcrossLayout() {
        assertThat(Fingerprint.of("r", "a.py", "f(a,\n    b)")).isEqualTo(Fingerprint.of("r", "a.py", "  f(a, \t b)\n"))
                .hasSize(32).isNotEqualTo(Fingerprint.of("r", "a.py", "f(a,b)"));
        assertThat(Fingerprint.normalizedCode(null)).isEmpty();
    }
}
