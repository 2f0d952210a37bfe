package dev.freshet.updates.rollout;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running engine's knowledge in step with the store: whenever the active release (or the
 * local overrides) change, by whatever process, the next snapshot is compiled off to the side and
 * swapped in whole. Scans that took the old snapshot finish on it.
 */
public final class ActiveKnowledge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveKnowledge.class);

    private final ReleaseStore releases;
    private final Overrides overrides;
    private final RuleCompiler compiler;
    private final KnowledgeHolder holder;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "freshet-knowledge");
        thread.setDaemon(true);
        return thread;
    });
    /** The store's change counters the current snapshot was built at; null before the first build. */
    private volatile Versions builtAt;
    /** What the current snapshot was built from: release id and the effective rules' hashes. */
    private volatile String builtFrom = "";

    /** Two numbers that change with the active release and with the overrides: cheap to poll. */
    private record Versions(long activationSeq, long overrides) {
    }

    public ActiveKnowledge(ReleaseStore releases, Overrides overrides, RuleCompiler compiler, KnowledgeHolder holder) {
        this.releases = releases;
        this.overrides = overrides;
        this.compiler = compiler;
        this.holder = holder;
    }

    public KnowledgeHolder holder() {
        return holder;
    }

    /**
     * Brings the snapshot up to date now; returns whether it changed. Only when the activation
     * history or the overrides have changed since the last build is the release loaded, so a
     * poll of an unchanged store reads two numbers, and drifted overrides are logged once per change.
     */
    public synchronized boolean refresh() {
        // Read before the content: a change in between is seen again at the next refresh.
        Versions now = new Versions(releases.latestSeq(), overrides.version());
        if (now.equals(builtAt)) {
            return false;
        }
        Optional<Release> active = releases.active();
        if (active.isEmpty()) {
            builtAt = now;
            return false;
        }
        Release release = active.get();
        List<AcceptedRule> effective = overrides.applyWithReport(release.rules()).rules();
        String source = release.id() + String.join("", effective.stream().map(AcceptedRule::sha256).toList());
        if (source.equals(builtFrom)) {
            builtAt = now;
            return false;
        }
        RuleCompiler.Result result = compiler.compile(release.id(), documents(effective));
        result.problems().forEach(p -> LOG.warn("release {}: rule left out: {}", ReleaseStore.shortId(release.id()), p));
        Knowledge previous = holder.swap(result.knowledge());
        builtFrom = source;
        builtAt = now;
        LOG.info("knowledge swapped from release {} to {} ({} rules)", ReleaseStore.shortId(previous.releaseId()),
                ReleaseStore.shortId(release.id()), result.knowledge().rules().size());
        return true;
    }

    /** Released rules as the engine compiles them, each named after its source and path. */
    public static List<RuleCompiler.RuleDocument> documents(List<AcceptedRule> rules) {
        return rules.stream().map(r -> new RuleCompiler.RuleDocument(r.sha256(), r.source() + "/" + r.path(), r.yaml())).toList();
    }

    /** Follows the store from now on, looking every {@code interval}. */
    public void follow(Duration interval) {
        poller.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                LOG.warn("could not refresh knowledge from the store; keeping the current snapshot", e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
