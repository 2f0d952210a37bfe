package dev.freshet.app.server;

import dev.freshet.updates.access.Role;
import dev.freshet.updates.community.CommunityException;
import dev.freshet.updates.community.Contribution;
import dev.freshet.updates.community.Contribution.ContributedFile;
import dev.freshet.updates.community.ContributionKind;
import dev.freshet.updates.community.FeedbackRecord;
import dev.freshet.updates.community.FeedbackVerdict;
import dev.freshet.updates.community.Giver;
import dev.freshet.updates.community.NewContribution;
import dev.freshet.updates.community.NewFeedback;
import dev.freshet.updates.community.RuleHealth;
import dev.freshet.updates.release.ReleaseException;
import io.javalin.http.HandlerType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Community learning over HTTP: feedback on findings (one or a batch), rule health, contributors'
 * reputation, and contributions with their review. A tenant sees its own feedback and contributions;
 * a global admin (the community's maintainer) sees all and reviews them.
 */
final class CommunityRoutes {
    /** One verdict; {@code anonymous} leaves the key out where the tenant's policy allows it. */
    record FeedbackBody(String ruleId, String verdict, String fingerprint, String path, String code, String language, String releaseId,
                        Integer accuracy, Integer usefulness, String comment, Boolean anonymous) {
    }

    record FeedbackBatch(List<FeedbackBody> feedback, Boolean anonymous) {
    }

    record FileBody(String path, String content) {
    }

    record ContributionBody(String kind, String title, String license, List<FileBody> files) {
    }

    record ReviewBody(String reason) {
    }

    private final Services services;

    CommunityRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                Route.withBody(HandlerType.POST, "/api/feedback", Role.OPERATOR,
                        "Give feedback on a finding: true_positive, false_positive, wont_fix, or false_negative with the missed code",
                        FeedbackBody.class, (r, body) -> store(r, Boolean.TRUE.equals(body.anonymous()), List.of(body))),
                Route.withBody(HandlerType.POST, "/api/feedback/batch", Role.OPERATOR,
                        "Give many verdicts at once (at most 1000): all are stored, or none",
                        FeedbackBatch.class, (r, body) -> {
                            if (body.feedback() == null) {
                                throw ApiError.badRequest("field 'feedback' is required: a list of verdicts");
                            }
                            if (body.feedback().stream().anyMatch(f -> f == null || f.anonymous() != null)) {
                                throw ApiError.badRequest("give 'anonymous' once for the batch, not per verdict, and no null verdicts");
                            }
                            return store(r, Boolean.TRUE.equals(body.anonymous()), body.feedback());
                        }),
                Route.get("/api/feedback", Role.VIEWER, "Feedback, newest first: the caller's tenant's (a global admin's: all); ?rule=, ?limit=",
                        r -> Reply.ok(services.community().feedback().list(ownTenant(r), r.query("rule"),
                                RuleRoutes.limit(r.query("limit"))))).query("rule", "limit"),
                Route.post("/api/feedback/process", Role.ADMIN,
                        "Process the feedback now (as the schedule does): probation begun or ended, reputation settled",
                        r -> {
                            var batch = services.community().processor().runBatch();
                            if (!batch.probationsStarted().isEmpty() || !batch.probationsEnded().isEmpty()) {
                                services.knowledge().refresh();
                            }
                            return Reply.ok(batch);
                        }),
                Route.get("/api/rules/{id}/health", Role.VIEWER,
                        "A rule's health from feedback: counts, precision with its 90 % interval, not-useful rate, trend, probation; ?release=",
                        r -> Reply.ok(health(r.path("id"), r.query("release")))).query("release"),
                Route.post("/api/rules/{id}/patch", Role.ADMIN,
                        "Propose a patch of a rule from its feedback; released (shadow first) if the gate accepts it",
                        r -> Reply.ok(community(() -> services.community().patcher().propose(r.path("id"), true))
                                .<Object>map(p -> p).orElse(Map.of("rule_id", r.path("id"), "proposed", false)))),
                Route.get("/api/contributors", Role.VIEWER, "Contributors by reputation (which weights their feedback)",
                        r -> Reply.ok(services.community().reputation().standings())),
                Route.get("/api/contributors/{id}", Role.VIEWER, "One contributor's reputation with every gain and loss and what earned it",
                        r -> Reply.ok(services.community().reputation().account(r.path("id"))
                                .orElseThrow(() -> ApiError.notFound("contributor '" + r.path("id") + "' has no reputation entry")))),
                Route.withBody(HandlerType.POST, "/api/contributions", Role.OPERATOR,
                        "Contribute a rule with its tests: the gate runs at once and its report is returned",
                        ContributionBody.class, (r, body) -> Reply.created(describe(community(() -> services.community().contributions()
                                .submit(giver(r, false), contribution(body)))))),
                Route.get("/api/contributions", Role.VIEWER, "Contributions, newest first (a tenant's own; a global admin's: all); ?state=",
                        r -> Reply.ok(services.community().contributions().list(r.query("state").map(s -> community(() -> Contribution.State.parse(s)))).stream()
                                .filter(c -> visible(r, c)).map(CommunityRoutes::summary).toList())).query("state"),
                Route.get("/api/contributions/{id}", Role.VIEWER, "One contribution with its files, the gate's report and its review",
                        r -> Reply.ok(describe(visibleContribution(r)))),
                Route.withOptionalBody(HandlerType.POST, "/api/contributions/{id}/approve", Role.GLOBAL_ADMIN,
                        "Approve a contribution waiting for review: it is published into the community rule source",
                        ReviewBody.class, (r, body) -> Reply.ok(describe(community(() -> services.community().contributions()
                                .approve(id(r), r.caller().keyId(), body == null ? null : body.reason()))))),
                Route.withBody(HandlerType.POST, "/api/contributions/{id}/reject", Role.GLOBAL_ADMIN,
                        "Reject a contribution waiting for review, with the reason the contributor sees",
                        ReviewBody.class, (r, body) -> Reply.ok(describe(community(() -> services.community().contributions()
                                .reject(id(r), r.caller().keyId(), body.reason()))))));
    }

    private Reply store(Request r, boolean anonymous, List<FeedbackBody> bodies) {
        Giver giver = giver(r, anonymous);
        List<NewFeedback> batch = bodies.stream().map(b -> community(() -> new NewFeedback(b.ruleId(),
                b.verdict() == null ? null : FeedbackVerdict.parse(b.verdict()), b.fingerprint(), b.path(), b.code(), b.language(),
                b.releaseId(), b.accuracy(), b.usefulness(), b.comment()))).toList();
        List<FeedbackRecord> stored = community(() -> services.community().feedback().add(giver, batch));
        return Reply.created(Map.of("stored", stored.size(), "ids", stored.stream().map(FeedbackRecord::id).toList(),
                "fingerprints", stored.stream().map(FeedbackRecord::fingerprint).toList()));
    }

    private Giver giver(Request r, boolean anonymous) {
        if (!anonymous) {
            return new Giver(r.tenant(), r.caller().keyId());
        }
        if (!services.community().policy().allowsAnonymous(r.tenant())) {
            throw new ApiError(403, "tenant '" + r.tenant() + "' does not take anonymous feedback; leave 'anonymous' out "
                    + "(the policy's [feedback] anonymous_tenants lists the tenants that do)");
        }
        return Giver.anonymous(r.tenant());
    }

    private RuleHealth health(String ruleId, Optional<String> release) {
        try {
            return (release.isPresent() ? services.community().processor().health(ruleId, release.get())
                    : services.community().processor().health(ruleId))
                    .orElseThrow(() -> ApiError.notFound("no feedback on rule '" + ruleId + "'" + release.map(id -> " in release " + id).orElse("")));
        } catch (ReleaseException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static NewContribution contribution(ContributionBody body) {
        return community(() -> new NewContribution(body.kind() == null ? null : ContributionKind.parse(body.kind()), body.title(),
                body.license(), body.files() == null ? null
                : body.files().stream().map(f -> f == null ? null : new ContributedFile(f.path(), f.content())).toList()));
    }

    private Contribution visibleContribution(Request r) {
        return services.community().contributions().find(id(r)).filter(c -> visible(r, c))
                .orElseThrow(() -> ApiError.notFound("no contribution " + r.path("id")));
    }

    private static boolean visible(Request r, Contribution c) {
        return r.caller().role() == Role.GLOBAL_ADMIN || c.tenant().equals(r.tenant());
    }

    private static Optional<String> ownTenant(Request r) {
        return r.caller().role() == Role.GLOBAL_ADMIN ? Optional.empty() : Optional.of(r.tenant());
    }

    private static long id(Request r) {
        try {
            return Long.parseLong(r.path("id"));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("contribution id '" + r.path("id") + "' is not a number");
        }
    }

    /** Runs {@code action}, turning the community's refusals into their HTTP status. */
    private static <T> T community(Supplier<T> action) {
        try {
            return action.get();
        } catch (CommunityException e) {
            throw switch (e.kind()) {
                case INVALID -> ApiError.badRequest(e.getMessage());
                case NOT_FOUND -> ApiError.notFound(e.getMessage());
                case CONFLICT -> ApiError.conflict(e.getMessage());
            };
        }
    }

    static Map<String, Object> summary(Contribution c) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", c.id());
        row.put("submitted_at", c.submittedAt());
        row.put("tenant", c.tenant());
        row.put("contributor", c.contributor());
        row.put("kind", c.kind().lowerCase());
        row.put("title", c.title());
        row.put("rule_ids", c.ruleIds());
        row.put("state", c.state().lowerCase());
        row.put("gate_reasons", c.gateReasons());
        row.put("reviewer", c.reviewer());
        row.put("review_reason", c.reviewReason());
        return row;
    }

    static Map<String, Object> describe(Contribution c) {
        Map<String, Object> row = summary(c);
        row.put("license", c.license());
        row.put("files", c.files());
        row.put("gate_report", c.gateReport().verdicts());
        row.put("reviewed_at", c.reviewedAt());
        row.put("feedback_ids", c.feedbackIds());
        return row;
    }
}
