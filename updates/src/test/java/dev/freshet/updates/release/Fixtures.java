package dev.freshet.updates.release;

import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/** Rules and reports for the release tests, written inline; the clock for any test that moves time. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A one-rule Python document matching {@code pattern}, from the source "upstream". */
    public static AcceptedRule rule(String id, String pattern) {
        return rule(id, "upstream", """
                rules:
                - id: %s
                  message: found %s
                  severity: WARNING
                  languages: [python]
                  pattern: %s
                """.formatted(id, id, pattern));
    }

    static AcceptedRule rule(String id, String source, String yaml) {
        return new AcceptedRule(id, source, "rules/" + id + ".yaml", yaml, Hashes.sha256(yaml));
    }

    static GateReport accepted(List<AcceptedRule> rules) {
        return new GateReport(rules.stream()
                .map(r -> new Verdict(r.id(), r.source(), r.path(), Verdict.Outcome.ACCEPTED, "passed")).toList());
    }

    /** A clock the test moves by hand. */
    public static final class ManualClock extends Clock {
        private volatile Instant now;

        public ManualClock(Instant start) {
            this.now = start;
        }

        public void advance(long millis) {
            now = now.plusMillis(millis);
        }

        public void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
