package dev.freshet.app;

import dev.freshet.updates.release.LocalOverride;
import dev.freshet.updates.release.OverrideChange;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.ReleaseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freshet overrides ...}: local tuning that survives every update. */
@Command(name = "overrides", mixinStandardHelpOptions = true,
        description = {"Local changes to rules, kept by rule id and re-applied to every release."},
        subcommands = {OverridesCommand.Add.class, OverridesCommand.ListOverrides.class, OverridesCommand.Remove.class},
        footer = {"", "Examples:", "  freshet overrides add no-eval --disable",
                "  freshet overrides add no-eval --severity INFO",
                "  freshet overrides add no-eval --exclude-paths 'tests/**'",
                "  freshet overrides add no-eval --pattern-not 'eval(\"constant\")'"})
final class OverridesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an override to a rule.",
            footer = {"", "Example:", "  freshet overrides add python.lang.eval --severity INFO"})
    static final class Add implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "RULE_ID", description = "The rule to change.")
        String ruleId;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Change change;

        static final class Change {
            @Option(names = "--disable", description = "Leave the rule out.")
            boolean disable;

            @Option(names = "--severity", paramLabel = "LEVEL", description = "Report with this severity.")
            String severity;

            @Option(names = "--exclude-paths", paramLabel = "GLOB", split = ",", description = "Do not run on these paths.")
            List<String> excludePaths;

            @Option(names = "--pattern-not", paramLabel = "PATTERN", description = "Do not report code matching this pattern.")
            String patternNot;

            OverrideChange toChange() {
                if (disable) {
                    return new OverrideChange.Disable();
                }
                if (severity != null) {
                    return new OverrideChange.SetSeverity(severity);
                }
                if (excludePaths != null) {
                    return new OverrideChange.ExcludePaths(excludePaths);
                }
                return new OverrideChange.AddPatternNot(patternNot);
            }
        }

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                LocalOverride added = parts.updates().overrides().add(ruleId, change.toChange());
                store.print(added, "added override " + added.id() + ": " + describe(added));
                return ExitCodes.OK;
            } catch (ReleaseException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List overrides.",
            footer = {"", "Example:", "  freshet overrides list --json"})
    static final class ListOverrides implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                List<LocalOverride> overrides = parts.updates().overrides().list();
                StringBuilder text = new StringBuilder();
                for (LocalOverride o : overrides) {
                    text.append(String.format("%-4d %-40s %s%n", o.id(), o.ruleId(), describe(o)));
                }
                store.print(overrides, overrides.isEmpty() ? "no overrides\n" : text.toString());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove overrides by id, or all of a rule's.",
            footer = {"", "Examples:", "  freshet overrides remove 3", "  freshet overrides remove --rule python.lang.eval"})
    static final class Remove implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "ID", arity = "0..1", description = "The override's id (see 'overrides list').")
        Long id;

        @Option(names = "--rule", paramLabel = "RULE_ID", description = "Remove every override of this rule.")
        String ruleId;

        @Override
        public Integer call() {
            if ((id == null) == (ruleId == null)) {
                throw new UserError("give either an override id or --rule RULE_ID");
            }
            try (Parts parts = store.parts()) {
                Overrides overrides = parts.updates().overrides();
                int removed = id != null ? (overrides.remove(id) ? 1 : 0) : overrides.removeAll(ruleId);
                if (removed == 0) {
                    throw new UserError("no override " + (id != null ? "with id " + id : "for rule " + ruleId));
                }
                store.print(Map.of("removed", removed), "removed " + removed + " override(s)");
                return ExitCodes.OK;
            }
        }
    }

    static String describe(LocalOverride override) {
        return switch (override.change()) {
            case OverrideChange.Disable d -> "disable";
            case OverrideChange.SetSeverity s -> "severity " + s.severity();
            case OverrideChange.ExcludePaths e -> "exclude paths " + String.join(", ", e.globs());
            case OverrideChange.AddPatternNot p -> "pattern-not " + p.pattern().strip();
        };
    }

}
