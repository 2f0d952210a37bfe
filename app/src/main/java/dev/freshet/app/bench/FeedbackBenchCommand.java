package dev.freshet.app.bench;

import dev.freshet.app.JsonOutput;
import dev.freshet.app.Parts;
import dev.freshet.app.Settings;
import dev.freshet.app.UserError;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.Fingerprint;
import dev.freshet.updates.community.Community;
import dev.freshet.updates.community.FeedbackProcessor;
import dev.freshet.updates.community.FeedbackVerdict;
import dev.freshet.updates.community.Giver;
import dev.freshet.updates.community.NewFeedback;
import dev.freshet.updates.community.Probation;
import dev.freshet.updates.community.RuleHealth;
import dev.freshet.updates.community.RulePatcher;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SourceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The feedback simulation: a rule set with known good and noisy rules is released through the real
 * gate, a generated Python corpus is scanned by the engine, and simulated users judge the findings
 * through the feedback store: honest ones (right nine times in ten, sometimes "won't fix", some
 * reporting a missed finding) and adversaries (one tenant flooding a good rule with false-positive
 * reports from five keys, two more hidden in honest tenants). Feedback is processed in rounds, as the
 * schedule would; then patches are proposed for the rules on probation and those with missed
 * findings, and one batch over {@code --records} feedback records is timed.
 */
@Command(name = "feedback", mixinStandardHelpOptions = true,
        header = "Simulate honest and adversarial feedback on a corpus; print probation accuracy, patches and batch time.",
        footer = {"", "Example:", "  freshet bench feedback --json"})
public final class FeedbackBenchCommand implements Callable<Integer> {
    /** The rule flooded by the adversaries. */
    private static final String FLOODED = "bench-eval";

    /** A rule of the set: its pattern, whether it is noisy by construction, and its test file. */
    private record BenchRule(String id, String pattern, boolean noisy, String test) {
    }

    /** A line of the corpus and what it really is for its rule. */
    private record Template(String rule, String code, boolean truePositive) {
    }

    private static final List<BenchRule> RULES = List.of(
            new BenchRule(FLOODED, "eval(...)", false, "# ruleid: bench-eval\neval(user_input)\n"),
            new BenchRule("bench-pickle", "pickle.loads(...)", false, "# ruleid: bench-pickle\npickle.loads(blob)\n"),
            new BenchRule("bench-system", "os.system(...)", false, "# ruleid: bench-system\nos.system(cmd)\n"),
            new BenchRule("bench-yaml", "yaml.load(...)", false, "# ruleid: bench-yaml\nyaml.load(doc)\n"),
            new BenchRule("bench-print", "print(...)", true, "# ruleid: bench-print\nprint(password)\n"),
            new BenchRule("bench-open", "open(...)", true, "# ruleid: bench-open\nopen(request.args[\"path\"])\n"),
            new BenchRule("bench-getattr", "getattr(...)", true, "# ruleid: bench-getattr\ngetattr(obj, request.args[\"name\"])\n"));

    private static final List<Template> TEMPLATES = List.of(
            new Template(FLOODED, "eval(user_input)", true), new Template(FLOODED, "eval(request.args[\"q\"])", true),
            new Template(FLOODED, "eval(expr)", true), new Template(FLOODED, "eval(code)", true),
            new Template(FLOODED, "eval(request.form[\"expr\"])", true),
            new Template("bench-pickle", "pickle.loads(blob)", true), new Template("bench-pickle", "pickle.loads(request.data)", true),
            new Template("bench-system", "os.system(cmd)", true), new Template("bench-system", "os.system(\"ls \" + name)", true),
            new Template("bench-yaml", "yaml.load(doc)", true), new Template("bench-yaml", "yaml.load(stream)", true),
            new Template("bench-print", "print(password)", true), new Template("bench-print", "print(\"starting\")", false),
            new Template("bench-print", "print(count)", false), new Template("bench-print", "print(total)", false),
            new Template("bench-print", "print(f\"done {n}\")", false),
            new Template("bench-open", "open(request.args[\"path\"])", true), new Template("bench-open", "open(\"config.ini\")", false),
            new Template("bench-open", "open(LOG_FILE)", false), new Template("bench-open", "open(path, \"w\")", false),
            new Template("bench-getattr", "getattr(obj, request.args[\"name\"])", true),
            new Template("bench-getattr", "getattr(self, \"name\")", false), new Template("bench-getattr", "getattr(module, \"VERSION\")", false));

