package dev.freshet.updates.feeds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.osv.AffectedPackage;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NVD CVE API 2.0 ({@code /rest/json/cves/2.0}). The first sync pages through every CVE; later
 * ones ask for what changed since, in {@code lastModStartDate}/{@code lastModEndDate} windows of
 * at most 120 days (the API's limit). The cursor names the window and the index within it, so a
 * stopped sync resumes mid-window. NVD records add ids, CVSS vectors, weaknesses and rejection to
 * the advisories that name packages; their CPE applicability names packages through
 * {@link CpePackages}, which is what a CVE no package feed knows becomes a dependency rule by
 * (where a package feed knows the CVE, its packages win: see {@link AdvisoryStore#loadAll()}).
 */
public final class NvdFeed implements Feed {
    public static final String NAME = "nvd";
    public static final URI DEFAULT_ENDPOINT = URI.create("https://services.nvd.nist.gov/rest/json/cves/2.0");
    /** The API's largest {@code resultsPerPage}. */
    public static final int MAX_PAGE_SIZE = 2000;
    static final Duration MAX_WINDOW = Duration.ofDays(120);
    private static final Logger LOG = LoggerFactory.getLogger(NvdFeed.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter QUERY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'+00:00'")
            .withZone(ZoneOffset.UTC);
    private static final List<String> METRICS = List.of("cvssMetricV40", "cvssMetricV31", "cvssMetricV30", "cvssMetricV2");

    private final FeedTransport transport;
    private final URI endpoint;
    private final String apiKey;
    private final Clock clock;
    private final int pageSize;

    /**
     * Where a sync stands. Mid-listing: {@code end} is set (the time the listing covers up to),
     * {@code start} too unless it is the first full listing, {@code index} is the next
     * {@code startIndex} and {@code total} the {@code totalResults} last seen. Between syncs only
     * {@code through} is set: every change up to it is stored.
     */
    record Cursor(Instant start, Instant end, int index, int total, Instant through) {
        static Cursor listing(Instant start, Instant end) {
            return new Cursor(start, end, 0, -1, null);
        }

        static Cursor done(Instant through) {
            return new Cursor(null, null, 0, -1, through);
        }

        String encode() {
            try {
                return JSON.writeValueAsString(JSON.createObjectNode()
                        .put("start", start == null ? null : start.toString())
                        .put("end", end == null ? null : end.toString())
                        .put("index", index).put("total", total)
                        .put("through", through == null ? null : through.toString()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Cursor decode(String text) {
            try {
                JsonNode node = JSON.readTree(text);
                return new Cursor(time(node, "start"), time(node, "end"), node.path("index").asInt(0),
                        node.path("total").asInt(-1), time(node, "through"));
            } catch (IOException | DateTimeParseException e) {
                return null;
            }
        }

        private static Instant time(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? null : Instant.parse(value.asText());
        }
    }

    public NvdFeed(FeedTransport transport, URI endpoint, String apiKey, Clock clock) {
        this(transport, endpoint, apiKey, clock, MAX_PAGE_SIZE);
    }

    NvdFeed(FeedTransport transport, URI endpoint, String apiKey, Clock clock, int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("NVD pages hold 1 to " + MAX_PAGE_SIZE + " results, not " + pageSize);
        }
        this.transport = transport;
        this.endpoint = endpoint;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        this.clock = clock;
        this.pageSize = pageSize;
    }

    /** NVD's published limits: 5 requests per rolling 30 s without an API key, 50 with one. */
    public static FeedPolicy policy(boolean withApiKey) {
        return FeedPolicy.DEFAULT.withRateLimit(withApiKey ? 50 : 5, Duration.ofSeconds(30))
                .withMaxBytes(256L * 1024 * 1024).withTimeout(Duration.ofMinutes(3));
    }

    @Override
    public String name() {
        return NAME;
    }


    @Override
    public void sync(String cursorText, PageSink sink) throws FeedException, InterruptedException {
        Instant now = clock.instant();
        Cursor cursor = cursorText == null ? null : Cursor.decode(cursorText);
        if (cursorText != null && cursor == null) {
            LOG.warn("feed nvd: stored cursor '{}' is unreadable; listing everything again", cursorText);
        }
        if (cursor == null) {
            cursor = Cursor.listing(null, now);
        } else if (cursor.through() != null) {
            if (!cursor.through().isBefore(now)) {
                return;
            }
            cursor = nextWindow(cursor.through(), now);
        }
        while (true) {
            Page page = fetch(cursor);
            // Records that left the listing since the last page (changed again after its end) moved
            // the ones behind them forward, past this index: read again from as many places back, so
            // none is skipped. Records read twice are stored once (same feed and id).
            int shrunk = cursor.total() > page.total() ? cursor.total() - page.total() : 0;
            int next = shrunk > 0 ? Math.max(0, cursor.index() - shrunk) : cursor.index() + page.advisories().size();
            if (page.advisories().isEmpty() && shrunk == 0 && next < page.total()) {
                throw new FeedException(NAME, "empty page at startIndex " + cursor.index() + " of " + page.total()
                        + " results; stored progress kept, the next sync resumes there");
            }
            Cursor after;
            if (next < page.total()) {
                after = new Cursor(cursor.start(), cursor.end(), next, page.total(), null);
            } else if (cursor.end().isBefore(now)) {
                after = nextWindow(cursor.end(), now);
            } else {
                after = Cursor.done(cursor.end());
            }
            sink.accept(new FeedPage(page.advisories(), after.encode()));
            if (after.through() != null) {
                return;
            }
            cursor = after;
        }
    }

    private static Cursor nextWindow(Instant from, Instant now) {
        Instant end = from.plus(MAX_WINDOW).isBefore(now) ? from.plus(MAX_WINDOW) : now;
        return Cursor.listing(from, end);
    }

    private record Page(List<Advisory> advisories, int total) {
    }

    private Page fetch(Cursor cursor) throws FeedException, InterruptedException {
        StringBuilder query = new StringBuilder("resultsPerPage=").append(pageSize).append("&startIndex=").append(cursor.index());
        if (cursor.start() != null) {
            query.append("&lastModStartDate=").append(encode(QUERY_TIME.format(cursor.start())))
                    .append("&lastModEndDate=").append(encode(QUERY_TIME.format(cursor.end())));
        }
        URI uri = URI.create(endpoint + (endpoint.getRawQuery() == null ? "?" : "&") + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Accept", "application/json");
        if (apiKey != null) {
            request.header("apiKey", apiKey);
        }
        HttpResponse<byte[]> response = transport.send(NAME, request.build());
        return parse(response.body(), cursor.index());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Page parse(byte[] body, int startIndex) throws FeedException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new FeedException(NAME, "answer at startIndex " + startIndex + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.path("totalResults").canConvertToInt() || !root.path("totalResults").isNumber()
                || !root.path("vulnerabilities").isArray()) {
            throw new FeedException(NAME, "answer at startIndex " + startIndex
                    + " is not a CVE API 2.0 page (no totalResults or vulnerabilities)");
        }
        List<Advisory> advisories = new ArrayList<>();
        CpePackages.Mapping cpes = CpePackages.Mapping.NONE;
        for (JsonNode item : root.get("vulnerabilities")) {
            JsonNode cve = item.path("cve");
            String id = cve.path("id").asText("");
            if (!id.matches("CVE-\\d{4}-\\d{4,}")) {
                LOG.warn("feed nvd: skipped a record without a CVE id at startIndex {}", startIndex);
                continue;
            }
            CpePackages.Mapping mapping = packages(cve);
            cpes = cpes.plus(mapping);
            advisories.add(advisory(cve, mapping.packages()));
        }
        if (cpes.mapped() + cpes.unknown() + cpes.unbounded() + cpes.unreadableVersions() > 0) {
            LOG.info("feed nvd: page at startIndex {}: {} vulnerable CPE match(es) named a package, {} named no known package, "
                    + "{} bounded no version, {} had versions the ecosystem cannot read", startIndex, cpes.mapped(), cpes.unknown(),
                    cpes.unbounded(), cpes.unreadableVersions());
        }
        return new Page(advisories, root.get("totalResults").asInt());
    }

    /** The packages one {@code cve} object's configurations name, with what could not be mapped counted. */
    static CpePackages.Mapping packages(JsonNode cve) {
        NvdConfigurations.Read read = NvdConfigurations.read(cve);
        CpePackages.Mapping mapping = CpePackages.map(read.matches());
        return new CpePackages.Mapping(mapping.packages(), mapping.mapped(), mapping.unknown() + read.unreadable(), mapping.unbounded(),
                mapping.unreadableVersions());
    }

    /** One {@code cve} object as an advisory, its CPE configurations read as packages. */
    static Advisory advisory(JsonNode cve) {
        return advisory(cve, packages(cve).packages());
    }

    private static Advisory advisory(JsonNode cve, List<AffectedPackage> packages) {
        String id = cve.path("id").asText();
        Instant published = nvdTime(cve.path("published").asText(null));
        Instant modified = nvdTime(cve.path("lastModified").asText(null));
        String summary = "";
        for (JsonNode description : cve.path("descriptions")) {
            if ("en".equals(description.path("lang").asText())) {
                summary = description.path("value").asText("").strip();
                break;
            }
        }
        Set<String> vectors = new LinkedHashSet<>();
        for (String metric : METRICS) {
            List<JsonNode> entries = new ArrayList<>();
            cve.path("metrics").path(metric).forEach(entries::add);
            // NVD's own (Primary) assessment before the CNA's (Secondary).
            entries.sort((a, b) -> Boolean.compare(!"Primary".equals(a.path("type").asText()), !"Primary".equals(b.path("type").asText())));
            for (JsonNode entry : entries) {
                String vector = entry.path("cvssData").path("vectorString").asText("");
                if (!vector.isBlank()) {
                    vectors.add(vector);
                }
            }
        }
        Set<String> cwes = new LinkedHashSet<>();
        for (JsonNode weakness : cve.path("weaknesses")) {
            for (JsonNode description : weakness.path("description")) {
                String value = description.path("value").asText("");
                if (value.matches("CWE-\\d+")) {
                    cwes.add(value);
                }
            }
        }
        Instant withdrawn = "Rejected".equalsIgnoreCase(cve.path("vulnStatus").asText(""))
                ? (modified != null ? modified : published != null ? published : Instant.EPOCH) : null;
        return new Advisory(id, List.of(), summary, published, modified, withdrawn, packages, List.copyOf(vectors),
                List.copyOf(cwes), null);
    }

    /** NVD times are UTC without an offset ({@code 2023-10-12T19:15:11.747}); some carry one. */
    private static Instant nvdTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
