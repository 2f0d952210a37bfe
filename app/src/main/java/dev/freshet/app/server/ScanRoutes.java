package dev.freshet.app.server;

import dev.freshet.updates.access.Role;
import dev.freshet.updates.billing.ModelClass;
import dev.freshet.updates.generation.CustomRules;
import dev.freshet.updates.rollout.Cohorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Scans as jobs of the tenant that submitted them: a JSON body {@code {"path": ...}} scans a
 * directory the server may read; a zip or tar.gz body is an upload. Answered 503 while no
 * {@link ScanService} is wired in.
 */
final class ScanRoutes {
    static final List<String> ARCHIVE_TYPES = List.of("application/zip", "application/gzip", "application/x-gzip",
            "application/x-tar+gzip");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    /** The request header naming the cohort a caller asks for (candidate or stable) instead of its own bucket. */
    static final String COHORT_HEADER = "X-Freshet-Cohort";

    /** The request header whose value makes a request for custom rules count (and charge) once however often it is sent. */
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    /**
     * A scan of a directory on the server; {@code cohort} (candidate or stable) as the header, which it must agree with.
     * With {@code custom_rules} true, {@code custom_rules_qty} rules (1-10, default 3) are first made for the directory's
     * stack and added to the tenant's library, so this scan and the tenant's later ones use them.
     */
    record PathScan(String path, String cohort, Boolean customRules, Integer customRulesQty, String customRulesModel) {
    }

    /**
     * A scan that asked for custom rules, answered at once: the request for rules is accepted (and
     * charged its processing fee), its rules are made by the workers, and the scan is queued once
     * they are live; {@code location} is where to poll for both.
     */
    record CustomRulesAccepted(CustomRulesJob customRules) {
    }

    record CustomRulesJob(String requestId, String state, String location) {
    }

    private final Services services;
    private final long maxUploadBytes;

    ScanRoutes(Services services, long maxUploadBytes) {
        this.services = services;
        this.maxUploadBytes = maxUploadBytes;
    }

    List<Route> routes() {
        return List.of(
                Route.post("/api/scans", Role.OPERATOR,
                        "Queue a scan: a JSON body {\"path\": DIR} for a directory the server may read, or a zip / tar.gz archive "
                                + "as the body (?name= its file name). During a rollout the scan runs with its unit's sticky cohort, "
                                + "unless the caller asks for 'candidate' or 'stable' (header " + COHORT_HEADER + " or field cohort) "
                                + "to test a candidate; such scans do not count in the rollout's analysis. With custom_rules: true (a "
                                + "directory scan) the answer comes at once: custom_rules_qty (1-10, default 3) rules are made for the "
                                + "directory's stack off the request path (402 when the credits do not cover the processing fee, 403 on "
                                + "the free plan), added to the tenant's library, and then the scan is queued; poll custom_rules.location "
                                + "(also sent as the Location header). "
                                + IDEMPOTENCY_HEADER + " makes a retried request charge once", this::submit)
                        .body(PathScan.class, true).binary(ARCHIVE_TYPES.toArray(String[]::new)).query("name")
                        .headers(COHORT_HEADER, IDEMPOTENCY_HEADER),
                Route.get("/api/scans/{id}", Role.VIEWER, "A scan's state", r -> Reply.ok(scans().find(r.tenant(), r.path("id"))
                        .orElseThrow(() -> ApiError.notFound("no scan '" + r.path("id") + "'")))),
                Route.get("/api/scans/{id}/results", Role.VIEWER, "A finished scan's findings; ?format=json (default) or sarif", r -> {
                    ScanService.ResultFormat format = format(r.query("format").orElse("json"));
                    ScanService.ScanView scan = scans().find(r.tenant(), r.path("id"))
                            .orElseThrow(() -> ApiError.notFound("no scan '" + r.path("id") + "'"));
                    InputStream body = scans().results(r.tenant(), scan.id(), format).orElseThrow(() -> ApiError.conflict(
                            "scan " + scan.id() + " is " + scan.state() + "; results are there once it has succeeded"));
                    return new Reply.Stream(200, format.mediaType(), body);
                }).query("format").produces("application/json", "application/sarif+json"));
    }

    private ScanService scans() {
        return services.scans().orElseThrow(() -> new ApiError(503, "scans are not available in this server yet"));
    }

