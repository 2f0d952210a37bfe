package dev.freshet.updates.feeds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.deps.version.VersionRanges;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitHub Advisory Database through the GraphQL API: advisories in order of their update time,
 * a hundred a page, each page delivered with a cursor that holds the query's {@code updatedSince}
 * and GitHub's {@code endCursor}, so an interrupted sync resumes on the very next page. Withdrawn
 * advisories come through marked withdrawn. Packages in ecosystems Freshet cannot order (NuGet,
 * Pub, Erlang, Swift, Actions) are left out; a version range outside GitHub's documented grammar
 * leaves its package out with a reason.
 */
public final class GhsaFeed implements Feed {
    public static final URI GITHUB_GRAPHQL = URI.create("https://api.github.com/graphql");

    private static final Logger LOG = LoggerFactory.getLogger(GhsaFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    // Only cvssSeverities is asked for: GitHub removed the older 'cvss' field from GraphQL in
    // October 2025, and asking for a removed field fails the whole query. Old answers that still
    // carry 'cvss' are read all the same.
    static final String QUERY = """
            query($cursor: String, $since: DateTime) {
              securityAdvisories(first: 100, after: $cursor, orderBy: {field: UPDATED_AT, direction: ASC}, updatedSince: $since) {
                pageInfo { hasNextPage endCursor }
                nodes {
                  ghsaId summary publishedAt updatedAt withdrawnAt
                  identifiers { type value }
                  cvssSeverities { cvssV3 { vectorString } cvssV4 { vectorString } }
                  cwes(first: 10) { nodes { cweId } }
                  vulnerabilities(first: 100) {
                    pageInfo { hasNextPage }
                    nodes { package { ecosystem name } vulnerableVersionRange firstPatchedVersion { identifier } }
                  }
                }
              }
            }""";

    private static final Map<String, Ecosystem> ECOSYSTEMS = Map.of(
            "NPM", Ecosystem.NPM, "PIP", Ecosystem.PYPI, "MAVEN", Ecosystem.MAVEN, "GO", Ecosystem.GO,
            "RUST", Ecosystem.CRATES_IO, "RUBYGEMS", Ecosystem.RUBYGEMS, "COMPOSER", Ecosystem.PACKAGIST);

    private final FeedTransport transport;
    private final URI endpoint;
    private final String token;
    private final Consumer<String> rejections;

    public GhsaFeed(FeedTransport transport, URI endpoint, String token) {
        this(transport, endpoint, token, message -> LOG.warn("{}", message));
    }

    /** @param rejections receives one line per advisory or package left out, naming it and the reason */
    public GhsaFeed(FeedTransport transport, URI endpoint, String token, Consumer<String> rejections) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.token = token == null ? "" : token.strip();
        this.rejections = rejections;
    }

    @Override
    public String name() {
        return "ghsa";
    }

    @Override
    public Duration freshnessTarget() {
        return Duration.ofHours(12);
    }

