package dev.freshet.app.server;

import dev.freshet.updates.access.Role;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
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

    /** A scan of a directory on the server. */
    record PathScan(String path) {
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
                                + "as the body (?name= its file name)", this::submit)
                        .body(PathScan.class, true).binary(ARCHIVE_TYPES.toArray(String[]::new)).query("name"),
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
        ScanService.Submission submission;
        if (type.equals("application/json")) {
            PathScan body = Json.read(r.ctx(), PathScan.class);
            submission = scans.submitPath(r.tenant(), services.readable().check(body.path()));
        } else if (ARCHIVE_TYPES.contains(type)) {
            String name = r.query("name").orElse(type.equals("application/zip") ? "upload.zip" : "upload.tar.gz");
            if (!FILE_NAME.matcher(name).matches()) {
                throw ApiError.badRequest("name '" + name + "' must be a plain file name: letters, digits, '.', '_' or '-'");
            }
            byte[] archive = Json.readBounded(r.ctx(), maxUploadBytes);
            if (archive.length == 0) {
                throw ApiError.badRequest("the archive is empty");
            }
            submission = scans.submitArchive(r.tenant(), name, archive);
        } else {
            throw new ApiError(415, "send application/json {\"path\": DIR} or an archive (" + String.join(", ", ARCHIVE_TYPES)
                    + "), not '" + type + "'");
        }
        return switch (submission) {
            case ScanService.Submission.Accepted a -> Reply.accepted(a.scan());
            case ScanService.Submission.Rejected rejected -> throw new ApiError(rejected.status(), rejected.reason());
        };
    }

    private static ScanService.ResultFormat format(String given) {
        return switch (given.toLowerCase(Locale.ROOT)) {
            case "json" -> ScanService.ResultFormat.JSON;
            case "sarif" -> ScanService.ResultFormat.SARIF;
            default -> throw ApiError.badRequest("format must be json or sarif, not '" + given + "'");
        };
    }
}
