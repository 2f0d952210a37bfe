package dev.freshet.app;

import dev.freshet.updates.projects.Project;
import dev.freshet.updates.projects.ProjectFinding;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freshet projects ...}: the projects whose dependencies are matched after every activation. */
@Command(name = "projects", mixinStandardHelpOptions = true,
        header = "Watched projects, matched against every new release.",
        description = {"Watched projects: after every activation (and 'projects scan') their dependencies are matched",
                "against the active release's dependency rules; new findings are recorded with when they appeared."},
        subcommands = {ProjectsCommand.Add.class, ProjectsCommand.ListProjects.class, ProjectsCommand.Remove.class,
                ProjectsCommand.Scan.class, ProjectsCommand.Findings.class},
        footer = {"", "Examples:", "  freshet projects add shop ~/src/shop", "  freshet projects scan",
                "  freshet projects findings shop --json"})
final class ProjectsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Watch a project directory.",
            footer = {"", "Example:", "  freshet projects add shop ~/src/shop"})
    static final class Add implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(index = "0", paramLabel = "NAME", description = "A short name: letters, digits, '.', '_' or '-'.")
        String name;

        @Parameters(index = "1", paramLabel = "DIR", description = "The project's directory.")
        Path dir;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                parts.updates().projects().add(name, dir);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            store.print(Map.of("added", name), "watching " + name + " (" + dir.toAbsolutePath().normalize() + ")");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List watched projects and their stacks.",
            footer = {"", "Example:", "  freshet projects list --json"})
    static final class ListProjects implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            List<Project> projects;
            try (Parts parts = store.parts()) {
                projects = parts.updates().projects().list();
            }
            StringBuilder text = new StringBuilder();
            projects.forEach(p -> text.append(String.format("%-16s %s%n    last scan %s, stack %s%n", p.name(), p.path(),
                    p.lastScanAt() == null ? "never" : p.lastScanAt(), p.stack() == null ? "-" : p.stack())));
            store.print(projects, projects.isEmpty() ? "no watched projects; add one with 'freshet projects add NAME DIR'\n" : text.toString());
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Stop watching a project (its findings go too).",
            footer = {"", "Example:", "  freshet projects remove shop"})
    static final class Remove implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                if (!parts.updates().projects().remove(name)) {
                    throw new UserError("no watched project named '" + name + "'; see 'freshet projects list'");
                }
            }
            store.print(Map.of("removed", name), "no longer watching " + name);
            return ExitCodes.OK;
        }
    }

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = "Match every watched project against the active release now; prints the new findings.",
            footer = {"", "Example:", "  freshet projects scan"})
    static final class Scan implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            List<ProjectFinding> fresh;
            try (Parts parts = store.parts()) {
                var active = parts.updates().knowledge();
                if (!active.refresh()) {
                    throw new UserError("no active release: add a source and run 'freshet update check'");
                }
                fresh = parts.updates().projects().scanAll(active.holder().current());
            }
            store.print(fresh, describe(fresh));
            return ExitCodes.OK;
        }
    }

    @Command(name = "findings", mixinStandardHelpOptions = true, description = "Vulnerable dependencies and code rules' findings in watched projects.",
            footer = {"", "Examples:", "  freshet projects findings", "  freshet projects findings shop --all --json"})
    static final class Findings implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "One project (default: all).")
        String name;

        @Option(names = "--all", description = "Include findings that later scans no longer found.")
        boolean includeResolved;

        @Override
        public Integer call() {
            List<ProjectFinding> findings;
            try (Parts parts = store.parts()) {
                findings = parts.updates().projects().findings(name, includeResolved);
            }
            store.print(findings, describe(findings));
            return ExitCodes.OK;
        }
    }

    private static String describe(List<ProjectFinding> findings) {
        if (findings.isEmpty()) {
            return "no findings\n";
        }
        StringBuilder text = new StringBuilder();
        for (ProjectFinding finding : findings) {
            String what = switch (finding) {
                case ProjectFinding.Dependency f -> String.format("%-22s %s@%s  %s  %s", f.advisoryId(), f.packageName(), f.version(),
                        f.lockfile(), f.reachability().toLowerCase(Locale.ROOT));
                case ProjectFinding.Code f -> String.format("%-22s %s:%d  %s  %s", f.ruleId(), f.path(), f.line(),
                        f.severity().toLowerCase(Locale.ROOT), f.message().lines().findFirst().orElse(""));
            };
            text.append(String.format("%-12s %s  first seen %s%s%n", finding.project(), what, finding.firstSeen(),
                    finding.resolvedAt() == null ? "" : ", resolved " + finding.resolvedAt()));
        }
        return text.toString();
    }
}
