package dev.freshet.app.bench;

import dev.freshet.app.ExitCodes;
import dev.freshet.app.JsonOutput;
import dev.freshet.app.Parts;
import dev.freshet.app.Settings;
import dev.freshet.app.UserError;
import dev.freshet.engine.deps.Stack;
import dev.freshet.updates.billing.ModelClass;
import dev.freshet.updates.billing.Tier;
import dev.freshet.updates.generation.CustomRules;
import dev.freshet.updates.generation.GenerationException;
import dev.freshet.updates.generation.RuleOutcome;
import dev.freshet.updates.generation.TemplateGenerator;
import dev.freshet.updates.generation.Target;
import dev.freshet.updates.generation.Templates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Custom rules over a set of project fixtures (one stack each), once with the offline generator and
 * once with a scripted chat-completions model on loopback whose first draft of each rule also reports
 * the safe example: rules requested and validated, retries, time per rule, credits charged, and
 * whether every request's charges equal the formula (processing x requested + success fee x validated).
 */
@Command(name = "generation", mixinStandardHelpOptions = true,
        header = "Make custom rules for project fixtures offline and with a scripted chat model; print rules, retries, time and credits.",
        footer = {"", "Example:", "  freshet bench generation --json", "  freshet bench generation --projects bench/generation/projects --count 3"})
public final class GenerationBenchCommand implements Callable<Integer> {
    @Option(names = "--projects", paramLabel = "DIR", defaultValue = "bench/generation/projects",
            description = "A directory of projects, one per subdirectory (default: ${DEFAULT-VALUE}).")
    Path projects;
    @Option(names = "--count", paramLabel = "N", defaultValue = "3", description = "Rules requested per project (default: ${DEFAULT-VALUE}).")
    int count;
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    /** The figures of one generator over every project. */
    record Figures(String generator, int requests, int rulesRequested, int validated, int failed, int retries, long ruleMillisP50,
                   long ruleMillisMax, long creditsCharged, boolean chargesMatchFormula, List<String> stacks) {
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(projects)) {
            throw new UserError("no project fixtures at " + projects + "; give --projects DIR");
        }
        List<Path> dirs;
        try (Stream<Path> list = Files.list(projects)) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        }
        if (dirs.isEmpty()) {
            throw new UserError(projects + " holds no project directories");
        }
        Path scratch = Files.createTempDirectory("freshet-bench-generation-");
        List<Figures> figures = new ArrayList<>();
        figures.add(run(ModelClass.OFFLINE, dirs, scratch.resolve("offline"), null));
        try (ScriptedChatServer chat = new ScriptedChatServer()) {
            figures.add(run(ModelClass.STANDARD, dirs, scratch.resolve("chat"), chat));
        }
        if (json) {
            System.out.println(JsonOutput.toJson(Map.of("projects", dirs.size(), "count", count, "generators", figures)));
        } else {
            System.out.printf(Locale.ROOT, "%d projects, %d rules requested each%n", dirs.size(), count);
            System.out.printf(Locale.ROOT, "%-10s %8s %9s %6s %7s %9s %9s %7s %s%n", "generator", "requested", "validated", "failed",
                    "retries", "p50 ms", "max ms", "credits", "charges = formula");
            for (Figures f : figures) {
                System.out.printf(Locale.ROOT, "%-10s %8d %9d %6d %7d %9d %9d %7d %s%n", f.generator(), f.rulesRequested(), f.validated(),
                        f.failed(), f.retries(), f.ruleMillisP50(), f.ruleMillisMax(), f.creditsCharged(), f.chargesMatchFormula());
            }
        }
        return figures.stream().allMatch(Figures::chargesMatchFormula) ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private Figures run(ModelClass model, List<Path> dirs, Path state, ScriptedChatServer chat) throws IOException {
        Files.createDirectories(state);
        Files.writeString(state.resolve("freshet.toml"), "data_dir = \"data\"\n" + (chat == null ? "" : """
                [generation]
                url = "%s"
                standard_model = "scripted-standard"
                timeout_seconds = 10
                """.formatted(chat.base())));
        List<Long> millis = new ArrayList<>();
        int requested = 0;
        int validated = 0;
        int retries = 0;
        long credits = 0;
        boolean formula = true;
        List<String> stacks = new ArrayList<>();
        try (Parts parts = Parts.open(Settings.resolve(state.resolve("freshet.toml"), null, Map.of()))) {
            CustomRules rules = parts.customRules();
            for (int i = 0; i < dirs.size(); i++) {
                String tenant = "bench" + i;
                parts.updates().access().createTenant(tenant);
                parts.updates().credits().setTier(tenant, Tier.STANDARD);
                parts.updates().credits().grant(tenant, 1_000, "bench-" + tenant, "benchmark");
                if (chat != null) {
                    Stack stack = Stack.of(dirs.get(i));
                    for (Target target : Templates.fitting(stack, "custom." + tenant + ".")) {
                        chat.knows(target.ruleId(), new TemplateGenerator().draft(target, stack, List.of(), Duration.ofSeconds(1)));
                    }
                }
                CustomRules.Result result = rules.generate(new CustomRules.Request(Optional.empty(), tenant, dirs.get(i), count,
                        Optional.of(model)));
                stacks.add(dirs.get(i).getFileName() + ": " + result.stack());
                requested += result.rules().size();
                validated += (int) result.validated();
                for (RuleOutcome rule : result.rules()) {
                    retries += Math.max(0, rule.attempts() - 1);
                    if (rule.attempts() > 0) {
                        millis.add(rule.tookMillis());
                    }
                }
                credits += result.charges().total();
                formula &= result.charges().total() == rules.fees().total(model, result.rules().size(), (int) result.validated());
            }
        } catch (GenerationException e) {
            throw new IllegalStateException("the offline templates always draft: " + e.getMessage(), e);
        }
        millis.sort(null);
        return new Figures(model == ModelClass.OFFLINE ? "offline" : "chat", dirs.size(), requested, validated, requested - validated,
                retries, millis.isEmpty() ? 0 : millis.get((millis.size() - 1) / 2), millis.isEmpty() ? 0 : millis.getLast(), credits,
                formula, stacks);
    }
}
