package dev.freshet.app;

import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.updates.sources.AdvisorySource;
import dev.freshet.updates.sources.Channel;
import dev.freshet.updates.sources.GitSource;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.RuleSource;
import dev.freshet.updates.sources.SignedRepositorySource;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.sources.SourceUrls;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freshet sources ...}: where rules come from. */
@Command(name = "sources", mixinStandardHelpOptions = true,
        description = "Rule sources: signed repositories, git repositories and local directories.",
        subcommands = {SourcesCommand.Add.class, SourcesCommand.ListSources.class, SourcesCommand.Enable.class,
                SourcesCommand.Disable.class, SourcesCommand.Remove.class},
        footer = {"", "Examples:", "  freshet sources add mine --dir rules/",
                "  freshet sources add community --git https://example.org/rules.git --path python --trusted-author lead@example.org",
                "  freshet sources add mirror --signed https://rules.example.org/ --root root.json --priority 10",
                "  freshet sources list"})
final class SourcesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static <T> T withRegistry(StoreOptions store, Function<SourceRegistry, T> action) {
        try (Parts parts = store.parts()) {
            parts.syncConfiguredSources();
            return action.apply(parts.updates().sources());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a source.",
            footer = {"", "Examples:", "  freshet sources add mine --dir rules/ --schedule '0 */15 * * * *'",
                    "  freshet sources add vulns --advisories --schedule '0 * * * * *'"})
    static final class Add implements Callable<Integer> {
        private static Set<Ecosystem> ecosystems(String list) {
            Set<Ecosystem> ecosystems = new HashSet<>();
            for (String namespace : list.split(",")) {
                if (!namespace.isBlank()) {
                    ecosystems.add(Ecosystem.fromNamespace(namespace.strip()).orElseThrow(() -> new UserError("unknown ecosystem '"
                            + namespace.strip() + "': use npm, pypi, gomod, cargo, maven, gem or composer")));
                }
            }
            return ecosystems;
        }

        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "NAME", description = "A short name: letters, digits, '.', '_' or '-'.")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Kind kind;

        static final class Kind {
            @Option(names = "--dir", paramLabel = "DIR", description = "A local directory of rule files.")
            Path dir;

            @Option(names = "--git", paramLabel = "URL", description = "A git repository (any URL JGit supports, file:// too).")
            String git;

            @Option(names = "--signed", paramLabel = "URL", description = "A signed (TUF) repository's base URL.")
            String signed;

            @Option(names = "--advisories", arity = "0..1", fallbackValue = "", paramLabel = "ECOSYSTEMS",
                    description = {"The advisories synced by 'freshet feeds sync', as dependency rules.",
                            "Optionally only these ecosystems (comma-separated: npm,pypi,gomod,cargo,maven,gem,composer);",
                            "by default those of the watched projects ('freshet projects add')."})
            String advisories;
        }

        @Option(names = "--branch", defaultValue = "main", description = "Git branch (default: ${DEFAULT-VALUE}).")
        String branch;

        @Option(names = "--path", paramLabel = "DIR", description = "Git: take rules only under this folder (repeatable).")
        List<String> paths = List.of();

        @Option(names = "--trusted-author", paramLabel = "EMAIL", description = "Git: accept commits only by these authors (repeatable).")
        List<String> trustedAuthors = List.of();

        @Option(names = "--root", paramLabel = "FILE", description = "Signed: the repository's root.json you trust.")
        Path root;

        @Option(names = "--channel", defaultValue = "stable", description = "stable or beta (default: ${DEFAULT-VALUE}).")
        String channel;

        @Option(names = "--schedule", defaultValue = SourceSettings.HOURLY,
                description = "When to check, as cron with seconds (default: '${DEFAULT-VALUE}', hourly).")
        String schedule;

        @Option(names = "--priority", defaultValue = "0", description = "Wins over lower priorities for the same rule id.")
        int priority;

        @Option(names = "--tests-required", description = "Reject rules that ship no test file.")
        boolean testsRequired;

