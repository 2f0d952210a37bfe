package dev.freshet.updates.community;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.freshet.updates.community.Contribution.ContributedFile;
import dev.freshet.updates.community.Contribution.State;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.GateResult;
import dev.freshet.updates.gate.SnapshotWithPolicy;
import dev.freshet.updates.gate.ValidationGate;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.RuleSource;
import dev.freshet.updates.sources.SourceFile;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.sources.SourceSnapshot;
import dev.freshet.updates.store.OwnerOnly;
import dev.freshet.updates.store.SharedWrites;
import dev.freshet.updates.store.StoredJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contributed rules on their way to users: the gate checks a contribution at once (its report is
 * the answer to the submission), a maintainer approves or rejects what passed (trusted contributors
 * skip review for low-risk kinds, by policy), and an approved contribution is published into the
 * community rule source, a local directory under the data directory registered as source
 * {@value #SOURCE}. From there it reaches users like any update: the next check releases it.
 */
public final class Contributions {
    public static final String SOURCE = "community";
    /** Community rules win over other sources' rules of the same id: an approved improvement replaces the rule. */
    public static final int SOURCE_PRIORITY = 100;
    private static final Logger LOG = LoggerFactory.getLogger(Contributions.class);
    private static final String COLUMNS = "id, submitted_at, tenant, contributor, kind, title, license, files, rule_ids, state, "
            + "gate_report, reviewer, reviewed_at, review_reason, feedback_ids";

    private final Jdbi jdbi;
    private final ValidationGate gate;
    private final SourceRegistry sources;
    private final Reputation reputation;
    private final FeedbackPolicy policy;
    private final Path directory;
    private final Clock clock;

    /** @param directory the community source's directory (created on the first publication) */
    public Contributions(Jdbi jdbi, ValidationGate gate, SourceRegistry sources, Reputation reputation, FeedbackPolicy policy,
                         Path directory, Clock clock) {
        this.jdbi = jdbi;
        this.gate = gate;
        this.sources = sources;
        this.reputation = reputation;
        this.policy = policy;
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * Runs the gate on the contribution and stores it with the report: rejected by the gate, waiting
     * for review, or (a trusted contributor's low-risk change) approved and published at once.
     */
    public Contribution submit(Giver giver, NewContribution contribution) {
        return submit(giver, contribution, List.of());
    }

    /** {@link #submit(Giver, NewContribution)} for a rule patch made from these feedback records. */
    public Contribution submit(Giver giver, NewContribution contribution, List<Long> feedbackIds) {
        Map<String, Map<String, Object>> contributed = new LinkedHashMap<>();
        contribution.files().stream().filter(f -> NewContribution.isRuleFile(f.path()))
                .forEach(f -> contributed.putAll(ContributionKinds.rulesIn(f.content())));
        ContributionKinds.check(contribution.kind(), contributed, known());
        GateReport report = check(contribution);
        List<String> ruleIds = report.verdicts().stream().map(Verdict::ruleId).filter(id -> !id.equals("(file)")).distinct().toList();
        boolean passed = passed(report);
        Contribution stored = jdbi.inTransaction(h -> {
            SharedWrites.lock(h, "contributions");
            long id = h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM contributions").mapTo(Long.class).one();
            Instant now = clock.instant();
            State state = passed ? State.PENDING_REVIEW : State.GATE_REJECTED;
            h.createUpdate("INSERT INTO contributions (" + COLUMNS + ") VALUES (:id, :at, :tenant, :contributor, :kind, :title, :license, "
                            + ":files, :rules, :state, :report, NULL, NULL, NULL, :feedback)")
                    .bind("id", id).bind("at", now.toEpochMilli()).bind("tenant", giver.tenant()).bind("contributor", giver.contributor())
                    .bind("kind", contribution.kind().name()).bind("title", contribution.title()).bind("license", contribution.license())
                    .bind("files", StoredJson.write(contribution.files())).bind("rules", StoredJson.write(ruleIds)).bind("state", state.name())
                    .bind("report", StoredJson.write(report)).bind("feedback", StoredJson.write(feedbackIds)).execute();
            if (!passed) {
                reputation.record(h, giver.contributor(), "rejected:" + id, Reputation.REJECTED_BY_GATE, "contribution " + id + " failed the gate");
            }
            Map<String, Object> payload = new LinkedHashMap<>(Map.of("contribution", id, "kind", contribution.kind().lowerCase(),
                    "contributor", giver.contributor(), "tenant", giver.tenant(), "state", state.name(), "rule_ids", ruleIds));
            if (!feedbackIds.isEmpty()) {
                payload.put("feedback_ids", feedbackIds);
            }
            EventLog.append(h, now, EventType.CONTRIBUTION_SUBMITTED, null, null, payload);
            return find(h, id).orElseThrow();
        });
        LOG.info("contribution {} ({}, {}) from {}/{}: {}", stored.id(), stored.kind().lowerCase(), ruleIds, giver.tenant(),
                giver.contributor(), stored.state());
        if (passed && policy.skipsReview(contribution.kind(), reputation.of(giver.contributor()))) {
            return review(stored.id(), "policy", true, "trusted contributor (reputation at least "
                    + policy.trustedReputation() + "), low-risk change");
        }
        return stored;
    }

    /**
     * Submits a rule patch Freshet made from feedback: its test file carries the feedback, so the
     * gate's acceptance is the check, and an accepted patch is approved (and published) at once.
     */
    public Contribution submitPatch(NewContribution patch, List<Long> feedbackIds) {
        Contribution submitted = submit(Giver.FRESHET, patch, feedbackIds);
        return submitted.state() == State.PENDING_REVIEW
                ? review(submitted.id(), Giver.FRESHET.contributor(), true, "the gate accepted the patch against the feedback it was made from")
                : submitted;
    }

    /** Approves a contribution waiting for review and publishes it into the community source. */
    public Contribution approve(long id, String reviewer, String reason) {
        return review(id, reviewer, true, reason);
    }

    /** Rejects a contribution waiting for review; the reason is required and shown to the contributor. */
    public Contribution reject(long id, String reviewer, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new CommunityException("a rejection needs a reason the contributor can act on");
        }
        return review(id, reviewer, false, reason);
    }

    private Contribution review(long id, String reviewer, boolean approve, String reason) {
        if (reason != null && reason.length() > 2000) {
            throw new CommunityException("the reason is longer than 2000 characters");
        }
        Contribution reviewed = jdbi.inTransaction(h -> {
            SharedWrites.lock(h, "contributions");
            Contribution c = find(h, id).orElseThrow(() -> new CommunityException(CommunityException.Kind.NOT_FOUND, "no contribution " + id));
            if (c.state() != State.PENDING_REVIEW) {
                throw new CommunityException(CommunityException.Kind.CONFLICT, "contribution " + id + " is " + c.state().name().toLowerCase()
                        .replace('_', ' ') + "; only one waiting for review can be " + (approve ? "approved" : "rejected"));
            }
            State state = approve ? State.APPROVED : State.REJECTED;
            Instant now = clock.instant();
            h.createUpdate("UPDATE contributions SET state = :state, reviewer = :reviewer, reviewed_at = :at, review_reason = :reason WHERE id = :id")
                    .bind("state", state.name()).bind("reviewer", reviewer).bind("at", now.toEpochMilli())
                    .bind("reason", reason == null || reason.isBlank() ? null : reason.strip()).bind("id", id).execute();
            if (approve) {
                reputation.record(h, c.contributor(), "approved:" + id, Reputation.APPROVED, "contribution " + id + " approved");
            } else {
                reputation.record(h, c.contributor(), "rejected:" + id, Reputation.REJECTED_IN_REVIEW, "contribution " + id + " rejected");
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("contribution", id);
            payload.put("state", state.name());
            payload.put("reviewer", reviewer);
            if (reason != null) {
                payload.put("reason", reason);
            }
            payload.put("rule_ids", c.ruleIds());
            EventLog.append(h, now, EventType.CONTRIBUTION_REVIEWED, ReleaseStore.activeId(h, Track.RULES).orElse(null), null, payload);
            if (approve) {
                publish(c); // inside the transaction: a failed write leaves it waiting for review
            }
            return find(h, id).orElseThrow();
        });
        if (approve) {
            ensureSource();
        }
        LOG.info("contribution {} {} by {}{}", id, reviewed.state(), reviewer, reason == null ? "" : ": " + reason);
        return reviewed;
    }

    public Optional<Contribution> find(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    /** Contributions, newest first, optionally in one state. */
    public List<Contribution> list(Optional<State> state) {
        return jdbi.withHandle(h -> {
            Query query = h.createQuery("SELECT " + COLUMNS + " FROM contributions" + (state.isPresent() ? " WHERE state = :state" : "")
                    + " ORDER BY id DESC");
            state.ifPresent(s -> query.bind("state", s.name()));
            return query.map((rs, ctx) -> contribution(rs)).list();
        });
    }

    /**
     * The rules that exist for a contribution to clash with or change: the live rules release's and
     * the community source's (published, maybe not released yet; they win over the release's). A
     * tenant's own rules stay out: their ids are the tenant's business.
     */
    private Map<String, ContributionKinds.Known> known() {
        Map<String, ContributionKinds.Known> known = new HashMap<>();
        jdbi.useHandle(h -> ReleaseStore.activeId(h, Track.RULES).flatMap(id -> ReleaseStore.find(h, id)).ifPresent(release -> {
            String where = "in release " + ReleaseStore.shortId(release.id()) + " of rules";
            release.rules().forEach(rule -> ContributionKinds.rulesIn(rule.yaml()).forEach((id, parsed) ->
                    known.put(id, new ContributionKinds.Known(parsed, where + " from source " + rule.source()))));
        }));
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.walk(directory, 2)) {
                for (Path file : files.filter(f -> NewContribution.isRuleFile(f.getFileName().toString()))
                        .filter(f -> !directory.relativize(f).toString().startsWith(".")).toList()) {
                    ContributionKinds.rulesIn(Files.readString(file)).forEach((id, parsed) ->
                            known.put(id, new ContributionKinds.Known(parsed, "in the community source")));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the community source " + directory, e);
            }
        }
        return known;
    }

    /** The community source's directory. */
    public Path directory() {
        return directory;
    }

    /** Whether the gate accepted every rule of a report (and refused no file). */
    static boolean passed(GateReport report) {
        return !report.verdicts().isEmpty() && report.failedSources().isEmpty()
                && report.verdicts().stream().allMatch(v -> v.outcome() == Verdict.Outcome.ACCEPTED);
    }

    /** The gate's report on the files as one source's snapshot, each rule required to bring its tests. */
    GateReport check(NewContribution contribution) {
        List<SourceFile> files = contribution.files().stream()
                .map(f -> new SourceFile(f.path(), f.content().getBytes(StandardCharsets.UTF_8))).toList();
        try {
            GateResult result = gate.validate(List.of(new SnapshotWithPolicy(new SourceSnapshot(SOURCE, "contribution", files), 0, true)));
            return result.report();
        } catch (IOException e) {
            throw new UncheckedIOException("the validation gate could not run", e);
        }
    }

    /**
     * Writes the contribution's files as the directory of its first rule, replacing what an earlier
     * contribution put there: written beside it, then moved into place.
     */
    private void publish(Contribution c) {
        String name = c.ruleIds().isEmpty() ? "contribution-" + c.id() : c.ruleIds().getFirst().replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            OwnerOnly.createDirectories(directory);
            Path staging = Files.createTempDirectory(directory, ".staging-");
            for (ContributedFile file : c.files()) {
                Files.writeString(staging.resolve(file.path()), file.content());
            }
            Path target = directory.resolve(name);
            if (Files.exists(target)) {
                Path old = directory.resolve(".replaced-" + c.id());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish contribution " + c.id() + " into " + directory, e);
        }
    }

    /** Registers the community directory as a rule source, unless a source of that name exists. */
    private void ensureSource() {
        Optional<RuleSource> existing = sources.find(SOURCE).map(SourceRegistry.Entry::source);
        if (existing.isPresent()) {
            if (!(existing.get() instanceof LocalDirectorySource local) || !local.dir().toAbsolutePath().normalize()
                    .equals(directory.toAbsolutePath().normalize())) {
                LOG.warn("source '{}' is not the community directory {}; approved contributions are published there but not released",
                        SOURCE, directory);
            }
            return;
        }
        sources.add(new LocalDirectorySource(SOURCE, directory, SourceSettings.defaults().withPriority(SOURCE_PRIORITY).withTestsRequired(true)));
        LOG.info("community rule source '{}' registered at {}", SOURCE, directory);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Optional<Contribution> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM contributions WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> contribution(rs)).findOne();
    }

    private static Contribution contribution(ResultSet rs) throws SQLException {
        long reviewedAt = rs.getLong("reviewed_at");
        boolean unreviewed = rs.wasNull();
        return new Contribution(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("submitted_at")), rs.getString("tenant"),
                rs.getString("contributor"), ContributionKind.valueOf(rs.getString("kind")), rs.getString("title"), rs.getString("license"),
                StoredJson.read(rs.getString("files"), new TypeReference<List<ContributedFile>>() { }),
                StoredJson.read(rs.getString("rule_ids"), new TypeReference<List<String>>() { }), State.valueOf(rs.getString("state")),
                StoredJson.read(rs.getString("gate_report"), new TypeReference<GateReport>() { }), rs.getString("reviewer"),
                unreviewed ? null : Instant.ofEpochMilli(reviewedAt), rs.getString("review_reason"),
                rs.getString("feedback_ids") == null ? List.of() : StoredJson.read(rs.getString("feedback_ids"), new TypeReference<List<Long>>() { }));
    }
}