    private Reply submit(Request r) {
        ScanService scans = scans();
        String type = r.ctx().contentType() == null ? "" : r.ctx().contentType().toLowerCase(Locale.ROOT).split(";")[0].strip();
        Cohorts.Requested cohort = cohort(COHORT_HEADER + " header", r.ctx().header(COHORT_HEADER));
        ScanService.Submission submission;
        if (type.equals("application/json")) {
            PathScan body = Json.read(r.ctx(), PathScan.class);
            Cohorts.Requested field = cohort("field cohort", body.cohort());
            if (field != Cohorts.Requested.OWN_BUCKET && cohort != Cohorts.Requested.OWN_BUCKET && field != cohort) {
                throw ApiError.badRequest("the " + COHORT_HEADER + " header and the field cohort ask for different cohorts; send one");
            }
            Path directory = services.readable().check(body.path());
            Optional<CustomRules.Accepted> custom = customRules(r, body, directory, field == Cohorts.Requested.OWN_BUCKET ? cohort : field);
            if (custom.isPresent()) {
                String id = custom.get().requestId();
                String state = services.customRules().status(r.tenant(), id, false).map(CustomRules.Status::state).orElse("accepted");
                String location = CustomRuleRoutes.location(id);
                return Reply.accepted(new CustomRulesAccepted(new CustomRulesJob(id, state, location)), location);
            }
            submission = scans.submitPath(r.tenant(), directory, field == Cohorts.Requested.OWN_BUCKET ? cohort : field);
        } else if (ARCHIVE_TYPES.contains(type)) {
            String name = r.query("name").orElse(type.equals("application/zip") ? "upload.zip" : "upload.tar.gz");
            if (!FILE_NAME.matcher(name).matches()) {
                throw ApiError.badRequest("name '" + name + "' must be a plain file name: letters, digits, '.', '_' or '-'");
            }
            byte[] archive = Json.readBounded(r.ctx(), maxUploadBytes);
            if (archive.length == 0) {
                throw ApiError.badRequest("the archive is empty");
            }
            submission = scans.submitArchive(r.tenant(), name, archive, cohort);
        } else {
            throw new ApiError(415, "send application/json {\"path\": DIR} or an archive (" + String.join(", ", ARCHIVE_TYPES)
                    + "), not '" + type + "'");
        }
        return switch (submission) {
            case ScanService.Submission.Accepted a -> Reply.accepted(a.scan());
            case ScanService.Submission.Rejected rejected -> throw new ApiError(rejected.status(), rejected.reason());
        };
    }

    /**
     * Accepts the custom rules a scan asks for and hands them to the workers, who queue the scan
     * once the rules are live; refusals (400, 402, 403) come before anything is stored or charged.
     */
    private Optional<CustomRules.Accepted> customRules(Request r, PathScan body, Path directory, Cohorts.Requested cohort) {
        if (!Boolean.TRUE.equals(body.customRules())) {
            if (body.customRulesQty() != null || body.customRulesModel() != null) {
                throw ApiError.badRequest("custom_rules_qty and custom_rules_model need custom_rules: true");
            }
            return Optional.empty();
        }
        Optional<String> requestId = Optional.ofNullable(r.ctx().header(IDEMPOTENCY_HEADER)).map(key -> "api:" + r.tenant() + ":" + key);
        CustomRules.Accepted accepted = CreditRoutes.credits(() -> {
            try {
                return services.customRules().accept(new CustomRules.Request(requestId, r.tenant(), directory,
                        body.customRulesQty() == null ? CustomRules.DEFAULT_QUANTITY : body.customRulesQty(),
                        Optional.ofNullable(body.customRulesModel()).map(ModelClass::of),
                        Optional.of(new CustomRules.FollowUpScan(directory, cohort.name()))));
            } catch (IOException e) {
                throw new UncheckedIOException("custom rules for " + directory + " failed", e);
            }
        });
        services.generation().submit(accepted.requestId()); // a retry of a finished request: nothing left to do
        return Optional.of(accepted);
    }

    /** The cohort asked for in {@code where}, or the unit's own bucket when it is absent; a 400 for anything else. */
    private static Cohorts.Requested cohort(String where, String value) {
        try {
            return Cohorts.requested(value);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(where + ": " + e.getMessage());
        }
    }

    private static ScanService.ResultFormat format(String given) {
        return switch (given.toLowerCase(Locale.ROOT)) {
            case "json" -> ScanService.ResultFormat.JSON;
            case "sarif" -> ScanService.ResultFormat.SARIF;
            default -> throw ApiError.badRequest("format must be json or sarif, not '" + given + "'");
        };
    }
}
