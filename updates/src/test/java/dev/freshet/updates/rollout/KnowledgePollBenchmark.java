package dev.freshet.updates.rollout;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.OverrideChange;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one poll of an unchanged store costs a node, on a SQLite store holding an active release of
 * N rules with one override: the poll as it is (two numbers read) beside what a poll did before
 * (load the whole release, apply the overrides, fingerprint the rules). By hand, not a unit test:
 * <pre>
 * ./build -q -o -pl updates -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -cp updates/target/test-classes:updates/target/classes:engine/target/classes:$(cat updates/target/test.cp) \
 *     dev.freshet.updates.rollout.KnowledgePollBenchmark [rules=500] [polls=300]
 * </pre>
 */
public final class KnowledgePollBenchmark {
    private KnowledgePollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int ruleCount = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int polls = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path dir = Files.createTempDirectory("freshet-poll-bench-");
        try (Database database = Database.open(dir)) {
            ReleaseStore releases = new ReleaseStore(database);
            List<AcceptedRule> rules = new ArrayList<>();
            for (int i = 0; i < ruleCount; i++) {
                rules.add(ActiveKnowledgeTest.rule("rule-" + i, "f" + i + "(...)"));
            }
            Release release = releases.create(rules, new GateReport(List.of()));
            releases.activate(release.id(), Trigger.USER, "benchmark");
            Overrides overrides = new Overrides(database);
            overrides.add("rule-1", new OverrideChange.SetSeverity("INFO"));
            RuleCompiler compiler = new RuleCompiler(new RuleLoader(new PatternCompiler(new TreeSitterParser())), 10_000);
            try (ActiveKnowledge active = new ActiveKnowledge(releases, overrides, compiler, new KnowledgeHolder(Knowledge.EMPTY))) {
                active.refresh();
                for (int round = 0; round < 3; round++) { // the last round counts; the first ones warm the JIT
                    long start = System.nanoTime();
                    for (int i = 0; i < polls; i++) {
                        active.refresh();
                    }
                    double now = (System.nanoTime() - start) / 1e6 / polls;
                    start = System.nanoTime();
                    for (int i = 0; i < polls; i++) {
                        Release loaded = releases.active().orElseThrow();
                        List<AcceptedRule> effective = overrides.apply(loaded.rules());
                        String fingerprint = loaded.id() + effective.stream().map(AcceptedRule::sha256).reduce("", (a, b) -> a + b);
                        if (fingerprint.isEmpty()) {
                            throw new IllegalStateException();
                        }
                    }
                    double before = (System.nanoTime() - start) / 1e6 / polls;
                    System.out.printf(Locale.ROOT, "round %d: %d rules, %d polls: %.3f ms a poll now (two numbers), %.3f ms a poll"
                            + " as before (load, apply overrides, concatenate hashes)%n", round + 1, ruleCount, polls, now, before);
                }
            }
        }
    }
}