        @Override
        public Integer call() {
            RuleSource source;
            try {
                SourceSettings settings = new SourceSettings(Channel.parse(channel), schedule, priority, true, testsRequired);
                if (kind.advisories != null) {
                    source = new AdvisorySource(name, ecosystems(kind.advisories), settings);
                } else if (kind.git != null) {
                    source = new GitSource(name, kind.git, branch, paths, Set.copyOf(trustedAuthors), settings);
                } else {
                    source = SourceLocations.directoryOrSigned(name, kind.dir, kind.signed, root, settings);
                }
            } catch (IllegalArgumentException | MalformedURLException e) {
                throw new UserError(e.getMessage());
            }
            withRegistry(store, registry -> {
                registry.add(source);
                return null;
            });
            store.print(Map.of("added", name), "added source " + name + "; run 'freshet update check' to fetch it");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List sources and their last check.",
            footer = {"", "Example:", "  freshet sources list --json"})
    static final class ListSources implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            List<SourceRegistry.Entry> entries = withRegistry(store, SourceRegistry::list);
            StringBuilder text = new StringBuilder();
            List<Map<String, Object>> json = new ArrayList<>();
            for (SourceRegistry.Entry e : entries) {
                RuleSource s = e.source();
                String where = switch (s) {
                    case LocalDirectorySource l -> "dir " + l.dir();
                    case GitSource g -> "git " + SourceUrls.redact(g.url()) + " (" + g.branch() + ")";
                    case SignedRepositorySource r -> "signed " + SourceUrls.redact(r.baseUrl().toString());
                    case AdvisorySource a -> "advisories " + (a.ecosystems().isEmpty() ? "(watched projects' ecosystems)"
                            : a.ecosystems().stream().map(Ecosystem::namespace).sorted().toList());
                };
                text.append(String.format("%-16s %-8s prio %-3d %-7s %s%n    last check %s, revision %s%s%n", s.name(),
                        s.settings().enabled() ? "enabled" : "disabled", s.settings().priority(), s.settings().channel(), where,
                        e.lastCheckedAt().map(Object::toString).orElse("never"), e.lastRevision().orElse("-"),
                        e.lastError().map(err -> "\n    last error: " + err).orElse("")));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", s.name());
                row.put("location", where);
                row.put("enabled", s.settings().enabled());
                row.put("priority", s.settings().priority());
                row.put("channel", s.settings().channel().toString());
                row.put("schedule", s.settings().schedule());
                row.put("last_revision", e.lastRevision().orElse(null));
                row.put("last_checked_at", e.lastCheckedAt().orElse(null));
                row.put("last_error", e.lastError().orElse(null));
                json.add(row);
            }
            store.print(json, entries.isEmpty() ? "no sources yet; add one with 'freshet sources add'\n" : text.toString());
            return ExitCodes.OK;
        }
    }

    /** Shared by enable and disable. */
    abstract static class Toggle implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "NAME")
        String name;

        abstract boolean enabled();

        @Override
        public Integer call() {
            withRegistry(store, registry -> {
                SourceRegistry.Entry entry = registry.find(name).orElseThrow(() -> new UserError("no source named '" + name + "'"));
                registry.update(entry.source().withSettings(entry.source().settings().withEnabled(enabled())));
                return null;
            });
            store.print(Map.of("name", name, "enabled", enabled()), (enabled() ? "enabled " : "disabled ") + name);
            return ExitCodes.OK;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Check this source again.",
            footer = {"", "Example:", "  freshet sources enable community"})
    static final class Enable extends Toggle {
        @Override
        boolean enabled() {
            return true;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Stop checking this source (its rules stay until the next release).",
            footer = {"", "Example:", "  freshet sources disable community"})
    static final class Disable extends Toggle {
        @Override
        boolean enabled() {
            return false;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a source.",
            footer = {"", "Example:", "  freshet sources remove community"})
    static final class Remove implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            boolean removed = withRegistry(store, registry -> registry.remove(name));
            if (!removed) {
                throw new UserError("no source named '" + name + "'");
            }
            store.print(Map.of("removed", name), "removed source " + name);
            return ExitCodes.OK;
        }
    }
}
