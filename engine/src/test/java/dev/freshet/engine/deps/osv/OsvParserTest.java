package dev.freshet.engine.deps.osv;

import dev.freshet.engine.deps.Advisory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.deps.version.Ecosystem;
import org.junit.jupiter.api.Test;

class OsvParserTest {
    @Test
    void readsJsonRecords() {
        OsvParser.Result result = OsvParser.parse("""
                {"id": "GHSA-xxxx-yyyy-zzzz", "aliases": ["CVE-2024-0001"], "summary": "bad thing",
                 "modified": "2024-05-01T12:00:00Z",
                 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
                               "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]},
                              {"package": {"ecosystem": "Hackage", "name": "unknown-to-us"}}]}
                """, false);
        assertThat(result).isInstanceOf(OsvParser.Result.Parsed.class);
        Advisory record = ((OsvParser.Result.Parsed) result).record();
        assertThat(record.ids()).containsExactly("GHSA-xxxx-yyyy-zzzz", "CVE-2024-0001");
        assertThat(record.affected()).singleElement().satisfies(pkg -> {
            assertThat(pkg.ecosystem()).isEqualTo(Ecosystem.NPM);
            assertThat(pkg.affects("1.2.9")).isTrue();
            assertThat(pkg.affects("1.3.0")).isFalse();
        });
        assertThat(record.severityVectors()).singleElement().asString().startsWith("CVSS:3.1");
        assertThat(record.isWithdrawn()).isFalse();
    }

    @Test
    void readsYamlRecordsKeepingVersionsAsText() {
        OsvParser.Result result = OsvParser.parse("""
                id: PYSEC-2099-1
                modified: 2024-01-01T00:00:00Z
                withdrawn: 2024-02-01T00:00:00Z
                affected:
                - package:
                    ecosystem: PyPI
                    name: example
                  versions:
                  - 1.10
                """, true);
        Advisory record = ((OsvParser.Result.Parsed) result).record();
        assertThat(record.affected().get(0).versions()).containsExactly("1.10");
        assertThat(record.affected().get(0).affects("1.10")).isTrue();
        assertThat(record.affected().get(0).affects("1.1")).isFalse();
        assertThat(record.isWithdrawn()).isTrue();
    }

    @Test
    void brokenRecordsAreRejectedWithAReason() {
        assertThat(OsvParser.parse("{\"id\": \"X\"", false)).isInstanceOfSatisfying(OsvParser.Result.Rejected.class,
                r -> assertThat(r.reason()).startsWith("not valid JSON"));
        assertThat(OsvParser.parse("[1, 2]", false)).isInstanceOfSatisfying(OsvParser.Result.Rejected.class,
                r -> assertThat(r.reason()).contains("expected an object"));
        assertThat(OsvParser.parse("{\"modified\": \"2024-01-01T00:00:00Z\"}", false))
                .isInstanceOfSatisfying(OsvParser.Result.Rejected.class, r -> assertThat(r.reason()).isEqualTo("missing 'id'"));
        assertThat(OsvParser.parse("{\"id\": \"X\", \"modified\": \"yesterday\"}", false))
                .isInstanceOfSatisfying(OsvParser.Result.Rejected.class, r -> assertThat(r.reason()).contains("'modified'"));
        assertThat(OsvParser.parse("""
                {"id": "X", "modified": "2024-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "npm", "name": "a"},
                 "ranges": [{"type": "SEMVER", "events": [{"fixed": "1.0.0"}]}]}]}""", false))
                .isInstanceOfSatisfying(OsvParser.Result.Rejected.class, r -> assertThat(r.reason()).contains("no 'introduced'"));
        assertThat(OsvParser.parse("a: &a [*a, *a]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]", true))
                .isInstanceOf(OsvParser.Result.Rejected.class);
    }
}
