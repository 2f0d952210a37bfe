package dev.freshet.app;

import dev.freshet.engine.testing.HoldOut;
import dev.freshet.engine.testing.RuleTestResult;
import dev.freshet.engine.testing.RuleTestRunner;
import dev.freshet.updates.billing.CreditException;
import dev.freshet.updates.billing.ModelClass;
import dev.freshet.updates.generation.CustomRules;
import dev.freshet.updates.generation.RuleOutcome;
import dev.freshet.updates.release.ReleaseStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freshet rules ...}: working with rule files. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Work with rule files.",
        subcommands = {RulesCommand.Test.class, RulesHealthCommand.class, RulesPatchCommand.class, RulesCommand.Generate.class,
                RulesCommand.Library.class},
        footer = {"", "Examples:", "  freshet rules test rules/", "  freshet rules generate --project ~/src/shop --count 3",
                "  freshet rules library --tenant acme"})
final class RulesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            header = "Make custom rules for a project's stack, validate them by running them and add them to the tenant's library.",
            description = {
                    "Detects the project's languages, frameworks and libraries, makes one rule per weakness that fits them",
                    "(with the offline templates, or the configured chat-completions model), keeps the rules that report their",
                    "vulnerable example and not their safe one, and releases them on the track tenants/<tenant>/rules, which",
                    "only that tenant's scans use. Charges 1 credit per requested rule, then the success fee per validated rule."},
            footer = {"", "Exit codes: 0 done (see each rule's outcome), 2 refused (plan, credits, input).", "",
                    "Examples:", "  freshet rules generate --project ~/src/shop",
                    "  freshet rules generate --project . --count 5 --model standard --tenant acme --json"})
    static final class Generate implements Callable<Integer> {
        @Option(names = "--project", required = true, paramLabel = "DIR", description = "The project whose stack the rules are for.")
        Path project;

        @Option(names = "--count", paramLabel = "N", defaultValue = "3", description = "Rules to make, 1-10 (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--model", paramLabel = "CLASS",
                description = "offline, standard, pro or max (default: standard when a model is configured, else offline).")
        String model;

        @Option(names = "--tenant", paramLabel = "NAME", defaultValue = "default", description = "Whose library (default: ${DEFAULT-VALUE}).")
        String tenant;

        @Option(names = "--request-id", paramLabel = "ID",
                description = "An id for the request: asking again with the same id finishes it without charging twice.")
        String requestId;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() throws IOException {
            try (Parts parts = store.parts()) {
                parts.customRules().resumeUnfinished(); // a request an earlier run left unfinished is finished, charged once
                CustomRules.Result result = parts.customRules().generate(new CustomRules.Request(Optional.ofNullable(requestId), tenant,
                        project, count, Optional.ofNullable(model).map(ModelClass::of)));
                store.print(result.summary(), text(result));
                return ExitCodes.OK;
            } catch (CreditException e) {
                throw new UserError(e.getMessage());
            }
        }

        private static String text(CustomRules.Result result) {
            StringBuilder out = new StringBuilder("stack: " + result.stack() + "\n");
            for (RuleOutcome rule : result.rules()) {
                out.append(String.format(Locale.ROOT, "%-9s %s (%d attempt%s)%s%n", rule.outcome(), rule.id(), rule.attempts(),
                        rule.attempts() == 1 ? "" : "s", rule.validated() ? "" : ": " + rule.reason()));
            }
            CustomRules.Charges charges = result.charges();
            if (result.failure() != null) {
                out.append("failed: ").append(result.failure()).append('\n');
            }
            out.append(String.format(Locale.ROOT, "%d of %d validated; charged %d credits (processing %d, success %d, refunded %d); request %s%n",
                    result.validated(), result.rules().size(), charges.total(), charges.processing(), charges.success(), charges.refunded(),
                    result.requestId()));
            if (result.releaseId() != null) {
                out.append("library of ").append(result.tenant()).append(" released as ").append(ReleaseStore.shortId(result.releaseId()))
                        .append(" on ").append(CustomRules.trackOf(result.tenant()))
                        .append(" (through the rollout engine; 'freshet rules library' shows each rule's status)\n");
            }
            return out.toString();
        }
    }

    @Command(name = "library", mixinStandardHelpOptions = true,
            header = "List a tenant's own rules: each with its status on the tenant's track, how it was made and when.",
            description = {
                    "The rules made for the tenant (custom rules on demand) as its library holds them. Status: live (in the",
                    "active release of tenants/<tenant>/rules), rolling-out (in the candidate of a rollout under way), or",
                    "not-live (waiting for that rollout to end, or refused by the gate when the library was last released)."},
            footer = {"", "Exit codes: 0 listed, 2 no such tenant.", "",
                    "Examples:", "  freshet rules library", "  freshet rules library --tenant acme --json"})
    static final class Library implements Callable<Integer> {
        @Option(names = "--tenant", paramLabel = "NAME", defaultValue = "default", description = "Whose library (default: ${DEFAULT-VALUE}).")
        String tenant;

        @Mixin
        StoreOptions store;

        /** The listing as --json prints it. */
        record Listing(String tenant, String track, List<CustomRules.ListedRule> rules) {
        }

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                if (parts.updates().access().tenant(tenant).isEmpty()) {
                    throw new UserError("no tenant '" + tenant + "'; 'freshet tenants list' shows them");
                }
                List<CustomRules.ListedRule> rules = parts.customRules().listing(tenant);
                StringBuilder text = new StringBuilder();
                for (CustomRules.ListedRule rule : rules) {
                    text.append(String.format(Locale.ROOT, "%-11s %s  made %s by %s/%s in %s attempt(s), request %s%n", rule.status().id(),
                            rule.ruleId(), rule.createdAt(), rule.generation().getOrDefault("generator", "?"),
                            rule.generation().getOrDefault("model", "?"), rule.generation().getOrDefault("attempts", "?"), rule.requestId()));
                }
                text.append(rules.size()).append(" rule(s) in the library of ").append(tenant).append(" (track ")
                        .append(CustomRules.trackOf(tenant)).append(")\n");
                store.print(new Listing(tenant, CustomRules.trackOf(tenant).name(), rules), text.toString());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {
                    "Run rules against their own tests: X.yaml is tested on the files X.<ext> beside it.",
                    "Annotate the line before an expected finding with a comment 'ruleid: <id>'; 'ok: <id>' marks",
                    "a line that must not match; 'todoruleid:'/'todook:' mark known gaps, left out of the check.",
                    "The summary also gives the pass rate of a held-out part (one rule file in five, chosen by the",
                    "SHA-256 of its path) beside the shared part: fixes that only fit the tests show as a gap."},
            footer = {"", "Exit codes: 0 all passed, 1 some failed or errored (with --baseline: a listed rule", "regressed), 2 could not run.", "",
                    "Examples:", "  freshet rules test rules/",
                    "  freshet rules test ../shared/corpus/semgrep-rules --pass-list passing.txt",
                    "  freshet rules test ../shared/corpus/semgrep-rules --baseline conformance/semgrep-rules.txt"})
    static final class Test implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", description = "A rule file or a directory of them (searched recursively).")
        Path path;

        @Option(names = "--pass-list", paramLabel = "FILE", description = "Write the ids of the passing rules here, one per line.")
        Path passList;

        @Option(names = "--baseline", paramLabel = "FILE",
                description = {"Ratchet: exit 1 if any rule listed in FILE (as written by --pass-list) no longer passes;",
                        "other failures do not change the exit code."})
        Path baseline;

        @Option(names = "--quiet", description = "Print only failures and the summary.")
        boolean quiet;

        @Mixin
        JsonOutput output;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", description = "Time limit per test file (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() throws IOException {
            if (!Files.exists(path)) {
                throw new UserError("no such file or directory: " + path);
            }
            Engine engine = Engine.create();
            RuleTestRunner runner = new RuleTestRunner(engine.loader(), engine.scanner(1, Duration.ofSeconds(timeoutSeconds), false));
            // With --json the text goes nowhere and one JSON document is printed at the end.
            PrintStream out = output.enabled() ? new PrintStream(OutputStream.nullOutputStream()) : System.out;
            Path root = Files.isDirectory(path) ? path : path.getParent();
            List<RuleTestResult> results = runner.run(path, result -> {
                if (!quiet || result.status() == RuleTestResult.Status.FAILED || result.status() == RuleTestResult.Status.ERROR) {
                    out.println(line(root, result));
                }
            });
            Map<String, int[]> byGroup = new TreeMap<>();
            Map<String, int[]> heldOutByGroup = new TreeMap<>();
            Map<Boolean, List<RuleTestResult>> parts = new TreeMap<>(Map.of(false, new ArrayList<>(), true, new ArrayList<>()));
            for (RuleTestResult result : results) {
                String key = key(root, result);
                String group = key.contains("/") ? key.substring(0, key.indexOf('/')) : ".";
                boolean heldOut = heldOut(root, result);
                parts.get(heldOut).add(result);
                byGroup.computeIfAbsent(group, g -> new int[RuleTestResult.Status.values().length])[result.status().ordinal()]++;
                if (heldOut) {
                    heldOutByGroup.computeIfAbsent(group, g -> new int[RuleTestResult.Status.values().length])[result.status().ordinal()]++;
                }
            }
            if (byGroup.size() > 1) {
                out.println();
                byGroup.forEach((group, counts) -> out.println(group + ": " + summary(counts) + percent(counts)
                        + (heldOutByGroup.containsKey(group) ? "; held-out" + percent(heldOutByGroup.get(group)) : "")));
            }
            // Rule files kept apart (by the hash of their path): their pass rate shows fixes that only fit the shared tests.
            int[] shared = RuleTestRunner.tally(parts.get(false));
            int[] heldOut = RuleTestRunner.tally(parts.get(true));
            out.println("shared: " + summary(shared) + percent(shared));
            out.println("held-out (" + HoldOut.DEFAULT.percent() + "% of rule files, by SHA-256 of their path): "
                    + summary(heldOut) + percent(heldOut));
            int[] counts = RuleTestRunner.tally(results);
            int exit = counts[RuleTestResult.Status.FAILED.ordinal()] + counts[RuleTestResult.Status.ERROR.ordinal()] > 0
                    ? ExitCodes.FINDINGS : ExitCodes.OK;
            List<String> passing = results.stream().filter(r -> r.status() == RuleTestResult.Status.PASSED)
                    .map(r -> key(root, r)).sorted().distinct().toList();
            if (passList != null) {
                Files.write(passList, passing, StandardCharsets.UTF_8);
            }
            if (baseline != null) {
                // A ratchet: only rules that passed before and fail now count against the run.
                exit = checkBaseline(passing, out);
            }
            fixTestSummary(results).ifPresent(out::println);
            out.println(summary(counts));
            if (output.enabled()) {
                output.print(json(root, results, counts, parts, exit), "");
            }
            return exit;
        }

        private static Map<String, Object> json(Path root, List<RuleTestResult> results, int[] counts,
                                                Map<Boolean, List<RuleTestResult>> parts, int exit) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("results", results.stream().map(r -> Map.of("rule", key(root, r),
                    "status", r.status().name().toLowerCase(Locale.ROOT), "reason", r.reason(),
                    "held_out", heldOut(root, r))).toList());
            json.put("totals", totals(counts));
            json.put("shared", totals(RuleTestRunner.tally(parts.get(false))));
            json.put("held_out", totals(RuleTestRunner.tally(parts.get(true))));
            json.put("passed", exit == ExitCodes.OK);
            return json;
        }

        private static Map<String, Integer> totals(int[] counts) {
            Map<String, Integer> totals = new LinkedHashMap<>();
            for (RuleTestResult.Status status : RuleTestResult.Status.values()) {
                totals.put(status.name().toLowerCase(Locale.ROOT), counts[status.ordinal()]);
            }
            return totals;
        }

        /** Regressions against the committed list of passing rules fail the run, whatever else happened. */
        private int checkBaseline(List<String> passing, PrintStream out) throws IOException {
            if (!Files.exists(baseline)) {
                throw new UserError("baseline file not found: " + baseline);
            }
            TreeSet<String> lost = new TreeSet<>();
            for (String line : Files.readAllLines(baseline, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lost.add(line.strip());
                }
            }
            int before = lost.size();
            lost.removeAll(passing);
            if (lost.isEmpty()) {
                out.println("baseline: all " + before + " listed rules still pass (" + passing.size() + " pass now)");
                return ExitCodes.OK;
            }
            out.println("baseline: " + lost.size() + " of " + before + " listed rules no longer pass:");
            lost.forEach(id -> out.println("  " + id));
            return ExitCodes.FINDINGS;
        }

        /** How many X.fixed.<ext> files the fixes reproduced, when there were any. */
        private static Optional<String> fixTestSummary(List<RuleTestResult> results) {
            Map<Path, Boolean> fixed = new TreeMap<>();
            results.stream().flatMap(r -> r.fixTests().stream())
                    .forEach(t -> fixed.merge(t.fixedFile(), t.passed(), Boolean::logicalAnd));
            long passed = fixed.values().stream().filter(Boolean::booleanValue).count();
            return fixed.isEmpty() ? Optional.empty()
                    : Optional.of("fixtests: " + passed + " of " + fixed.size() + " fixed files reproduced by the rules' fixes");
        }

        private static String key(Path root, RuleTestResult result) {
            Path file = result.ruleFile().toAbsolutePath().normalize();
            Path base = root.toAbsolutePath().normalize();
            String relative = file.startsWith(base) ? base.relativize(file).toString() : file.toString();
            return relative.replace('\\', '/') + "#" + result.ruleId();
        }

        /** Whether the rule's file is in the part of the corpus kept apart. */
        private static boolean heldOut(Path root, RuleTestResult result) {
            String key = key(root, result);
            return HoldOut.DEFAULT.isHeldOut(key.substring(0, key.lastIndexOf('#')));
        }

        private static String line(Path root, RuleTestResult result) {
            String status = result.status().name().toLowerCase(Locale.ROOT);
            String text = String.format("%-11s %s", status, key(root, result));
            return result.reason().isEmpty() ? text : text + "\n            " + result.reason().replace("\n", "\n            ");
        }

        private static String summary(int[] counts) {
            List<String> parts = new ArrayList<>(List.of(
                    counts[RuleTestResult.Status.PASSED.ordinal()] + " passed",
                    counts[RuleTestResult.Status.FAILED.ordinal()] + " failed"));
            parts.add(counts[RuleTestResult.Status.UNSUPPORTED.ordinal()] + " unsupported");
            parts.add(counts[RuleTestResult.Status.ERROR.ordinal()] + " errors");
            return String.join(", ", parts);
        }

        private static String percent(int[] counts) {
            int total = 0;
            for (int c : counts) {
                total += c;
            }
            return total == 0 ? "" : String.format(" (%.1f%% pass)", 100.0 * counts[0] / total);
        }
    }
}
