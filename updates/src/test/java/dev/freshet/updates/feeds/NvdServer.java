package dev.freshet.updates.feeds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local CVE API 2.0: pages by {@code startIndex}/{@code resultsPerPage}, filters by
 * {@code lastModStartDate}/{@code lastModEndDate} (both or neither, at most 120 days apart, as NVD
 * requires; NVD answers a bad request with 404), in a stable order. Tests change its records
 * between pages and script failures.
 */
final class NvdServer implements AutoCloseable {
    static final String PATH = "/rest/json/cves/2.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Cve(String id, Instant modified, String status) {
    }

    /** Answers page request number {@code n} (1-based) itself, or returns false to let the server answer. */
    @FunctionalInterface
    interface Misbehaviour {
        boolean answer(int n, HttpExchange exchange) throws IOException;
    }

    private final Map<String, Cve> cves = new ConcurrentSkipListMap<>();
    private final AtomicInteger pageRequests = new AtomicInteger();
    private final TestServer server;
    private volatile Misbehaviour misbehaviour = (n, exchange) -> false;
    private volatile java.util.function.IntConsumer afterPage = n -> { };

    NvdServer() throws IOException {
        server = new TestServer(this::handle);
    }

    URI endpoint() {
        return server.uri(PATH);
    }

    List<TestServer.Request> requests() {
        return server.requests();
    }

    void put(String id, Instant modified) {
        cves.put(id, new Cve(id, modified, "Analyzed"));
    }

    void misbehave(Misbehaviour next) {
        misbehaviour = next;
    }

    /** Runs after page request {@code n} was answered: a change the next page will see. */
    void afterPage(java.util.function.IntConsumer next) {
        afterPage = next;
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(PATH)) {
            TestServer.respond(exchange, 404, "");
            return;
        }
        int n = pageRequests.incrementAndGet();
        if (misbehaviour.answer(n, exchange)) {
            return;
        }
        Map<String, String> params = query(exchange.getRequestURI());
        int perPage = Integer.parseInt(params.getOrDefault("resultsPerPage", "2000"));
        int start = Integer.parseInt(params.getOrDefault("startIndex", "0"));
        String from = params.get("lastModStartDate");
        String to = params.get("lastModEndDate");
        if (perPage < 1 || perPage > 2000 || start < 0 || (from == null) != (to == null)) {
            TestServer.respond(exchange, 404, "", "message", "Invalid parameters");
            return;
        }
        Instant lower = from == null ? null : OffsetDateTime.parse(from).toInstant();
        Instant upper = to == null ? null : OffsetDateTime.parse(to).toInstant();
        if (lower != null && Duration.between(lower, upper).compareTo(Duration.ofDays(120)) > 0) {
            TestServer.respond(exchange, 404, "", "message", "The date range must not exceed 120 days");
            return;
        }
        List<Cve> matching = cves.values().stream()
                .filter(c -> lower == null || !c.modified().isBefore(lower) && !c.modified().isAfter(upper)).toList();
        ObjectNode page = JSON.createObjectNode();
        List<Cve> slice = matching.subList(Math.min(start, matching.size()), Math.min(start + perPage, matching.size()));
        page.put("resultsPerPage", slice.size()).put("startIndex", start).put("totalResults", matching.size())
                .put("format", "NVD_CVE").put("version", "2.0").put("timestamp", LocalDateTime.now(ZoneOffset.UTC).toString());
        ArrayNode vulnerabilities = page.putArray("vulnerabilities");
        for (Cve cve : slice) {
            vulnerabilities.addObject().set("cve", cveObject(cve));
        }
        TestServer.respond(exchange, 200, JSON.writeValueAsBytes(page), "Content-Type", "application/json");
        afterPage.accept(n);
    }

    private static ObjectNode cveObject(Cve cve) {
        ObjectNode node = JSON.createObjectNode();
        String time = LocalDateTime.ofInstant(cve.modified(), ZoneOffset.UTC).toString();
        node.put("id", cve.id()).put("sourceIdentifier", "cve@example.org").put("published", time)
                .put("lastModified", time).put("vulnStatus", cve.status());
        node.putArray("descriptions").addObject().put("lang", "en").put("value", "Flaw " + cve.id());
        ObjectNode metric = node.putObject("metrics").putArray("cvssMetricV31").addObject();
        metric.put("source", "nvd@nist.gov").put("type", "Primary").putObject("cvssData")
                .put("version", "3.1").put("vectorString", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").put("baseScore", 9.8);
        node.putArray("weaknesses").addObject().put("source", "nvd@nist.gov").put("type", "Primary")
                .putArray("description").addObject().put("lang", "en").put("value", "CWE-787");
        return node;
    }

    @Override
    public void close() {
        server.close();
    }
}
