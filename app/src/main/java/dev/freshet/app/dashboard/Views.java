package dev.freshet.app.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.app.server.Services;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.feeds.FeedStatus;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.learning.ModelReleases;
import dev.freshet.updates.learning.ModelVersion;
import dev.freshet.updates.learning.ModelVersion;
import dev.freshet.updates.projects.Project;
import dev.freshet.updates.projects.ProjectFinding;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.LocalOverride;
import dev.freshet.updates.release.OverrideChange;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.rollout.Analysis;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutEngine;
import dev.freshet.updates.rollout.RolloutStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What each dashboard page shows, read from the same stores and services the API reads: plain
 * records of display values the templates place without deciding anything.
 */
final class Views {
    static final int HISTORY_ROWS = 50;
    static final int EVENT_ROWS = 100;
    static final int FINDING_DAYS = 30;
    static final String MODEL = "http-anomaly";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    record TrackView(String track, String releaseId, String shortId, String createdAt, int rules, String since, String trigger,
                     String reason, List<Choice> rollbackChoices) {
    }

    record Choice(String value, String label) {
    }

    record HistoryRow(long seq, String at, String track, String kind, String releaseId, String shortId, String previousShortId,
                      String trigger, String reason) {
    }

    record RolloutView(String track, String releaseShortId, String stableShortId, String state, boolean finished, boolean paused,
                       List<StepView> steps, int failures, String timeToPromotion, String reason, AnalysisView analysis,
                       List<RolloutStatus.RuleChange> findingChanges, String updatedAt) {
    }

    record StepView(String name, boolean current, boolean done) {
    }

    record AnalysisView(String verdict, long candidateScans, long stableScans, String errorRate, String p95Ratio, String findingsRatio,
                        List<String> breaches) {
    }

    record FeedView(String feed, long records, String lastSuccess, String age, String target, String state, String lastError) {
    }

    record VerdictView(String ruleId, String source, String path, String outcome, String reason) {
    }

    record OverrideView(long id, String ruleId, String change, String createdAt) {
    }

    record ProjectView(String name, String stack, String addedAt, String lastScanAt, long open, long resolved,
                       List<FindingView> findings) {
    }

    /**
     * @param what   the advisory or the rule
     * @param where  the package in its lockfile, or the place in the code
     * @param detail the reachability of a vulnerable dependency, or the severity and message of a code finding
     */
    record FindingView(String what, String where, String detail, String since, String resolvedAt) {
        static FindingView of(ProjectFinding finding, Function<Instant, String> when) {
            String resolved = finding.resolvedAt() == null ? "" : when.apply(finding.resolvedAt());
            return switch (finding) {
                case ProjectFinding.Dependency f -> new FindingView(f.advisoryId(),
                        f.packageName() + " " + f.version() + " (" + f.ecosystem() + ") · " + f.lockfile(),
                        f.reachability() == null ? "" : f.reachability(), when.apply(f.firstSeen()), resolved);
                case ProjectFinding.Code f -> new FindingView(f.ruleId(), f.path() + ":" + f.line(),
                        f.severity() + " · " + f.message().lines().findFirst().orElse(""), when.apply(f.firstSeen()), resolved);
            };
        }
    }

    record ModelView(String digest, String shortDigest, String parent, String created, boolean passed, boolean active,
                     String threshold, List<Figure> figures, List<String> reasons) {
    }

    record Figure(String name, String value) {
    }

    record EventView(long id, String at, String type, String severity, String release, String details) {
    }

    private final Services services;
    private final RolloutEngine rollouts;
    private final ModelReleases models;
    private final Supplier<List<RuleHealthRow>> ruleHealth;

    Views(Services services, RolloutEngine rollouts, ModelReleases models, Supplier<List<RuleHealthRow>> ruleHealth) {
        this.services = services;
        this.rollouts = rollouts;
        this.models = models;
        this.ruleHealth = ruleHealth;
    }

    /** Tracks that have ever had a release live, rules first. */
    List<Track> tracks(List<Activation> history) {
        Set<String> names = new LinkedHashSet<>();
        names.add(Track.RULES.name());
        history.forEach(a -> names.add(a.track()));
        return names.stream().map(Track::of).toList();
    }

