package dev.freshet.updates.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.version.Ecosystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GhsaFeedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "ghp_test0000";

    private OsvGhsaLoopback.Server server;
    private AdvisoryDatabase github;
    private final List<String> rejections = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new OsvGhsaLoopback.Server();
        github = new AdvisoryDatabase();
        server.handler(github);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private GhsaFeed feed() {
        return new GhsaFeed(new OsvGhsaLoopback.Transport(), server.base().resolve("graphql"), TOKEN, rejections::add);
    }

    /**
     * GitHub's GraphQL endpoint for {@code securityAdvisories} as far as the feed uses it: bearer
     * token, {@code updatedSince} (inclusive), ascending update order, keyset cursors over
     * (updatedAt, id), {@code first} capped by the server's own page size.
     */
    static final class AdvisoryDatabase implements OsvGhsaLoopback.Handler {
        final List<ObjectNode> advisories = new CopyOnWriteArrayList<>();
        final List<JsonNode> variablesSeen = new CopyOnWriteArrayList<>();
        int pageSize = 3;
        /** Answers with HTTP 502 from this request on (1-based), once; -1: never. */
        int failAtRequest = -1;
        private final AtomicInteger requests = new AtomicInteger();

        @Override
        public OsvGhsaLoopback.Answer answer(OsvGhsaLoopback.Seen request) throws IOException {
            int number = requests.incrementAndGet();
            if (!request.method().equals("POST") || !request.path().equals("/graphql")) {
                return OsvGhsaLoopback.Answer.status(404);
            }
            if (!("bearer " + TOKEN).equals(request.header("Authorization"))) {
                return new OsvGhsaLoopback.Answer(401, "application/json", "{\"message\":\"Bad credentials\"}".getBytes(StandardCharsets.UTF_8));
            }
            if (number == failAtRequest) {
                failAtRequest = -1;
                return OsvGhsaLoopback.Answer.status(502);
            }
            JsonNode body = JSON.readTree(request.body());
            String query = body.path("query").asText();
            if (!query.contains("securityAdvisories(first: 100, after: $cursor, orderBy: {field: UPDATED_AT, direction: ASC}, updatedSince: $since)")) {
                return OsvGhsaLoopback.Answer.json("{\"errors\":[{\"message\":\"unexpected query\"}]}");
            }
            JsonNode variables = body.path("variables");
            variablesSeen.add(variables);
            Instant since = variables.path("since").isTextual() ? Instant.parse(variables.path("since").asText()) : null;
            String after = variables.path("cursor").isTextual()
                    ? new String(Base64.getDecoder().decode(variables.path("cursor").asText()), StandardCharsets.UTF_8) : null;
            List<ObjectNode> matching = advisories.stream()
                    .filter(a -> since == null || !updated(a).isBefore(since))
                    .filter(a -> after == null || key(a).compareTo(after) > 0)
                    .sorted(Comparator.comparing(GhsaFeedTest::key))
                    .toList();
            List<ObjectNode> page = matching.subList(0, Math.min(pageSize, matching.size()));
            ObjectNode response = JSON.createObjectNode();
            ObjectNode connection = response.putObject("data").putObject("securityAdvisories");
            ObjectNode pageInfo = connection.putObject("pageInfo");
            pageInfo.put("hasNextPage", matching.size() > page.size());
            pageInfo.put("endCursor", page.isEmpty() ? null
                    : Base64.getEncoder().encodeToString(key(page.getLast()).getBytes(StandardCharsets.UTF_8)));
            connection.putArray("nodes").addAll(page);
            return OsvGhsaLoopback.Answer.json(response.toString());
        }
    }

    private static Instant updated(JsonNode advisory) {
        return Instant.parse(advisory.path("updatedAt").asText());
    }

    /** Sorts like (updatedAt, id): ISO times of one length order as text. */
    private static String key(JsonNode advisory) {
        return advisory.path("updatedAt").asText() + " " + advisory.path("ghsaId").asText();
    }

    static String day(int i) {
        return Instant.parse("2024-01-01T00:00:00Z").plusSeconds(86_400L * i).toString();
    }

    /** An advisory node as GitHub returns it; each package is "ECOSYSTEM name range". */
    static ObjectNode advisory(String ghsaId, String updatedAt, String withdrawnAt, String... packages) {
        ObjectNode node = JSON.createObjectNode();
        node.put("ghsaId", ghsaId);
        node.put("summary", "Summary of " + ghsaId);
        node.put("publishedAt", "2023-06-01T10:00:00Z");
        node.put("updatedAt", updatedAt);
        node.put("withdrawnAt", withdrawnAt);
        ArrayNode identifiers = node.putArray("identifiers");
        identifiers.addObject().put("type", "GHSA").put("value", ghsaId);
        identifiers.addObject().put("type", "CVE").put("value", "CVE-2024-" + ghsaId.substring(5, 9));
        ObjectNode severities = node.putObject("cvssSeverities");
        severities.putObject("cvssV3").put("vectorString", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        severities.putObject("cvssV4").putNull("vectorString");
        node.putObject("cwes").putArray("nodes").addObject().put("cweId", "CWE-502");
        ObjectNode vulnerabilities = node.putObject("vulnerabilities");
        vulnerabilities.putObject("pageInfo").put("hasNextPage", false);
        ArrayNode nodes = vulnerabilities.putArray("nodes");
        for (String pkg : packages) {
            String[] parts = pkg.split(" ", 3);
            ObjectNode vulnerability = nodes.addObject();
            vulnerability.putObject("package").put("ecosystem", parts[0]).put("name", parts[1]);
            vulnerability.put("vulnerableVersionRange", parts[2]);
            vulnerability.putNull("firstPatchedVersion");
        }
        return node;
    }

    private void addAdvisories(int count) {
        for (int i = 1; i <= count; i++) {
            github.advisories.add(advisory(id(i), day(i), null, "NPM pkg-" + i + " < 1." + i + ".0"));
        }
    }

    private static String id(int i) {
        return "GHSA-%04d-aaaa-bbbb".formatted(i);
    }

    @Test
    void deliversEveryPageInUpdateOrderWithTheAdvisoryModel() throws Exception {
        addAdvisories(7);
        github.advisories.set(0, advisory(id(1), day(1), null,
                "MAVEN com.fasterxml.jackson.core:jackson-databind >= 2.0.0, < 2.9.10.3",
                "PIP django = 0.2.0", "RUBYGEMS rack <= 1.0.8", "NUGET Some.Package < 1.0", "GO golang.org/x/net >= 0.0.1"));
        OsvFeedTest.Pages pages = new OsvFeedTest.Pages();

        feed().sync(null, pages);

        assertThat(pages.ids()).containsExactly(id(1), id(2), id(3), id(4), id(5), id(6), id(7));
        assertThat(pages.pages).extracting(p -> p.advisories().size()).containsExactly(3, 3, 1);
        assertThat(rejections).isEmpty();
        Advisory first = pages.pages.getFirst().advisories().getFirst();
        assertThat(first.aliases()).containsExactly("CVE-2024-0001");
        assertThat(first.summary()).isEqualTo("Summary of " + id(1));
        assertThat(first.published()).isEqualTo(Instant.parse("2023-06-01T10:00:00Z"));
        assertThat(first.modified()).isEqualTo(Instant.parse(day(1)));
        assertThat(first.isWithdrawn()).isFalse();
        assertThat(first.severityVectors()).containsExactly("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        assertThat(first.cwes()).containsExactly("CWE-502");
        assertThat(first.affected()).extracting(AffectedPackage::ecosystem)
                .containsExactly(Ecosystem.MAVEN, Ecosystem.PYPI, Ecosystem.RUBYGEMS, Ecosystem.GO);
        AffectedPackage jackson = first.affected().getFirst();
        assertThat(jackson.affects("2.9.10.2")).isTrue();
        assertThat(jackson.affects("2.9.10.3")).isFalse();
        assertThat(jackson.affects("1.9")).isFalse();
        assertThat(first.affected().get(1).affects("0.2.0")).isTrue();
        assertThat(first.affected().get(1).affects("0.2.1")).isFalse();
        assertThat(first.affected().get(2).affects("1.0.8")).isTrue();
        assertThat(first.affected().get(2).affects("1.0.9")).isFalse();
        assertThat(first.affected().get(3).affects("0.0.1")).isTrue();
        assertThat(first.affected().get(3).affects("0.0.0")).isFalse();
        // every page's cursor resumes the same run; the last one starts the next run at the newest time
        assertThat(GhsaCursor.parse("ghsa", pages.pages.getFirst().cursor()).after()).isNotNull();
        GhsaCursor last = GhsaCursor.parse("ghsa", pages.lastCursor);
        assertThat(last.after()).isNull();
        assertThat(last.newest()).isEqualTo(Instant.parse(day(7)));
        assertThat(server.requests).allSatisfy(r -> assertThat(r.header("Content-Type")).isEqualTo("application/json"));
    }

    @Test
    void anIncrementalSyncDeliversOnlyWhatChangedSinceTheCursorAndNothingTwice() throws Exception {
        addAdvisories(4);
        OsvFeedTest.Pages first = new OsvFeedTest.Pages();
        feed().sync(null, first);

        // One more advisory in the same second as the newest seen, one later, and an old one updated.
        github.advisories.add(advisory("GHSA-9999-same-time", day(4), null, "NPM same < 1.0"));
        github.advisories.add(advisory(id(5), day(5), null, "NPM pkg-5 < 2.0"));
        github.advisories.set(1, advisory(id(2), day(6), null, "NPM pkg-2 < 3.0"));
        OsvFeedTest.Pages second = new OsvFeedTest.Pages();
        feed().sync(first.lastCursor, second);

        assertThat(second.ids()).containsExactly("GHSA-9999-same-time", id(5), id(2));
        assertThat(github.variablesSeen.getLast().path("since").asText()).isEqualTo(day(4));
        OsvFeedTest.Pages third = new OsvFeedTest.Pages();
        feed().sync(second.lastCursor, third);
        assertThat(third.ids()).isEmpty();
    }

    @Test
    void withdrawnAdvisoriesArriveMarkedWithdrawn() throws Exception {
        github.advisories.add(advisory(id(1), day(1), "2024-02-01T00:00:00Z", "NPM left-pad < 1.0"));
        OsvFeedTest.Pages pages = new OsvFeedTest.Pages();

        feed().sync(null, pages);

        Advisory withdrawn = pages.pages.getFirst().advisories().getFirst();
        assertThat(withdrawn.isWithdrawn()).isTrue();
        assertThat(withdrawn.withdrawn()).isEqualTo(Instant.parse("2024-02-01T00:00:00Z"));
    }

    @Test
    void graphQlErrorsInAnOkAnswerFailTheSyncWithGitHubsMessage() {
        server.handler(request -> OsvGhsaLoopback.Answer.json("""
                {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}]}"""));
        OsvFeedTest.Pages pages = new OsvFeedTest.Pages();

        assertThatThrownBy(() -> feed().sync(null, pages))
                .isInstanceOf(FeedException.class)
                .hasMessage("feed 'ghsa': GitHub GraphQL error: RATE_LIMITED: API rate limit exceeded for user ID 1.");
        assertThat(pages.pages).isEmpty();

        server.handler(request -> OsvGhsaLoopback.Answer.json("""
                {"data": null, "errors": [{"message": "Field 'cvss' doesn't exist on type 'SecurityAdvisory'"}, {"message": "second"}]}"""));
        assertThatThrownBy(() -> feed().sync(null, pages))
                .hasMessage("feed 'ghsa': GitHub GraphQL error: Field 'cvss' doesn't exist on type 'SecurityAdvisory'; second");
    }

    @Test
    void malformedTruncatedOrShapelessAnswersFailTheSyncNamingTheEndpoint() throws Exception {
        String endpoint = server.base().resolve("graphql").toString();
        for (String body : List.of("{\"data\": {\"securityAdvisories\": {\"nodes\": [{\"ghsaId\": \"GHSA-", "<html>502</html>", "")) {
            server.handler(request -> OsvGhsaLoopback.Answer.json(body));
            assertThatThrownBy(() -> feed().sync(null, new OsvFeedTest.Pages()))
                    .isInstanceOf(FeedException.class)
                    .hasMessageStartingWith("feed 'ghsa': answer from " + endpoint + " is not");
        }
        for (String body : List.of("{\"data\": {}}", "{\"data\": {\"securityAdvisories\": {\"nodes\": 5}}}")) {
            server.handler(request -> OsvGhsaLoopback.Answer.json(body));
            assertThatThrownBy(() -> feed().sync(null, new OsvFeedTest.Pages()))
                    .hasMessage("feed 'ghsa': answer from " + endpoint + " has no data.securityAdvisories.nodes");
        }
        server.handler(request -> OsvGhsaLoopback.Answer.json("""
                {"data": {"securityAdvisories": {"pageInfo": {"hasNextPage": true, "endCursor": null}, "nodes": []}}}"""));
        assertThatThrownBy(() -> feed().sync(null, new OsvFeedTest.Pages()))
                .hasMessageContaining("GitHub said more pages follow but gave no new endCursor");
    }

    @Test
    void unusableNodesAndRangesAreLeftOutWithAReasonAndTheRestIsKept() throws Exception {
        ObjectNode noId = advisory(id(1), day(1), null);
        noId.remove("ghsaId");
        github.advisories.add(noId);
        github.advisories.add(advisory(id(2), day(2), null, "NPM ok < 1.0", "NPM odd > 1.0", "PIP weird ~> 2.0", "COMPOSER  >= 1.0"));
        ObjectNode many = advisory(id(3), day(3), null, "RUST hyper < 0.14.10");
        ((ObjectNode) many.path("vulnerabilities").path("pageInfo")).put("hasNextPage", true);
        github.advisories.add(many);
        OsvFeedTest.Pages pages = new OsvFeedTest.Pages();

        feed().sync(null, pages);

        assertThat(pages.ids()).containsExactly(id(2), id(3));
        // "> 1.0" has an exact reading (an exclusive lower bound); "~> 2.0" is not GitHub's grammar.
        assertThat(pages.pages.getFirst().advisories().getFirst().affected()).extracting(AffectedPackage::name)
                .containsExactly("ok", "odd");
        assertThat(rejections).hasSize(4);
        assertThat(rejections.get(1)).startsWith("feed 'ghsa': left out advisory '" + id(2) + "' package PIP weird: ")
                .contains("~> 2.0");
        assertThat(rejections.subList(2, 4)).containsExactly(
                "feed 'ghsa': left out advisory '" + id(2) + "': a COMPOSER package without a name",
                "feed 'ghsa': left out advisory '" + id(3) + "': names more than the first 1 affected packages GitHub returned; the rest are missing");
        assertThat(rejections.getFirst()).startsWith("feed 'ghsa': left out advisory '{").endsWith(": missing ghsaId or a valid updatedAt");
    }

    @Test
    void resumingAfterAFailureMidSyncDeliversEveryAdvisoryExactlyOnce() throws Exception {
        addAdvisories(10);
        github.failAtRequest = 3;
        OsvFeedTest.Pages pages = new OsvFeedTest.Pages();

        assertThatThrownBy(() -> feed().sync(null, pages)).isInstanceOf(FeedException.class).hasMessageContaining("HTTP 502");
        assertThat(pages.ids()).hasSize(6);
        String stored = pages.lastCursor;
        feed().sync(stored, pages);

        assertThat(pages.ids()).containsExactly(id(1), id(2), id(3), id(4), id(5), id(6), id(7), id(8), id(9), id(10));
        JsonNode resumedWith = github.variablesSeen.get(2);
        assertThat(resumedWith.path("cursor").asText()).isEqualTo(GhsaCursor.parse("ghsa", stored).after());
        assertThat(resumedWith.path("since").isNull()).isTrue();
        assertThat(GhsaCursor.parse("ghsa", pages.lastCursor).newest()).isEqualTo(Instant.parse(day(10)));
    }

    @Test
    void aStoreFailureMidSyncResumesOnTheNextPageToo() throws Exception {
        addAdvisories(8);
        OsvFeedTest.Pages pages = new OsvFeedTest.Pages();
        pages.failAt = 2;

        assertThatThrownBy(() -> feed().sync(null, pages)).hasMessageContaining("disk full");
        feed().sync(pages.lastCursor, pages);

        assertThat(pages.ids()).containsExactly(id(1), id(2), id(3), id(4), id(5), id(6), id(7), id(8));
    }

    @Test
    void aWrongOrMissingTokenFailsWithoutLeakingIt() {
        GhsaFeed wrongToken = new GhsaFeed(new OsvGhsaLoopback.Transport(), server.base().resolve("graphql"), "ghp_wrong", rejections::add);
        assertThatThrownBy(() -> wrongToken.sync(null, new OsvFeedTest.Pages()))
                .isInstanceOf(FeedException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageNotContaining("ghp_wrong");
        int before = server.requests.size();
        assertThatThrownBy(() -> new GhsaFeed(new OsvGhsaLoopback.Transport(), server.base(), " ").sync(null, new OsvFeedTest.Pages()))
                .hasMessage("feed 'ghsa': no GitHub token given; the GraphQL API needs one (a token without scopes is enough)");
        assertThat(server.requests).hasSize(before);
        assertThatThrownBy(() -> feed().sync("2024-01-01T00:00:00Z", new OsvFeedTest.Pages()))
                .hasMessageContaining("is not a GitHub advisory cursor");
    }

    @Test
    void aRealRecordedPageMapsWithoutLosses() throws Exception {
        // ../shared beside the project root; tests run in the module directory
        Path sample = Path.of("../../shared/data/vuln/open-vulnerability-clients/src/test/resources/advisories.json");
        Assumptions.assumeTrue(Files.isRegularFile(sample), "no recorded GitHub page under ../shared; skipped");
        JsonNode recorded = JSON.readTree(sample.toFile());
        String endCursor = recorded.path("data").path("securityAdvisories").path("pageInfo").path("endCursor").asText();
        server.handler(request -> {
            boolean firstPage = JSON.readTree(request.body()).path("variables").path("cursor").isNull();
            return OsvGhsaLoopback.Answer.json(firstPage ? recorded.toString()
                    : "{\"data\":{\"securityAdvisories\":{\"pageInfo\":{\"hasNextPage\":false,\"endCursor\":null},\"nodes\":[]}}}");
        });
        OsvFeedTest.Pages pages = new OsvFeedTest.Pages();

        feed().sync(null, pages);

        List<Advisory> advisories = pages.pages.stream().flatMap(p -> p.advisories().stream()).toList();
        assertThat(advisories).hasSize(recorded.path("data").path("securityAdvisories").path("nodes").size());
        assertThat(rejections).isEmpty();
        assertThat(GhsaCursor.parse("ghsa", pages.pages.getFirst().cursor()).after()).isEqualTo(endCursor);
        int packages = 0;
        for (JsonNode node : recorded.path("data").path("securityAdvisories").path("nodes")) {
            for (JsonNode v : node.path("vulnerabilities").path("edges")) {
                packages += v.path("package").path("ecosystem").asText().equals("NUGET") ? 0 : 1;
            }
        }
        assertThat(advisories.stream().mapToInt(a -> a.affected().size()).sum()).isEqualTo(packages);
        assertThat(advisories).allSatisfy(a -> {
            assertThat(a.id()).startsWith("GHSA-");
            assertThat(a.modified()).isNotNull();
            assertThat(a.cwes()).allMatch(cwe -> cwe.startsWith("CWE-"));
            assertThat(a.severityVectors()).allMatch(v -> v.startsWith("CVSS:"));
        });
    }
}
