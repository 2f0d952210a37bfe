package dev.freshet.updates.cluster;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoreLocation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/** One Freshet node as the service wires it: its own store connection, releases, overrides and engine snapshot. */
record Node(Database database, ReleaseStore releases, Overrides overrides, ActiveKnowledge knowledge,
            KnowledgeFollower follower) implements AutoCloseable {

    static Node start(StoreLocation location, Duration pollInterval) {
        Database database = Database.open(location);
        ReleaseStore releases = new ReleaseStore(database);
        Overrides overrides = new Overrides(database);
        ActiveKnowledge knowledge = new ActiveKnowledge(releases, overrides,
                new RuleCompiler(new RuleLoader(new PatternCompiler(new TreeSitterParser())), 100_000),
                new KnowledgeHolder(Knowledge.EMPTY));
        return new Node(database, releases, overrides, knowledge, KnowledgeFollower.start(database, knowledge, pollInterval));
    }

    String liveRelease() {
        return knowledge.holder().current().releaseId();
    }

    /** Waits up to {@code limit} for this node's engine to run on {@code releaseId}; returns the nanoseconds waited, or -1. */
    long awaitRelease(String releaseId, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (!releaseId.equals(liveRelease())) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            Thread.sleep(0, 200_000);
        }
        return System.nanoTime() - start;
    }

    @Override
    public void close() {
        follower.close();
        knowledge.close();
        database.close();
    }

    /** {@code count} Python rules, named {@code prefix-i}. */
    static List<AcceptedRule> rules(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> rule(prefix + "-" + i, "eval" + i + "(...)")).toList();
    }

    static AcceptedRule rule(String id, String pattern) {
        String yaml = """
                rules:
                  - id: %s
                    message: found
                    severity: ERROR
                    languages: [python]
                    pattern: %s
                """.formatted(id, pattern);
        try {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8)));
            return new AcceptedRule(id, "test", id + ".yaml", yaml, sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