    Map<String, Object> overview() {
        List<Activation> history = services.releases().history();
        List<TrackView> tracks = new ArrayList<>();
        for (Track track : tracks(history)) {
            Optional<Release> active = services.releases().active(track);
            List<Activation> ofTrack = history.stream().filter(a -> a.track().equals(track.name())).toList();
            Optional<Activation> last = ofTrack.isEmpty() ? Optional.empty() : Optional.of(ofTrack.getLast());
            Set<String> earlier = new LinkedHashSet<>();
            ofTrack.reversed().stream().map(Activation::releaseId).filter(id -> active.map(Release::id).filter(id::equals).isEmpty())
                    .forEach(earlier::add);
            tracks.add(new TrackView(track.name(), active.map(Release::id).orElse(null), active.map(r -> ReleaseStore.shortId(r.id())).orElse(null),
                    active.map(r -> when(r.createdAt())).orElse(null), active.map(r -> r.rules().size()).orElse(0),
                    last.map(a -> when(a.at())).orElse(null), last.map(a -> a.trigger().name().toLowerCase(Locale.ROOT)).orElse(null),
                    last.map(Activation::reason).orElse(null),
                    earlier.stream().map(id -> new Choice(id, ReleaseStore.shortId(id))).toList()));
        }
        List<HistoryRow> rows = history.reversed().stream().limit(HISTORY_ROWS).map(a -> new HistoryRow(a.seq(), when(a.at()), a.track(),
                a.kind().name().toLowerCase(Locale.ROOT), a.releaseId(), ReleaseStore.shortId(a.releaseId()),
                a.previousReleaseId() == null ? "" : ReleaseStore.shortId(a.previousReleaseId()),
                a.trigger().name().toLowerCase(Locale.ROOT), a.reason() == null ? "" : a.reason())).toList();
        return Map.of("tracks", tracks, "history", rows, "releaseCount", services.releases().list().size());
    }

    Map<String, Object> rollouts() {
        Map<Long, Rollout> shown = new LinkedHashMap<>();
        rollouts.unfinished().forEach(r -> shown.put(r.id(), r));
        for (Track track : tracks(services.releases().history())) {
            rollouts.latest(track).ifPresent(r -> shown.putIfAbsent(r.id(), r));
        }
        Instant now = services.clock().instant();
        return Map.of("rollouts", shown.values().stream().map(r -> rollout(RolloutStatus.of(rollouts, r, now))).toList());
    }

    private static RolloutView rollout(RolloutStatus status) {
        Rollout r = status.rollout();
        List<StepView> steps = new ArrayList<>();
        for (int i = 0; i < r.plan().steps().size(); i++) {
            steps.add(new StepView(r.plan().steps().get(i), i == r.step(), i < r.step() || r.state() == Rollout.State.PROMOTED));
        }
        Analysis a = r.analysis();
        AnalysisView analysis = a == null ? null : new AnalysisView(a.verdict().name().toLowerCase(Locale.ROOT), a.candidateScans(),
                a.stableScans(), fixed(a.errorRate(), 3), fixed(a.p95Ratio(), 2), fixed(a.findingsRatio(), 2), a.breaches());
        return new RolloutView(r.track(), ReleaseStore.shortId(r.releaseId()),
                r.stableReleaseId() == null ? "" : ReleaseStore.shortId(r.stableReleaseId()), r.state().name().toLowerCase(Locale.ROOT),
                r.state().finished(), r.state() == Rollout.State.PAUSED, steps, r.failures(),
                duration(Duration.ofSeconds(status.secondsToPromotion())), r.reason() == null ? "" : r.reason(), analysis,
                status.findingChanges().stream().sorted(Comparator.comparingInt((RolloutStatus.RuleChange c) -> -(c.added() + c.removed())))
                        .limit(20).toList(), when(r.updatedAt()));
    }