    /** Code the eval rule misses, which honest users report. */
    private static final String MISSED_EVAL = "builtins.eval(data)";

    @Option(names = "--files", description = "Files in the generated corpus (default: ${DEFAULT-VALUE}).", defaultValue = "120")
    int files;
    @Option(names = "--tenants", description = "Honest tenants, two contributors each (default: ${DEFAULT-VALUE}).", defaultValue = "12")
    int tenants;
    @Option(names = "--flood", description = "False-positive reports per adversarial key, five keys (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    int flood;
    @Option(names = "--records", description = "Feedback records the timed batch processes (default: ${DEFAULT-VALUE}).",
            defaultValue = "100000")
    int records;
    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).", defaultValue = "7")
    long seed;
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    /** A finding of the scan with its truth. */
    private record Judged(String rule, String path, String code, boolean truePositive) {
        String fingerprint() {
            return Fingerprint.of(rule, path, code);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (files < 10 || tenants < 2 || flood < 0 || records < 1000) {
            throw new UserError("--files must be at least 10, --tenants at least 2, --flood at least 0, --records at least 1000");
        }
        Path scratch = Files.createTempDirectory("freshet-bench-feedback");
        try (Parts parts = Parts.open(Settings.resolve(OfflineConfig.write(scratch.resolve("state")), null, Map.of()))) {
            Random random = new Random(seed);
            progress("releasing " + RULES.size() + " rules through the gate");
            release(parts, Files.createDirectories(scratch.resolve("rules")));
            Path corpus = corpus(Files.createDirectories(scratch.resolve("corpus")), random);
            List<Judged> findings = scan(parts, corpus);
            progress("scanned " + files + " files: " + findings.size() + " findings");
            Community community = parts.community();
            Map<String, Object> result = simulate(community, findings, random);
            result.putAll(patches(community, findings));
            result.putAll(timedBatch(community, findings, random));
            print(result);
            return 0;
        } finally {
            deleteQuietly(scratch);
        }
    }

    private static void release(Parts parts, Path dir) throws IOException {
        for (BenchRule rule : RULES) {
            Files.writeString(dir.resolve(rule.id() + ".yaml"), """
                    rules:
                      - id: %s
                        message: %s
                        severity: ERROR
                        languages: [python]
                        pattern: %s
                    """.formatted(rule.id(), rule.id(), rule.pattern()));
            Files.writeString(dir.resolve(rule.id() + ".py"), rule.test());
        }
        parts.updates().sources().add(new LocalDirectorySource("bench", dir, SourceSettings.defaults().withTestsRequired(true)));
        if (parts.updater().check(Trigger.USER).activation().isEmpty()) {
            throw new IllegalStateException("the benchmark's rules were not released");
        }
        parts.updates().knowledge().refresh();
    }

    private Path corpus(Path dir, Random random) throws IOException {
        for (int f = 0; f < files; f++) {
            StringBuilder text = new StringBuilder("def handler(request, obj, module, data):\n");
            for (int line = 0; line < 12; line++) {
                text.append("    ").append(TEMPLATES.get(random.nextInt(TEMPLATES.size())).code()).append('\n');
            }
            text.append("    ").append(MISSED_EVAL).append('\n');
            Files.writeString(dir.resolve("module_" + f + ".py"), text);
        }
        return dir;
    }

    private static List<Judged> scan(Parts parts, Path corpus) throws IOException {
        List<Rule> rules = parts.updates().knowledge().holder().current().rules();
        List<Path> paths;
        try (Stream<Path> walk = Files.list(corpus)) {
            paths = walk.sorted().toList();
        }
        Map<String, Boolean> truth = TEMPLATES.stream().collect(Collectors.toMap(t -> t.rule() + "\0" + Fingerprint.normalizedCode(t.code()),
                Template::truePositive));
        List<Judged> judged = new ArrayList<>();
        for (Finding f : parts.engine().scanner().scan(rules, paths, corpus, n -> { }).findings()) {
            String path = corpus.relativize(f.file()).toString();
            judged.add(new Judged(f.ruleId(), path, f.code(), truth.getOrDefault(f.ruleId() + "\0" + Fingerprint.normalizedCode(f.code()), false)));
        }
        return judged;
    }

