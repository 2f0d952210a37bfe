package dev.freshet.app;

import dev.freshet.updates.release.ReleaseDiff;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutEngine;
import dev.freshet.updates.rollout.RolloutStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "The rollout of a release on a track: its step, analysis, and what it changes; promote, pause, resume or abort it.",
        subcommands = {RolloutCommand.Status.class, RolloutCommand.Diff.class, RolloutCommand.Promote.class, RolloutCommand.Pause.class,
                RolloutCommand.Resume.class, RolloutCommand.Abort.class},
        footer = {"", "Examples:", "  freshet rollout status", "  freshet rollout diff --track rules", "  freshet rollout abort --reason 'too noisy'"})
final class RolloutCommand {

    /** Options every rollout command takes. */
    static final class Target {
        @Mixin
        StoreOptions store;
        @Mixin
        TrackOption track;
    }

    private static <T> T withEngine(Target target, BiFunction<RolloutEngine, ReleaseStore, T> action) {
        try (Parts parts = target.store.parts()) {
            return action.apply(parts.updates().rollouts(), parts.updates().releases());
        } catch (ReleaseException e) {
            throw new UserError(e.getMessage());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "The newest rollout of the track: step, time to promotion, analysis.",
            footer = {"", "Example:", "  freshet rollout status --track rules"})
    static final class Status implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() {
            return withEngine(target, (engine, releases) -> {
                Instant now = Instant.now();
                Optional<Rollout> latest = engine.latest(target.track.track());
                target.store.print(latest.map(r -> RolloutStatus.of(engine, r, now)).orElse(null),
                        latest.map(r -> RolloutText.of(r, now)).orElse("no rollout on " + target.track.name + " yet\n"));
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "What the rollout's release would change in your projects: per rule, findings the shadow scans added and removed; and the rules it adds, removes and changes.",
            footer = {"", "Example:", "  freshet rollout diff"})
    static final class Diff implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() {
            return withEngine(target, (engine, releases) -> {
                Rollout r = engine.latest(target.track.track()).orElseThrow(() ->
                        new UserError("no rollout on " + target.track.name + " yet: nothing to compare"));
                Map<String, RolloutEngine.RuleEffect> changes = engine.ruleChanges(r.id());
                ReleaseDiff rules = releases.diff(target.track.track(), r.stableReleaseId(), r.releaseId());
                StringBuilder text = new StringBuilder("release ").append(ReleaseStore.shortId(r.releaseId())).append(" against ")
                        .append(ReleaseStore.shortId(r.stableReleaseId())).append(": ").append(rules.added().size()).append(" rules added, ")
                        .append(rules.removed().size()).append(" removed, ").append(rules.changed().size()).append(" changed\n");
                if (changes.isEmpty()) {
                    text.append("no shadow scan has changed a finding yet\n");
                }
                changes.forEach((rule, c) -> text.append(String.format("  %-50s +%d -%d findings, %.1f ms against %.1f ms, %d errors against %d%n",
                        rule, c.added(), c.removed(), c.candidateMicros() / 1e3, c.stableMicros() / 1e3, c.candidateErrors(), c.stableErrors())));
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("rollout", r.id());
                json.put("rules", rules);
                json.put("findings", changes);
                target.store.print(json, text.toString());
                return ExitCodes.OK;
            });
        }
    }

    /** promote, pause, resume, abort: one act on the rollout under way, with a reason. */
    abstract static class Act implements Callable<Integer> {
        @Mixin
        Target target;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept in the rollout and the event log).")
        String reason;

        abstract Rollout act(RolloutEngine engine, String why);

        @Override
        public Integer call() {
            return withEngine(target, (engine, releases) -> {
                Rollout r = act(engine, reason == null ? "by a person" : reason);
                Instant now = Instant.now();
                target.store.print(RolloutStatus.of(engine, r, now), RolloutText.of(r, now));
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Move the rollout to its next step now (at the last step: make the release live).",
            footer = {"", "Example:", "  freshet rollout promote --reason 'checked the diff'"})
    static final class Promote extends Act {
        @Override
        Rollout act(RolloutEngine engine, String why) {
            return engine.promote(target.track.track(), why);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Hold the rollout at its step; the candidate keeps its cohorts.",
            footer = {"", "Example:", "  freshet rollout pause"})
    static final class Pause extends Act {
        @Override
        Rollout act(RolloutEngine engine, String why) {
            return engine.pause(target.track.track(), why);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue a paused rollout with a fresh analysis window.",
            footer = {"", "Example:", "  freshet rollout resume"})
    static final class Resume extends Act {
        @Override
        Rollout act(RolloutEngine engine, String why) {
            return engine.resume(target.track.track(), why);
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true, description = "Drop the candidate; the stable release stays live.",
            footer = {"", "Example:", "  freshet rollout abort --reason 'too noisy'"})
    static final class Abort extends Act {
        @Override
        Rollout act(RolloutEngine engine, String why) {
            return engine.abort(target.track.track(), why);
        }
    }
}