    Map<String, Object> feeds(Language language) {
        List<FeedStatus> statuses = services.feedSync().status(services.feeds());
        List<FeedView> rows = statuses.stream().map(s -> new FeedView(s.feed(), s.records(), s.lastSuccess() == null ? "" : when(s.lastSuccess()),
                s.age() == null ? "" : duration(s.age()), duration(s.freshnessTarget()), s.state().name().toLowerCase(Locale.ROOT),
                s.lastError() == null ? "" : s.lastError())).toList();
        List<Chart.Point> points = statuses.stream().map(s -> {
            double percent = s.age() == null ? 0 : 100.0 * s.age().toSeconds() / Math.max(1, s.freshnessTarget().toSeconds());
            String text = s.age() == null ? Templates.message(language, "feeds.never", List.of()) : Chart.number(Math.round(percent)) + " %";
            return new Chart.Point(s.feed(), s.age() == null ? Double.POSITIVE_INFINITY : percent, text, switch (s.state()) {
                case FRESH -> "ok";
                case STALE -> "warn";
                case FAILING, NEVER_SYNCED -> "bad";
            });
        }).toList();
        Chart chart = Chart.of("feed-age", Templates.message(language, "feeds.chart", List.of()), points, 100.0,
                Templates.message(language, "feeds.chart.target", List.of()), " %");
        return Map.of("feeds", rows, "chart", chart);
    }

    Map<String, Object> rules() {
        Optional<Release> active = services.releases().active();
        List<Verdict> verdicts = active.map(r -> r.report().verdicts()).orElse(List.of());
        Map<String, Long> counts = new TreeMap<>(verdicts.stream().collect(Collectors.groupingBy(
                v -> v.outcome().name().toLowerCase(Locale.ROOT), Collectors.counting())));
        List<VerdictView> refused = verdicts.stream().filter(v -> v.outcome() != Verdict.Outcome.ACCEPTED)
                .map(v -> new VerdictView(v.ruleId(), v.source(), v.path(), v.outcome().name().toLowerCase(Locale.ROOT),
                        v.reason() == null ? "" : v.reason())).toList();
        List<OverrideView> overrides = services.overrides().list().stream().map(Views::override).toList();
        Map<String, Long> bySource = new TreeMap<>(active.map(r -> r.rules().stream()
                .collect(Collectors.groupingBy(rule -> rule.source(), Collectors.counting()))).orElse(Map.of()));
        List<RuleHealthRow> health = RuleHealthRow.worstFirst(ruleHealth.get());
        return Map.of("releaseShortId", active.map(r -> ReleaseStore.shortId(r.id())).orElse(""), "counts", counts, "refused", refused,
                "overrides", overrides, "bySource", bySource, "health", health,
                "probation", health.stream().filter(RuleHealthRow::onProbation).count());
    }

    private static OverrideView override(LocalOverride o) {
        String change = switch (o.change()) {
            case OverrideChange.Disable d -> "disable";
            case OverrideChange.SetSeverity s -> "severity " + s.severity();
            case OverrideChange.ExcludePaths p -> "exclude " + String.join(", ", p.globs());
            case OverrideChange.AddPatternNot p -> "pattern-not " + p.pattern();
        };
        return new OverrideView(o.id(), o.ruleId(), change, when(o.createdAt()));
    }

    Map<String, Object> projects(String tenant, Language language) {
        List<ProjectView> projects = new ArrayList<>();
        List<ProjectFinding> all = new ArrayList<>();
        for (Project project : services.projects().list(tenant)) {
            List<ProjectFinding> findings = services.projects().findings(tenant, project.name(), true);
            all.addAll(findings);
            projects.add(new ProjectView(project.name(), stack(project.stack()), when(project.addedAt()),
                    project.lastScanAt() == null ? "" : when(project.lastScanAt()),
                    findings.stream().filter(f -> f.resolvedAt() == null).count(), findings.stream().filter(f -> f.resolvedAt() != null).count(),
                    findings.stream().sorted(Comparator.comparing(ProjectFinding::firstSeen).reversed())
                            .map(f -> FindingView.of(f, Views::when)).toList()));
        }
        return Map.of("projects", projects, "chart", Chart.of("findings-over-time", Templates.message(language, "projects.chart", List.of()),
                openPerDay(all, LocalDate.ofInstant(services.clock().instant(), ZoneOffset.UTC)), null, "", ""));
    }

