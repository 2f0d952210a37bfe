package dev.freshet.app;

import dev.freshet.updates.feeds.Feed;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseDiff;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.ReleaseSummary;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.PendingUpdates;
import dev.freshet.updates.rollout.PlanOverride;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.schedule.CheckScheduler;
import dev.freshet.updates.schedule.WatchPlan;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freshet update ...}: releases of rules, what is live, and going back. */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Releases of rules: what is live, what changed, activation and rollback.",
        subcommands = {UpdateCommand.Check.class, UpdateCommand.Watch.class, UpdateCommand.Status.class, UpdateCommand.ListReleases.class, UpdateCommand.Show.class, UpdateCommand.History.class,
                UpdateCommand.Diff.class, UpdateCommand.Apply.class, UpdateCommand.Rollback.class},
        footer = {"", "Examples:", "  freshet update status", "  freshet update history --json",
                "  freshet update rollback", "  freshet update rollback --to 3f2a9c"})
final class UpdateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs {@code action} on the release store, turning user-caused store errors into one-line messages. */
    static <T> T withStore(StoreOptions options, Function<ReleaseStore, T> action) {
        try (Parts parts = options.parts()) {
            return action.apply(parts.updates().releases());
        } catch (ReleaseException e) {
            throw new UserError(e.getMessage());
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            header = "Check every enabled source now; release what is new and activate or roll it out as the policy says.",
            description = {"Ask every enabled source for new rules; validate, release and (as the policy allows) activate them.",
                    "A new release follows the policy's [rollout] plan, if it has one, unless --immediate or --rollout says otherwise."},
            footer = {"", "Exit codes: 0 checked (changed or not), 2 could not check.", "", "Examples:", "  freshet update check",
                    "  freshet update check --rollout shadow,5,25,50,100 --interval 10m", "  freshet update check --immediate"})
    static final class Check implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Mixin
        RolloutOptions rollout;

        @Override
        public Integer call() throws Exception {
            PlanOverride override = rollout.override();
            try (Parts parts = store.parts()) {
                parts.syncConfiguredSources();
                long started = System.nanoTime();
                Updater.CheckResult result = parts.updater().check(Trigger.USER, override);
                long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
                // New findings in watched projects are logged, one line each (a warning, so the terminal shows them).
                WatchPlan.rescanAfterActivation(result, parts.updates().knowledge(), parts.updates().projects());
                StringBuilder text = new StringBuilder();
                for (Updater.SourceOutcome o : result.sources()) {
                    text.append(String.format("%-16s %-9s %s%n", o.source(), o.status().name().toLowerCase(Locale.ROOT),
                            o.error() != null ? o.error() : o.revision()));
                }
                if (result.sources().isEmpty()) {
                    text.append("no enabled sources; add one with 'freshet sources add'\n");
                }
                result.release().ifPresent(r -> {
                    long rejected = r.report().verdicts().stream().filter(v -> v.outcome() == Verdict.Outcome.REJECTED).count();
                    text.append("release ").append(ReleaseStore.shortId(r.id())).append(": ").append(r.rules().size())
                            .append(" rules (").append(summary(r.diff())).append("), ").append(rejected).append(" rejected by the gate\n");
                });
                result.decision().filter(d -> d != UpdatePolicy.Decision.APPLY)
                        .ifPresent(d -> text.append("not activated: ").append(d.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                                .append("; apply it with 'freshet update apply'\n"));
                result.notReleased().ifPresent(why -> text.append("not released: ").append(why).append('\n'));
                result.activation().ifPresent(a -> text.append(describe(a)).append('\n'));
                parts.updates().rollouts().unfinished(Track.RULES)
                        .filter(r -> result.release().map(Release::id).filter(r.releaseId()::equals).isPresent())
                        .ifPresent(r -> text.append("rolling out: ").append(RolloutText.of(r, Instant.now())).append('\n'));
                result.automaticRollback().ifPresent(a -> text.append(describe(a)).append('\n'));
                if (result.sources().stream().noneMatch(o -> o.status() == Updater.SourceStatus.CHANGED) && result.release().isEmpty()) {
                    text.append("nothing new\n");
                }
                text.append("checked ").append(result.sources().size()).append(" source(s) in ").append(elapsedMillis).append(" ms\n");
                store.print(result, text.toString());
                return ExitCodes.OK;
            } catch (ReleaseException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
        header = "Check sources and sync feeds now, then on their schedules, until stopped.",
            description = {"Check every enabled source and sync the advisory feeds once at start, then each source on its own",
                    "schedule and the feeds on theirs ([feeds] schedule, hourly by default), until stopped (Ctrl-C or SIGTERM).",
                    "New advisories are released at once and watched projects rescanned. Schedules are kept in the store and",
                    "survive restarts; sources added later are picked up within ten seconds."},
            footer = {"", "Example:", "  freshet update watch"})
    static final class Watch implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() throws Exception {
            StopSignal stop = StopSignal.install();
            try (Parts parts = store.parts()) {
                parts.syncConfiguredSources();
                WatchPlan plan = parts.watchPlan(result -> { });
                System.err.println("freshet: watching " + parts.updates().sources().list().stream().filter(e -> e.source().settings().enabled())
                        .map(e -> e.source().name() + " (" + e.source().settings().schedule() + ")").toList()
                        + " and feeds " + plan.feeds().stream().map(Feed::name).toList()
                        + " (" + plan.feedSchedule() + "); Ctrl-C stops");
                // Once at start, so a new watcher does not sit idle until the next cron slot.
                plan.checkNow().run();
                try (CheckScheduler scheduler = new CheckScheduler(parts.updates().database().dataSource(), plan.jobs(), Duration.ofSeconds(10))) {
                    scheduler.start();
                    stop.await();
                }
                System.err.println("freshet: stopped");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "The active release and the last change.",
            footer = {"", "Examples:", "  freshet update status", "  freshet update status --track tenants/acme/rules"})
    static final class Status implements Callable<Integer> {
        @Mixin
        StoreOptions store;
        @Mixin
        TrackOption track;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                ReleaseStore releases = parts.updates().releases();
                Optional<Release> active = releases.active(track.track());
                List<Activation> history = releases.history(track.track());
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("track", track.name);
                json.put("active_release", active.map(Release::id).orElse(null));
                json.put("rules", active.map(r -> r.rules().size()).orElse(0));
                json.put("last_change", history.isEmpty() ? null : history.get(history.size() - 1));
                List<PendingUpdates.Pending> waiting = parts.updates().pending().pending();
                json.put("pending", waiting);
                String text = active.map(r -> "active release " + ReleaseStore.shortId(r.id()) + " (" + r.rules().size()
                        + " rules, created " + r.createdAt() + ")"
                        + (history.isEmpty() ? "" : "\nlast change: " + describe(history.get(history.size() - 1))))
                        .orElse(track.name.equals("rules") ? "no active release yet: run 'freshet update check' after adding a source"
                                : "no active release on " + track.name + " yet")
                        + waiting.stream().map(p -> "\npending: " + p.source() + " " + p.revision() + " -> release "
                                + ReleaseStore.shortId(p.releaseId()) + " (" + p.reason().toLowerCase(Locale.ROOT).replace('_', ' ')
                                + "; 'freshet update apply " + ReleaseStore.shortId(p.releaseId()) + "')").collect(Collectors.joining());
                store.print(json, text);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "All releases, newest first.",
            footer = {"", "Example:", "  freshet update list"})
    static final class ListReleases implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return withStore(store, releases -> {
                List<ReleaseSummary> all = releases.list();
                StringBuilder text = new StringBuilder();
                for (ReleaseSummary r : all) {
                    text.append(String.format("%s %-12s %s  %4d rules  +%d -%d ~%d  (%d rejected)%n", r.active() ? "*" : " ",
                            ReleaseStore.shortId(r.id()), r.createdAt(), r.rules(), r.added(), r.removed(), r.changed(), r.rejected()));
                }
                store.print(all, all.isEmpty() ? "no releases yet\n" : text.toString());
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A release's rules and the validation gate's report: per rule accepted, rejected or skipped, and why.",
            footer = {"", "Examples:", "  freshet update show 3f2a9c", "  freshet update show 3f2a9c --rejected"})
    static final class Show implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "RELEASE", description = "Release id or a unique prefix of it.")
        String release;

        @Option(names = "--rejected", description = "Only the rules the gate did not accept.")
        boolean rejectedOnly;

        @Override
        public Integer call() {
            return withStore(store, releases -> {
                Release found = releases.find(release).orElseThrow(() -> new UserError("no release " + release));
                List<Verdict> verdicts = found.report().verdicts().stream()
                        .filter(v -> !rejectedOnly || v.outcome() != Verdict.Outcome.ACCEPTED).toList();
                StringBuilder text = new StringBuilder("release ").append(found.id()).append("\ncreated ").append(found.createdAt())
                        .append(", ").append(found.rules().size()).append(" rules, ").append(summary(found.diff())).append('\n');
                for (GateReport.SourceFailure refused : found.report().failedSources()) {
                    text.append(String.format("%-9s %-50s %s - %s (kept %d rule(s) from the active release)%n", "refused",
                            "(source)", refused.source(), refused.reason(), refused.keptRules()));
                }
                for (Verdict v : verdicts) {
                    text.append(String.format("%-9s %-50s %s %s%n", v.outcome().name().toLowerCase(Locale.ROOT), v.ruleId(),
                            v.source() + ":" + v.path() + (v.line() > 0 ? ":" + v.line() : ""),
                            v.reason() == null || v.reason().isEmpty() ? "" : "- " + v.reason()));
                }
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("id", found.id());
                json.put("created_at", found.createdAt());
                json.put("parent_id", found.parentId());
                json.put("diff", found.diff());
                json.put("verdicts", verdicts);
                json.put("refused_sources", found.report().failedSources());
                store.print(json, text.toString());
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Every activation and rollback: when, what, why. With --at, what was live at that time.",
            footer = {"", "Examples:", "  freshet update history", "  freshet update history --at 2026-11-20T10:00:00Z"})
    static final class History implements Callable<Integer> {
        @Mixin
        StoreOptions store;
        @Mixin
        TrackOption track;

        @Option(names = "--at", paramLabel = "INSTANT", description = "Show only what was live at this time (ISO-8601, UTC).")
        String at;

        @Override
        public Integer call() {
            return withStore(store, releases -> {
                if (at != null) {
                    Instant instant;
                    try {
                        instant = Instant.parse(at);
                    } catch (DateTimeParseException e) {
                        throw new UserError("--at needs an ISO-8601 time such as 2026-11-20T10:00:00Z, not '" + at + "'");
                    }
                    Optional<Activation> live = releases.liveAt(track.track(), instant);
                    store.print(live.orElse(null), live.map(a -> "live at " + instant + ": " + describe(a))
                            .orElse("nothing was live at " + instant));
                    return ExitCodes.OK;
                }
                List<Activation> history = releases.history(track.track());
                StringBuilder text = new StringBuilder();
                for (Activation a : history) {
                    text.append(describe(a)).append('\n');
                    if (a.previousReleaseId() != null) {
                        ReleaseDiff diff = releases.diff(track.track(), a.previousReleaseId(), a.releaseId());
                        text.append("    ").append(summary(diff)).append('\n');
                    }
                }
                store.print(history, history.isEmpty() ? "no activations yet\n" : text.toString());
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "Rules added, removed and changed from release A to B.",
            footer = {"", "Example:", "  freshet update diff 3f2a9c 81bd04"})
    static final class Diff implements Callable<Integer> {
        @Mixin
        StoreOptions store;
        @Mixin
        TrackOption track;

        @Parameters(index = "0", paramLabel = "A")
        String from;

        @Parameters(index = "1", paramLabel = "B")
        String to;

        @Override
        public Integer call() {
            return withStore(store, releases -> {
                ReleaseDiff diff = releases.diff(track.track(), from, to);
                StringBuilder text = new StringBuilder(summary(diff)).append('\n');
                diff.added().forEach(r -> text.append("+ ").append(r.ruleId()).append("  (").append(r.source()).append(")\n"));
                diff.removed().forEach(r -> text.append("- ").append(r.ruleId()).append("  (").append(r.source()).append(")\n"));
                diff.changed().forEach(r -> text.append("~ ").append(r.ruleId()).append("  (").append(r.source()).append(")\n"));
                store.print(diff, text.toString());
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, header = "Make a release active, or roll it out when a plan applies.",
            description = {"Make a release active. When the policy has a [rollout] plan, the release is rolled out by it (or by",
                    "--rollout) and goes live when the rollout is promoted; --immediate makes it live at once."},
            footer = {"", "Examples:", "  freshet update apply          # the update waiting for approval", "  freshet update apply 81bd04",
                    "  freshet update apply 81bd04 --immediate"})
    static final class Apply implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Mixin
        RolloutOptions rollout;

        @Parameters(paramLabel = "RELEASE", arity = "0..1",
                description = "Release id or a unique prefix of it (default: the newest pending update's release).")
        String release;

        @Option(names = "--reason", description = "Recorded in the history.")
        String reason = "applied by user";

        @Override
        public Integer call() {
            String target = release != null ? release : newestPending();
            PlanOverride override = rollout.override();
            try (Parts parts = store.parts()) {
                Optional<RolloutPlan> plan = override.apply(parts.policy().rolloutPlan());
                if (plan.isEmpty()) {
                    return changeActiveRelease(store, releases -> releases.activate(target, Trigger.USER, reason));
                }
                Optional<Rollout> started = parts.updates().rollouts().start(target, plan, reason);
                if (started.isEmpty()) {
                    store.print(Map.of("release", target, "live", true), "release " + target
                            + " is live at once: nothing was live on its track to roll it out against, or it was live already");
                } else {
                    store.print(started.get(), "rolling out: " + RolloutText.of(started.get(), Instant.now())
                            + "\nit goes live when promoted; see 'freshet rollout status', or apply with --immediate");
                }
                return ExitCodes.OK;
            } catch (ReleaseException e) {
                throw new UserError(e.getMessage());
            }
        }

        private String newestPending() {
            try (Parts parts = store.parts()) {
                List<PendingUpdates.Pending> waiting = parts.updates().pending().pending();
                if (waiting.isEmpty()) {
                    throw new UserError("nothing is pending; name a release (see 'freshet update list')");
                }
                return waiting.get(waiting.size() - 1).releaseId();
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Go back to the release active before the current one, or to any earlier release.",
            footer = {"", "Examples:", "  freshet update rollback", "  freshet update rollback --to 3f2a9c",
                    "  freshet update rollback --track models/http-anomaly"})
    static final class Rollback implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Mixin
        TrackOption track;

        @Option(names = "--to", paramLabel = "RELEASE", description = "Release id or a unique prefix of it.")
        String to;

        @Option(names = "--reason", description = "Recorded in the history.")
        String reason = "rolled back by user";

        @Override
        public Integer call() {
            return changeActiveRelease(store, releases -> releases.rollback(track.track(), Optional.ofNullable(to), Trigger.USER, reason));
        }
    }

    /**
     * Activates or rolls back, timing just the change; whatever was pending is settled by the
     * person's decision.
     */
    private static int changeActiveRelease(StoreOptions store, Function<ActivationService, Activation> change) {
        try (Parts parts = store.parts()) {
            long started = System.nanoTime();
            Activation activation = change.apply(parts.updates().activations());
            double millis = (System.nanoTime() - started) / 1e6;
            store.print(activation, describe(activation) + String.format(" in %.1f ms", millis));
            return ExitCodes.OK;
        } catch (ReleaseException e) {
            throw new UserError(e.getMessage());
        }
    }

    static String describe(Activation a) {
        return ActivationText.of(a);
    }

    static String summary(ReleaseDiff diff) {
        String rules = diff.added().size() + " added, " + diff.removed().size() + " removed, " + diff.changed().size() + " changed";
        return rules + (diff.demoted().isEmpty() ? "" : ", on probation: " + String.join(", ", diff.demoted()))
                + (diff.restored().isEmpty() ? "" : ", off probation: " + String.join(", ", diff.restored()));
    }
}