    /** Three rounds of feedback, each processed as the schedule would process it. */
    private Map<String, Object> simulate(Community community, List<Judged> findings, Random random) {
        List<Judged> flooded = findings.stream().filter(j -> j.rule().equals(FLOODED)).toList();
        int honest = 0;
        int adversarial = 0;
        int rounds = 3;
        for (int round = 1; round <= rounds; round++) {
            for (int t = 0; t < tenants; t++) {
                for (int k = 0; k < 2; k++) {
                    List<NewFeedback> batch = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        batch.add(honestVerdict(findings.get(random.nextInt(findings.size())), random));
                    }
                    if (random.nextInt(3) == 0) {
                        batch.add(new NewFeedback(FLOODED, FeedbackVerdict.FALSE_NEGATIVE, null, null, MISSED_EVAL, "python", null, null,
                                null, "eval through builtins"));
                    }
                    honest += batch.size();
                    community.feedback().add(new Giver("org-" + t, "org-" + t + "-k" + k), batch);
                }
            }
            // The flood: five keys of one tenant, and two adversaries hidden in honest tenants.
            for (int k = 0; k < 5; k++) {
                adversarial += falseReports(community, new Giver("mallory", "mallory-k" + k), flooded, flood / rounds, random);
            }
            for (int s = 0; s < 2; s++) {
                adversarial += falseReports(community, new Giver("org-" + s, "org-" + s + "-sleeper"), flooded, 40 / rounds, random);
            }
            FeedbackProcessor.BatchResult batch = community.processor().runBatch();
            progress("round " + round + ": " + batch.records() + " records; probation begun " + batch.probationsStarted()
                    + ", ended " + batch.probationsEnded());
        }
        Set<String> onProbation = community.processor().probations(Optional.empty()).stream().filter(Probation::active)
                .map(Probation::ruleId).collect(Collectors.toCollection(TreeSet::new));
        Set<String> everDemoted = community.processor().probations(Optional.empty()).stream().map(Probation::ruleId)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> noisy = RULES.stream().filter(BenchRule::noisy).map(BenchRule::id).toList();
        List<String> good = RULES.stream().filter(r -> !r.noisy()).map(BenchRule::id).toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rules_noisy", noisy.size());
        result.put("rules_good", good.size());
        result.put("findings", findings.size());
        result.put("honest_verdicts", honest);
        result.put("adversarial_verdicts", adversarial);
        result.put("probation_correct", noisy.stream().filter(onProbation::contains).count());
        result.put("probation_missed", noisy.stream().filter(r -> !onProbation.contains(r)).count());
        result.put("wrongly_demoted", good.stream().filter(everDemoted::contains).count());
        Map<String, Object> health = new LinkedHashMap<>();
        for (RuleHealth h : community.processor().health()) {
            health.put(h.ruleId(), Map.of("precision", round(h.precision()), "precision_low", round(h.precisionLow()),
                    "precision_high", round(h.precisionHigh()), "status", h.onProbation() ? "PROBATION" : h.status().name()));
        }
        result.put("health", health);
        result.put("adversary_reputation", round(Stream.concat(Stream.of("org-0-sleeper", "org-1-sleeper"),
                Stream.of(0, 1, 2, 3, 4).map(k -> "mallory-k" + k)).mapToDouble(community.reputation()::of).average().orElse(0)));
        result.put("honest_reputation", round(Stream.of(0, 1).map(t -> "org-" + t + "-k0").mapToDouble(community.reputation()::of)
                .average().orElse(0)));
        return result;
    }

    private static NewFeedback honestVerdict(Judged finding, Random random) {
        boolean right = random.nextDouble() < 0.9;
        boolean says = right == finding.truePositive();
        FeedbackVerdict verdict = !says ? FeedbackVerdict.FALSE_POSITIVE
                : random.nextDouble() < 0.1 ? FeedbackVerdict.WONT_FIX : FeedbackVerdict.TRUE_POSITIVE;
        return new NewFeedback(finding.rule(), verdict, finding.fingerprint(), finding.path(), finding.code(), "python", null, null, null, null);
    }