    /** Open findings at the end of each of the last {@link #FINDING_DAYS} days: found by then, not yet resolved. */
    static List<Chart.Point> openPerDay(List<ProjectFinding> findings, LocalDate today) {
        List<Chart.Point> points = new ArrayList<>();
        for (LocalDate day = today.minusDays(FINDING_DAYS - 1); !day.isAfter(today); day = day.plusDays(1)) {
            Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            long open = findings.stream().filter(f -> f.firstSeen().isBefore(end) && (f.resolvedAt() == null || !f.resolvedAt().isBefore(end)))
                    .count();
            points.add(new Chart.Point(day.toString().substring(5), open, String.valueOf(open), open == 0 ? "ok" : "warn"));
        }
        return points;
    }

    Map<String, Object> models(Language language) {
        List<ModelVersion> newestFirst = models.list();
        String active = models.active().map(ModelVersion::digest).orElse("");
        List<ModelView> versions = newestFirst.stream().map(v -> new ModelView(v.digest(), v.shortDigest(),
                v.parent().isEmpty() ? "" : v.parent().substring(0, Math.min(12, v.parent().length())), v.created(), v.passed(),
                v.digest().equals(active), fixed(v.threshold(), 4),
                new TreeMap<>(v.evaluation()).entrySet().stream().map(e -> new Figure(e.getKey(), figure(e.getValue()))).toList(),
                v.reasons())).toList();
        List<Chart.Point> points = newestFirst.reversed().stream().filter(v -> v.evaluation().get("validation_fpr") instanceof Number)
                .map(v -> {
                    double percent = ((Number) v.evaluation().get("validation_fpr")).doubleValue() * 100;
                    return new Chart.Point(v.shortDigest(), percent, fixed(percent, 2) + " %", v.passed() ? "ok" : "bad");
                }).toList();
        return Map.of("model", MODEL, "versions", versions, "chart", Chart.of("anomaly-rate",
                Templates.message(language, "models.chart", List.of()), points, null, "", " %"));
    }

    Map<String, Object> events(long before) {
        List<Event> events = services.jdbi().withHandle(h -> {
            long newest = h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one();
            long upTo = before <= 0 ? newest + 1 : before;
            return new EventLog(services.jdbi()).after(Math.max(0, upTo - 1 - EVENT_ROWS), EVENT_ROWS).stream()
                    .filter(e -> e.id() < upTo).toList();
        });
        List<EventView> rows = events.reversed().stream().map(e -> new EventView(e.id(), when(e.occurredAt()),
                e.type().name().toLowerCase(Locale.ROOT), e.severity().name().toLowerCase(Locale.ROOT),
                e.releaseId() == null ? "" : ReleaseStore.shortId(e.releaseId()),
                new TreeMap<>(e.payload()).entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue())
                        .collect(Collectors.joining("; ")))).toList();
        long oldest = events.isEmpty() ? 0 : events.getFirst().id();
        return Map.of("events", rows, "older", oldest > 1 ? oldest : 0);
    }

    /** The stack a scan detected ({@code {"ecosystems": [...], "languages": [...]}}) as one list of names. */
    static String stack(String json) {
        if (json == null || json.isBlank()) {
            return "–";
        }
        try {
            List<String> names = new ArrayList<>();
            JSON.readTree(json).forEach(kind -> kind.forEach(name -> names.add(name.asText())));
            return names.isEmpty() ? "–" : String.join(", ", names);
        } catch (IOException e) {
            return json; // shown as stored rather than hidden
        }
    }

    static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }

    static String duration(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = d.toHours();
        return hours < 48 ? hours + " h " + (minutes % 60) + " min" : d.toDays() + " d " + (hours % 24) + " h";
    }

    private static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String figure(Object value) {
        return value instanceof Double || value instanceof Float ? fixed(((Number) value).doubleValue(), 4) : String.valueOf(value);
    }
}
