package dev.freshet.updates.community;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.rules.YamlInput;
import dev.freshet.engine.scan.Fingerprint;
import dev.freshet.updates.community.Contribution.ContributedFile;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.release.LocalOverride;
import dev.freshet.updates.release.OverrideChange;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.PlanOverride;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SourceRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Rule patches from feedback. False-positive examples become {@code pattern-not}s that exclude
 * them; false negatives become added patterns. The patched rule goes to the gate as a contribution
 * whose test file is the rule's own tests plus the feedback, annotated: every confirmed true
 * positive and missed finding {@code ruleid:}, every false positive {@code ok:}. So the gate accepts
 * it only if it still passes its own tests, no longer matches the false positives, still matches the
 * true positives and stays within its budgets. An accepted patch is published into the community
 * source and released by a check of that source whose rollout starts in shadow.
 */
public final class RulePatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RulePatcher.class);
    /** The newest verdicts of each kind a patch is made from. */
    static final int MAX_EXAMPLES = 500;
    /** Distinct codes a patch excludes or adds at most: more is a rewrite, not a patch. */
    static final int MAX_CHANGES = 25;
    /** The keys that hold a rule's top-level formula. */
    private static final List<String> FORMULA_KEYS = List.of("pattern", "pattern-either", "patterns", "pattern-regex");

    /** What was proposed and what became of it. */
    public record Proposal(String ruleId, Contribution contribution, int falsePositives, int missed, int truePositives,
                           Optional<String> releaseId) {
        public boolean accepted() {
            return contribution.state() == Contribution.State.APPROVED;
        }
    }

    private final ReleaseStore releases;
    private final SourceRegistry sources;
    private final FeedbackStore feedback;
    private final Contributions contributions;
    private final Updater updater;

    public RulePatcher(ReleaseStore releases, SourceRegistry sources, FeedbackStore feedback, Contributions contributions, Updater updater) {
        this.releases = releases;
        this.sources = sources;
        this.feedback = feedback;
        this.contributions = contributions;
        this.updater = updater;
    }

    /**
     * Proposes a patch of the active rule from its feedback; empty when there is nothing to patch
     * (no false positives nor missed findings with code) or the rule's language has no test files.
     *
     * @param release whether an accepted patch is released at once (a check of the community source, shadow first)
     */
    public Optional<Proposal> propose(String ruleId, boolean release) {
        Release active = releases.active().orElseThrow(() -> new CommunityException("no release is active; nothing to patch"));
        AcceptedRule rule = active.rules().stream().filter(r -> r.id().equals(ruleId)).findFirst()
                .orElseThrow(() -> new CommunityException(CommunityException.Kind.NOT_FOUND, "rule '" + ruleId + "' is not in the active release"));
        Optional<Language> language = language(rule);
        if (language.isEmpty() || language.get().extensions().isEmpty() || language.get().lineComment() == null) {
            return Optional.empty();
        }
        List<FeedbackRecord> falsePositives = feedback.examples(ruleId, FeedbackVerdict.FALSE_POSITIVE, MAX_EXAMPLES);
        List<FeedbackRecord> truePositives = feedback.examples(ruleId, FeedbackVerdict.TRUE_POSITIVE, MAX_EXAMPLES);
        List<FeedbackRecord> missed = feedback.examples(ruleId, FeedbackVerdict.FALSE_NEGATIVE, MAX_EXAMPLES);
        // Code more tenants call false than right is excluded, code more call right is confirmed; a tenant votes once, so a flood
        // from one tenant is one vote.
        Map<String, Set<String>> calledFalse = tenantsByCode(falsePositives);
        Map<String, Set<String>> calledRight = tenantsByCode(truePositives);
        Set<String> wrong = limited(calledFalse.keySet().stream()
                .filter(code -> calledFalse.get(code).size() > calledRight.getOrDefault(code, Set.of()).size()));
        Set<String> confirmed = limited(calledRight.keySet().stream()
                .filter(code -> calledRight.get(code).size() > calledFalse.getOrDefault(code, Set.of()).size()));
        Set<String> added = limited(codes(missed).stream().filter(code -> !wrong.contains(code)));
        if (wrong.isEmpty() && added.isEmpty()) {
            return Optional.empty();
        }
        String patched = patch(rule, wrong, added);
        Language lang = language.get();
        String extension = lang.extensions().getFirst();
        String tests = ownTests(rule, "." + extension) + annotated(ruleId, lang.lineComment(), confirmed, added, wrong);
        String base = ruleId.replaceAll("[^A-Za-z0-9._-]", "_");
        List<Long> feedbackIds = Stream.concat(falsePositives.stream(), missed.stream()).map(FeedbackRecord::id).toList();
        NewContribution contribution = new NewContribution(ContributionKind.RULE_PATCH, "patch of " + ruleId + " from feedback: "
                + wrong.size() + " false positive(s) excluded, " + added.size() + " missed finding(s) added", "MIT",
                List.of(new ContributedFile(base + ".yaml", patched), new ContributedFile(base + "." + extension, tests)));
        Contribution submitted = contributions.submitPatch(contribution, feedbackIds);
        Optional<String> released = Optional.empty();
        if (submitted.state() == Contribution.State.APPROVED && release) {
            Updater.CheckResult result = updater.check(Trigger.AUTOMATIC, Contributions.SOURCE::equals, shadowFirst());
            released = result.release().map(Release::id);
        }
        LOG.info("patch of rule {} from {} false positive(s) and {} missed: {}{}", ruleId, wrong.size(), added.size(), submitted.state(),
                submitted.gateReasons().isEmpty() ? "" : " " + submitted.gateReasons());
        return Optional.of(new Proposal(ruleId, submitted, wrong.size(), added.size(), confirmed.size(), released));
    }

    /** The policy's rollout plan with a shadow step first (the default plan when the policy has none). */
    private static PlanOverride shadowFirst() {
        List<String> steps = new ArrayList<>(RolloutPlan.DEFAULT.steps());
        if (!steps.getFirst().equals("shadow")) {
            steps.addFirst("shadow");
        }
        return new PlanOverride.Steps(steps, null);
    }

    /** The rule with a pattern-not per false positive and its formula widened by each missed finding. */
    static String patch(AcceptedRule rule, Set<String> falsePositives, Set<String> missed) {
        AcceptedRule current = rule;
        if (!missed.isEmpty()) {
            current = withAddedPatterns(current, missed);
        }
        List<LocalOverride> exclusions = falsePositives.stream()
                .map(code -> new LocalOverride(0, rule.id(), new OverrideChange.AddPatternNot(code), null, Instant.EPOCH)).toList();
        return Overrides.apply(List.of(current), exclusions).rules().getFirst().yaml();
    }

    private static AcceptedRule withAddedPatterns(AcceptedRule rule, Set<String> missed) {
        Object document = YamlInput.load(rule.yaml());
        Map<String, Object> target = ruleIn(document, rule.id()).orElseThrow();
        String key = FORMULA_KEYS.stream().filter(target::containsKey).findFirst()
                .orElseThrow(() -> new CommunityException("rule '" + rule.id() + "' has no top-level pattern to widen"));
        List<Object> either = new ArrayList<>();
        either.add(new LinkedHashMap<>(Map.of(key, target.get(key))));
        missed.forEach(code -> either.add(new LinkedHashMap<>(Map.of("pattern", code))));
        Map<String, Object> copy = new LinkedHashMap<>(target);
        target.clear();
        copy.forEach((k, v) -> target.put(k.equals(key) ? "pattern-either" : k, k.equals(key) ? either : v));
        String yaml = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(document);
        return new AcceptedRule(rule.id(), rule.source(), rule.path(), yaml, rule.sha256());
    }

    /** Each example on its own lines, annotated for the rule test runner. */
    static String annotated(String ruleId, String comment, Set<String> truePositives, Set<String> missed, Set<String> falsePositives) {
        StringBuilder text = new StringBuilder("\n");
        Stream.concat(truePositives.stream(), missed.stream())
                .forEach(code -> text.append(comment).append(" ruleid: ").append(ruleId).append('\n').append(code).append('\n'));
        falsePositives.forEach(code -> text.append(comment).append(" ok: ").append(ruleId).append('\n').append(code).append('\n'));
        return text.toString();
    }

    /** The rule's own test file of this extension, when its source is a directory on this machine; else nothing. */
    private String ownTests(AcceptedRule rule, String extension) {
        return sources.find(rule.source()).map(SourceRegistry.Entry::source)
                .filter(LocalDirectorySource.class::isInstance).map(LocalDirectorySource.class::cast)
                .map(local -> local.dir().resolve(rule.path().substring(0, rule.path().lastIndexOf('.')) + extension))
                .filter(Files::isRegularFile)
                .map(RulePatcher::read).orElse("");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            LOG.warn("cannot read the rule's own tests {}: {}", file, e.getMessage());
            return "";
        }
    }

    private static Set<String> limited(Stream<String> codes) {
        return codes.limit(MAX_CHANGES).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The tenants that gave each (normalized) code, codes in the order given. */
    private static Map<String, Set<String>> tenantsByCode(List<FeedbackRecord> records) {
        Map<String, Set<String>> tenants = new LinkedHashMap<>();
        records.stream().filter(r -> !Fingerprint.normalizedCode(r.code()).isEmpty())
                .forEach(r -> tenants.computeIfAbsent(Fingerprint.normalizedCode(r.code()), code -> new HashSet<>()).add(r.tenant()));
        return tenants;
    }

    /** Distinct examples, one line each (the whitespace a fingerprint ignores collapsed), in the order given. */
    private static Set<String> codes(List<FeedbackRecord> records) {
        Set<String> codes = new LinkedHashSet<>();
        records.stream().map(r -> Fingerprint.normalizedCode(r.code())).filter(code -> !code.isEmpty()).forEach(codes::add);
        return codes;
    }

    private static Optional<Language> language(AcceptedRule rule) {
        try {
            return ruleIn(YamlInput.load(rule.yaml()), rule.id()).map(r -> r.get("languages"))
                    .filter(List.class::isInstance).flatMap(l -> ((List<?>) l).stream().findFirst())
                    .flatMap(name -> Language.byName(String.valueOf(name)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The rule of this id in a parsed rule document ({@code rules:} list), as a mutable map. */
    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> ruleIn(Object document, String ruleId) {
        if (document instanceof Map<?, ?> top && top.get("rules") instanceof List<?> list) {
            return list.stream().filter(r -> r instanceof Map<?, ?> m && ruleId.equals(String.valueOf(m.get("id"))))
                    .map(r -> (Map<String, Object>) r).findFirst();
        }
        return Optional.empty();
    }
}