    private static int falseReports(Community community, Giver giver, List<Judged> targets, int count, Random random) {
        int sent = 0;
        while (sent < count && !targets.isEmpty()) {
            List<NewFeedback> batch = new ArrayList<>();
            for (int i = 0; i < Math.min(1000, count - sent); i++) {
                Judged target = targets.get(random.nextInt(targets.size()));
                batch.add(new NewFeedback(target.rule(), FeedbackVerdict.FALSE_POSITIVE, target.fingerprint(), target.path(), target.code(),
                        "python", null, null, null, "not a bug"));
            }
            community.feedback().add(giver, batch);
            sent += batch.size();
        }
        return sent;
    }

    /** A patch for each rule on probation and each rule with reported missed findings, checked by the gate. */
    private static Map<String, Object> patches(Community community, List<Judged> findings) {
        Set<String> candidates = new TreeSet<>();
        community.processor().probations(Optional.empty()).stream().filter(Probation::active).map(Probation::ruleId).forEach(candidates::add);
        community.processor().health().stream().filter(h -> h.count(FeedbackVerdict.FALSE_NEGATIVE) > 0).map(RuleHealth::ruleId)
                .forEach(candidates::add);
        int proposed = 0;
        int accepted = 0;
        Map<String, Object> outcomes = new LinkedHashMap<>();
        for (String rule : candidates) {
            progress("proposing a patch of " + rule);
            Optional<RulePatcher.Proposal> proposal = community.patcher().propose(rule, false);
            if (proposal.isPresent()) {
                proposed++;
                accepted += proposal.get().accepted() ? 1 : 0;
                outcomes.put(rule, proposal.get().accepted() ? "accepted" : "rejected: " + String.join("; ", proposal.get().contribution().gateReasons()));
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("patches_proposed", proposed);
        result.put("patches_accepted", accepted);
        result.put("patches", outcomes);
        return result;
    }

    /** Fills the store up to {@code records} feedback records, then times one batch over all of them. */
    private Map<String, Object> timedBatch(Community community, List<Judged> findings, Random random) {
        long have = community.processor().health().stream().mapToLong(h -> h.counts().values().stream().mapToLong(Integer::longValue).sum())
                .sum();
        progress("loading " + (records - have) + " more feedback records");
        int contributor = 0;
        while (have < records) {
            List<NewFeedback> batch = new ArrayList<>();
            for (int i = 0; i < Math.min(1000, records - have); i++) {
                batch.add(honestVerdict(findings.get(random.nextInt(findings.size())), random));
            }
            int c = contributor++ % 400;
            community.feedback().add(new Giver("load-" + c % 50, "load-" + c), batch);
            have += batch.size();
        }
        long started = System.nanoTime();
        FeedbackProcessor.BatchResult batch = community.processor().runBatch();
        double seconds = (System.nanoTime() - started) / 1e9;
        progress("batch over " + batch.records() + " records in " + String.format(Locale.ROOT, "%.2f", seconds) + " s");
        return Map.of("batch_records", batch.records(), "batch_seconds", round(seconds));
    }

    private void print(Map<String, Object> result) {
        if (json) {
            System.out.println(JsonOutput.toJson(result));
            return;
        }
        System.out.printf(Locale.ROOT, "rules: %s noisy, %s good; %s findings; %s honest and %s adversarial verdicts%n", result.get("rules_noisy"),
                result.get("rules_good"), result.get("findings"), result.get("honest_verdicts"), result.get("adversarial_verdicts"));
        System.out.printf(Locale.ROOT, "noisy rules put on probation: %s (missed %s); good rules wrongly demoted: %s%n",
                result.get("probation_correct"), result.get("probation_missed"), result.get("wrongly_demoted"));
        System.out.printf(Locale.ROOT, "reputation: adversaries %s, honest %s%n", result.get("adversary_reputation"), result.get("honest_reputation"));
        System.out.printf(Locale.ROOT, "patches proposed: %s, accepted by the gate: %s %s%n", result.get("patches_proposed"),
                result.get("patches_accepted"), result.get("patches"));
        System.out.printf(Locale.ROOT, "batch over %s feedback records: %s s%n", result.get("batch_records"), result.get("batch_seconds"));
    }

    private static void progress(String line) {
        System.err.println("bench feedback: " + line);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("bench feedback: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
