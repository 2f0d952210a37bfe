package dev.freshet.updates.generation;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.Stack;
import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.hash.Sha256;
import dev.freshet.engine.parse.Language;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.feeds.AdvisoryStore;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutEngine;
import dev.freshet.updates.rollout.RolloutPlan;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code research_maintenance}: turns recent CVEs into global code rules. A CVE is relevant when one
 * of its CWEs is a weakness the generator knows and a package it affects is a framework of a
 * supported stack (Express, Flask, Gin...); for each framework and weakness one rule is made through
 * the generation loop, listing every CVE that motivated it in its metadata ({@code cve}). The rules
 * join the active release of {@code rules} (replacing their previous versions) and the candidate goes
 * out through the rollout engine with the policy's plan, like any update.
 */
public final class ResearchMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(ResearchMaintenance.class);
    /** Where research rules come from, as releases name their rules' sources. */
    public static final String SOURCE = "research";
    /** CVEs published or changed this long ago or less are read. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    /** Weekly, Monday 03:00. */
    public static final String SCHEDULE = "0 0 3 * * MON";
    private static final Map<Ecosystem, Language> LANGUAGE = Map.of(Ecosystem.NPM, Language.JAVASCRIPT, Ecosystem.PYPI, Language.PYTHON,
            Ecosystem.GO, Language.GO, Ecosystem.MAVEN, Language.JAVA);

    private final Jdbi jdbi;
    private final AdvisoryStore advisories;
    private final GenerationLoop loop;
    private final Generators generators;
    private final ReleaseStore releases;
    private final RolloutEngine rollouts;
    private final Clock clock;

    public ResearchMaintenance(Jdbi jdbi, AdvisoryStore advisories, GenerationLoop loop, Generators generators, ReleaseStore releases,
                               RolloutEngine rollouts, Clock clock) {
        this.jdbi = jdbi;
        this.advisories = advisories;
        this.loop = loop;
        this.generators = generators;
        this.releases = releases;
        this.rollouts = rollouts;
        this.clock = clock;
    }

    /**
     * What a run did.
     *
     * @param relevant  the CVEs that led to a rule, by rule id
     * @param releaseId the release made, or null when no rule validated
     * @param rolloutId the rollout started, or null when the release went live at once (or none was made)
     */
    public record Report(int advisoriesRead, Map<String, List<String>> relevant, List<RuleOutcome> rules, String releaseId, Long rolloutId) {
    }

    public Report run(Duration window, Optional<RolloutPlan> plan) throws IOException {
        Instant since = clock.instant().minus(window);
        List<Advisory> recent = advisories.loadAll().stream()
                .filter(a -> a.withdrawn() == null && a.ids().stream().anyMatch(id -> id.startsWith("CVE-")))
                .filter(a -> (a.published() != null && a.published().isAfter(since)) || (a.modified() != null && a.modified().isAfter(since)))
                .toList();
        Map<String, Target> targets = new LinkedHashMap<>();
        Map<String, Set<String>> cvesByRule = new LinkedHashMap<>();
        for (Advisory advisory : recent) {
            for (Target target : targets(advisory)) {
                targets.putIfAbsent(target.ruleId(), target);
                cvesByRule.computeIfAbsent(target.ruleId(), k -> new TreeSet<>())
                        .addAll(advisory.ids().stream().filter(id -> id.startsWith("CVE-")).toList());
            }
        }
        Generator generator = generators.forClass(generators.defaultClass());
        List<RuleOutcome> outcomes = new ArrayList<>();
        List<AcceptedRule> made = new ArrayList<>();
        for (Target target : targets.values()) {
            Target answering = target.answering(List.copyOf(cvesByRule.get(target.ruleId())));
            RuleOutcome outcome = loop.make(generator, answering, stackOf(answering));
            outcomes.add(outcome);
            if (outcome.validated()) {
                made.add(new AcceptedRule(outcome.id(), SOURCE, outcome.id() + ".yaml", outcome.yaml(), Sha256.hex(outcome.yaml())));
            }
        }
        Map<String, List<String>> relevant = new LinkedHashMap<>();
        cvesByRule.forEach((rule, cves) -> relevant.put(rule, List.copyOf(cves)));
        if (made.isEmpty()) {
            LOG.info("research_maintenance: {} recent CVE(s) read, {} rule(s) tried, none released", recent.size(), outcomes.size());
            return new Report(recent.size(), relevant, outcomes, null, null);
        }
        Release release = release(made);
        Optional<Rollout> rollout = rollouts.start(release.id(), plan, "research_maintenance: rules for " + relevant.values().stream()
                .flatMap(List::stream).distinct().sorted().toList());
        jdbi.useTransaction(h -> EventLog.append(h, clock.instant(), EventType.RESEARCH_RULES_RELEASED, release.id(), null,
                Map.of("rules", made.stream().map(AcceptedRule::id).toList(), "cves", relevant)));
        LOG.info("research_maintenance: {} recent CVE(s), {} rule(s) validated, release {} {}", recent.size(), made.size(),
                ReleaseStore.shortId(release.id()), rollout.isPresent() ? "rolling out" : "live");
        return new Report(recent.size(), relevant, outcomes, release.id(), rollout.map(Rollout::id).orElse(null));
    }

    /** The targets a CVE is relevant to: its known weaknesses in the frameworks among its affected packages. */
    static List<Target> targets(Advisory advisory) {
        Set<Weakness> weaknesses = EnumSet.noneOf(Weakness.class);
        advisory.cwes().forEach(cwe -> Weakness.ofCwe(cwe).ifPresent(weaknesses::add));
        if (weaknesses.isEmpty() || advisory.affected().isEmpty()) {
            return List.of();
        }
        List<Dependency> packages = advisory.affected().stream()
                .map(p -> new Dependency(p.ecosystem(), p.name(), "", null, 0)).toList();
        Stack stack = Stack.detect(List.of(), List.of(), packages);
        Set<Language> languages = EnumSet.noneOf(Language.class);
        for (AffectedPackage affected : advisory.affected()) {
            Optional.ofNullable(LANGUAGE.get(affected.ecosystem())).ifPresent(languages::add);
        }
        Stack supported = new Stack(languages, stack.ecosystems(), stack.frameworks(), stack.libraries());
        return Templates.fitting(supported, SOURCE + ".").stream().filter(t -> weaknesses.contains(t.weakness())).toList();
    }

    private static Stack stackOf(Target target) {
        return new Stack(Set.of(target.language()), Set.of(), Set.of(target.framework()), Set.of());
    }

    /** The active release of {@code rules} with these rules added or replaced; the gate report records both. */
    private Release release(List<AcceptedRule> made) {
        Set<String> ids = new TreeSet<>(made.stream().map(AcceptedRule::id).toList());
        List<AcceptedRule> rules = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        releases.active(Track.RULES).ifPresent(active -> active.rules().stream().filter(r -> !ids.contains(r.id())).forEach(rules::add));
        rules.addAll(made);
        for (AcceptedRule rule : rules) {
            verdicts.add(new Verdict(rule.id(), rule.source(), rule.path(), Verdict.Outcome.ACCEPTED,
                    ids.contains(rule.id()) ? "validated on its vulnerable and safe examples and the gate's budgets" : "kept from the active release"));
        }
        return releases.create(Track.RULES, rules, new GateReport(verdicts, List.of()), Map.of());
    }
}
