package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.testing.RuleTestResult;
import dev.freshet.engine.testing.RuleTestRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules Freshet ships pass their own tests, every one of them. */
class StarterRulesTest {
    @Test
    void everyStarterRulePassesItsTests() throws IOException {
        Engine engine = Engine.create();
        List<RuleTestResult> results = new RuleTestRunner(engine.loader(), engine.scanner(1, Duration.ofSeconds(30), false))
                .run(Path.of("..", "rules"), result -> { });
        assertThat(results).hasSizeGreaterThanOrEqualTo(10);
        assertThat(results).allSatisfy(result ->
                assertThat(result.status()).as(result.ruleId() + ": " + result.reason()).isEqualTo(RuleTestResult.Status.PASSED));
    }
}