    @Override
    public void sync(String cursor, PageSink sink) throws FeedException, InterruptedException {
        if (token.isEmpty()) {
            throw new FeedException(name(), "no GitHub token given; the GraphQL API needs one (a token without scopes is enough)");
        }
        GhsaCursor at = GhsaCursor.parse(name(), cursor);
        if (at.after() == null) {
            at = at.nextRun();
        }
        while (true) {
            JsonNode connection = query(at.since(), at.after());
            List<Advisory> page = new ArrayList<>();
            for (JsonNode node : connection.path("nodes")) {
                Advisory advisory = toAdvisory(node);
                if (advisory != null && !at.alreadyDelivered(advisory.id(), advisory.modified())) {
                    page.add(advisory);
                    at = at.delivered(advisory.id(), advisory.modified());
                }
            }
            JsonNode pageInfo = connection.path("pageInfo");
            String endCursor = pageInfo.path("endCursor").isTextual() ? pageInfo.path("endCursor").asText() : null;
            if (!pageInfo.path("hasNextPage").asBoolean(false)) {
                sink.accept(new FeedPage(page, at.nextRun().text()));
                return;
            }
            if (endCursor == null || endCursor.isEmpty() || endCursor.equals(at.after())) {
                throw new FeedException(name(), "GitHub said more pages follow but gave no new endCursor after '" + at.after() + "'");
            }
            at = at.at(endCursor);
            sink.accept(new FeedPage(page, at.text()));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Asks for one page and returns its {@code securityAdvisories} connection. */
    private JsonNode query(Instant since, String after) throws FeedException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("query", QUERY);
        ObjectNode variables = body.putObject("variables");
        variables.put("cursor", after);
        variables.put("since", since == null ? null : since.toString());
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Authorization", "bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        byte[] response = transport.send(name(), request).body();
        JsonNode root;
        try {
            root = JSON.readTree(response);
        } catch (IOException e) {
            String problem = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new FeedException(name(), "answer from " + endpoint + " is not JSON (" + problem + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new FeedException(name(), "answer from " + endpoint + " is not a GraphQL response object");
        }
        JsonNode errors = root.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            throw new FeedException(name(), "GitHub GraphQL error: " + errorText(errors));
        }
        JsonNode connection = root.path("data").path("securityAdvisories");
        if (!connection.isObject() || !connection.path("nodes").isArray()) {
            throw new FeedException(name(), "answer from " + endpoint + " has no data.securityAdvisories.nodes");
        }
        return connection;
    }

    private static String errorText(JsonNode errors) {
        List<String> messages = new ArrayList<>();
        for (JsonNode error : errors) {
            String type = error.path("type").asText("");
            String message = error.path("message").asText(error.toString());
            messages.add(type.isEmpty() ? message : type + ": " + message);
        }
        return String.join("; ", messages);
    }

    /** The advisory in one GraphQL node, or null when the node is unusable (reported). */
    private Advisory toAdvisory(JsonNode node) {
        String id = node.path("ghsaId").asText("");
        Instant updated = instant(node.get("updatedAt"));
        if (id.isBlank() || updated == null) {
            reject("advisory '" + (id.isBlank() ? OsvFeed.abbreviate(node.toString()) : id) + "'", "missing ghsaId or a valid updatedAt");
            return null;
        }
        Set<String> aliases = new LinkedHashSet<>();
        for (JsonNode identifier : node.path("identifiers")) {
            String value = identifier.path("value").asText("");
            if (!value.isBlank() && !value.equals(id)) {
                aliases.add(value);
            }
        }
        Set<String> vectors = new LinkedHashSet<>();
        for (JsonNode cvss : List.of(node.path("cvssSeverities").path("cvssV3"), node.path("cvssSeverities").path("cvssV4"), node.path("cvss"))) {
            String vector = cvss.path("vectorString").asText("");
            if (!vector.isBlank()) {
                vectors.add(vector);
            }
        }
        List<String> cwes = items(node.path("cwes")).stream().map(cwe -> cwe.path("cweId").asText(""))
                .filter(cwe -> !cwe.isBlank()).distinct().toList();
        List<AffectedPackage> affected = new ArrayList<>();
        for (JsonNode vulnerability : items(node.path("vulnerabilities"))) {
            AffectedPackage pkg = toPackage(id, vulnerability);
            if (pkg != null) {
                affected.add(pkg);
            }
        }
        if (node.path("vulnerabilities").path("pageInfo").path("hasNextPage").asBoolean(false)) {
            reject("advisory '" + id + "'", "names more than the first " + affected.size() + " affected packages GitHub returned; the rest are missing");
        }
        return new Advisory(id, List.copyOf(aliases), node.path("summary").asText(""), instant(node.get("publishedAt")), updated,
                instant(node.get("withdrawnAt")), affected, List.copyOf(vectors), cwes, null);
    }

    private AffectedPackage toPackage(String advisory, JsonNode vulnerability) {
        String ecosystemName = vulnerability.path("package").path("ecosystem").asText("");
        String name = vulnerability.path("package").path("name").asText("");
        Ecosystem ecosystem = ECOSYSTEMS.get(ecosystemName.toUpperCase(Locale.ROOT));
        if (ecosystem == null) {
            return null; // an ecosystem Freshet cannot order versions in: not an error
        }
        if (name.isBlank()) {
            reject("advisory '" + advisory + "'", "a " + ecosystemName + " package without a name");
            return null;
        }
        try {
            VersionRanges.Parsed range = VersionRanges.parse(vulnerability.path("vulnerableVersionRange").asText(""));
            return new AffectedPackage(ecosystem, name, range.ranges(), range.versions());
        } catch (IllegalArgumentException e) {
            reject("advisory '" + advisory + "' package " + ecosystemName + " " + name, e.getMessage());
            return null;
        }
    }

    /** A connection's items, whether asked for as {@code nodes}, {@code edges { node }} or flattened edges. */
    private static List<JsonNode> items(JsonNode connection) {
        List<JsonNode> items = new ArrayList<>();
        connection.path("nodes").forEach(items::add);
        for (JsonNode edge : connection.path("edges")) {
            items.add(edge.has("node") ? edge.get("node") : edge);
        }
        return items;
    }

    private void reject(String subject, String reason) {
        rejections.accept("feed '" + name() + "': left out " + subject + ": " + reason);
    }

    private static Instant instant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
