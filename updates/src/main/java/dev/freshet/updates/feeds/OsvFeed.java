package dev.freshet.updates.feeds;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.osv.OsvParser;
import dev.freshet.engine.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ecosystem of the OSV data dump (the {@code osv-vulnerabilities} bucket): the first sync reads
 * {@code <ECOSYSTEM>/all.zip}; later ones read {@code <ECOSYSTEM>/modified_id.csv} (lines
 * {@code <modified>,<id>}, newest first) down to the cursor and fetch just those
 * {@code <ECOSYSTEM>/<ID>.json} records. A record that is unsafe, oversized or not a valid OSV
 * record is rejected with a reason and the sync goes on; an archive that would inflate past the
 * limits is refused as a whole.
 */
public final class OsvFeed implements Feed {
    /** The public OSV bucket over HTTPS. */
    public static final URI OSV_BUCKET = URI.create("https://osv-vulnerabilities.storage.googleapis.com/");

    private static final Logger LOG = LoggerFactory.getLogger(OsvFeed.class);
    // OSV ids are letters, digits and . _ - : (e.g. GHSA-..., PYSEC-2021-1, SUSE-SU-2024:1234-1).
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}");

    /**
     * @param pageSize              records per delivered page
     * @param maxRecordBytes        a record (archive entry or fetched file) larger than this is rejected
     * @param maxArchiveBytes       all.zip inflating past this in total is refused as a decompression bomb
     * @param maxEntries            all.zip with more entries than this is refused
     * @param fullDownloadThreshold when more records than this changed since the cursor, all.zip is cheaper than one request each
     */
    public record Limits(int pageSize, long maxRecordBytes, long maxArchiveBytes, int maxEntries, int fullDownloadThreshold) {
        public static Limits defaults() {
            return new Limits(2000, 16L << 20, 8L << 30, 2_000_000, 5000);
        }
    }

    private final FeedTransport transport;
    private final URI base;
    private final String ecosystem;
    private final Limits limits;
    private final Consumer<String> rejections;

    public OsvFeed(FeedTransport transport, URI base, String ecosystem) {
        this(transport, base, ecosystem, Limits.defaults(), message -> LOG.warn("{}", message));
    }

    /** @param rejections receives one line per rejected record, naming the feed, the record and the reason */
    public OsvFeed(FeedTransport transport, URI base, String ecosystem, Limits limits, Consumer<String> rejections) {
        if (ecosystem.isBlank() || ecosystem.contains("/") || ecosystem.contains("..")) {
            throw new IllegalArgumentException("not an OSV ecosystem name: '" + ecosystem + "'");
        }
        this.transport = transport;
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.ecosystem = ecosystem;
        this.limits = limits;
        this.rejections = rejections;
    }

    /** A local directory of OSV JSON/YAML files (e.g. a clone of an advisory database) as a feed. */
    public static Feed directory(Path directory) {
        return directory(directory, Limits.defaults(), message -> LOG.warn("{}", message));
    }

    public static Feed directory(Path directory, Limits limits, Consumer<String> rejections) {
        return new OsvDirectoryFeed(directory, limits, rejections);
    }

    @Override
    public String name() {
        return "osv-" + ecosystem;
    }


    @Override
    public void sync(String cursor, PageSink sink) throws FeedException, InterruptedException {
        OsvCursor at = OsvCursor.parse(name(), cursor);
        if (cursor == null || at.midArchive()) {
            syncArchive(at, sink);
            return;
        }
        List<Change> changes = changesAfter(at);
        if (changes.size() > limits.fullDownloadThreshold()) {
            LOG.info("feed '{}': {} records changed since {}; downloading all.zip instead", name(), changes.size(), at.text());
            syncArchive(at, sink);
            return;
        }
        syncChanges(changes, sink);
    }

    /** One line of modified_id.csv. */
    private record Change(Instant modified, String id) {
    }

    private void syncArchive(OsvCursor from, PageSink sink) throws FeedException, InterruptedException {
        byte[] archive = get("all.zip");
        String hash = sha256(archive).substring(0, 16);
        // Resume after the entries already delivered only if it is the very archive they came from;
        // otherwise start over (a page replaces earlier copies, so repeats are harmless).
        long skip = hash.equals(from.archive()) ? from.entriesDone() : 0;
        // Reading entry by entry cannot tell a cut-off archive from a whole one, so check its end first.
        int listed = listedEntries(archive);
        if (listed < 0) {
            throw new FeedException(name(), archiveUrl() + " is truncated or damaged (no end of central directory)");
        }
        OsvCursor at = new OsvCursor(from.newest(), hash, 0);
        List<Advisory> page = new ArrayList<>();
        long inflated = 0;
        long index = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                index++;
                if (index > limits.maxEntries()) {
                    throw new FeedException(name(), archiveUrl() + " has more than " + limits.maxEntries() + " entries; refused as a decompression bomb");
                }
                if (index <= skip || entry.isDirectory()) {
                    continue;
                }
                String entryName = entry.getName();
                Bounded content = readBounded(zip, limits.maxRecordBytes(), limits.maxArchiveBytes() - inflated);
                inflated += content.bytesRead();
                if (inflated > limits.maxArchiveBytes()) {
                    throw new FeedException(name(), archiveUrl() + " inflates past " + limits.maxArchiveBytes() + " bytes; refused as a decompression bomb");
                }
                String problem = !isSafeEntryName(entryName) ? "unsafe entry name (absolute or climbing out)"
                        : !entryName.endsWith(".json") ? "not a JSON record"
                        : content.data() == null ? "larger than " + limits.maxRecordBytes() + " bytes" : null;
                if (problem != null) {
                    reject("all.zip entry '" + entryName + "'", problem);
                    continue;
                }
                switch (OsvParser.parse(new String(content.data(), StandardCharsets.UTF_8), false)) {
                    case OsvParser.Result.Parsed parsed -> {
                        page.add(parsed.record());
                        at = at.seen(parsed.record().modified());
                    }
                    case OsvParser.Result.Rejected rejected -> reject("all.zip entry '" + entryName + "'", rejected.reason());
                }
                if (page.size() >= limits.pageSize()) {
                    sink.accept(new FeedPage(page, new OsvCursor(at.newest(), hash, index).text()));
                    page = new ArrayList<>();
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } catch (IOException e) {
            throw new FeedException(name(), archiveUrl() + " is truncated or damaged (" + e.getMessage() + ")", e);
        }
        // The 16-bit count wraps or reads 0xFFFF (ZIP64) past 65535 entries; compare what it can hold.
        if (listed != ZIP64_COUNT && listed != (index & 0xFFFF)) {
            throw new FeedException(name(), archiveUrl() + " is truncated or damaged (lists " + listed + " entries, holds " + index + ")");
        }
        // The last page always goes out: its cursor marks the archive as done even when it adds nothing.
        sink.accept(new FeedPage(page, OsvCursor.caughtUp(at.newest()).text()));
    }

    private static final int ZIP64_COUNT = 0xFFFF;

    /**
     * The entry count in the archive's end-of-central-directory record ({@code 0xFFFF} for ZIP64
     * archives, which keep it elsewhere), or -1 when there is no such record.
     */
    static int listedEntries(byte[] zip) {
        int lowest = Math.max(0, zip.length - 22 - 0xFFFF);
        for (int at = zip.length - 22; at >= lowest; at--) {
            if (zip[at] == 'P' && zip[at + 1] == 'K' && zip[at + 2] == 5 && zip[at + 3] == 6) {
                return (zip[at + 10] & 0xFF) | (zip[at + 11] & 0xFF) << 8;
            }
        }
        return -1;
    }

    private List<Change> changesAfter(OsvCursor cursor) throws FeedException, InterruptedException {
        String listing = new String(get("modified_id.csv"), StandardCharsets.UTF_8);
        Map<String, Change> newestFirst = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : (Iterable<String>) listing.lines()::iterator) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            int comma = line.indexOf(',');
            Instant modified = null;
            String id = comma < 0 ? "" : line.substring(comma + 1).trim();
            try {
                modified = comma < 0 ? null : Instant.parse(line.substring(0, comma).trim());
            } catch (DateTimeParseException e) {
                // reported below
            }
            if (modified == null || !SAFE_ID.matcher(id).matches()) {
                reject("modified_id.csv line " + lineNumber, "expected '<ISO time>,<OSV id>' but got '" + abbreviate(line) + "'");
                continue;
            }
            if (!cursor.isNewer(modified)) {
                break; // newest first: everything below is already delivered
            }
            newestFirst.putIfAbsent(id, new Change(modified, id));
        }
        List<Change> oldestFirst = new ArrayList<>(newestFirst.values());
        oldestFirst.sort(Comparator.comparing(Change::modified).thenComparing(Change::id));
        return oldestFirst;
    }

    private void syncChanges(List<Change> changes, PageSink sink) throws FeedException, InterruptedException {
        List<Advisory> page = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            String source = change.id() + ".json";
            byte[] body = get(encode(change.id()) + ".json");
            if (body.length > limits.maxRecordBytes()) {
                reject(source, "larger than " + limits.maxRecordBytes() + " bytes");
            } else {
                switch (OsvParser.parse(new String(body, StandardCharsets.UTF_8), false)) {
                    case OsvParser.Result.Parsed parsed when !parsed.record().id().equals(change.id()) ->
                            reject(source, "holds record '" + parsed.record().id() + "', not '" + change.id() + "'");
                    case OsvParser.Result.Parsed parsed -> page.add(parsed.record());
                    case OsvParser.Result.Rejected rejected -> reject(source, rejected.reason());
                }
            }
            // A page never ends between two records of the same time: the cursor says "all up to this time".
            boolean last = i == changes.size() - 1;
            if (last || page.size() >= limits.pageSize() && !changes.get(i + 1).modified().equals(change.modified())) {
                sink.accept(new FeedPage(page, OsvCursor.caughtUp(change.modified()).text()));
                page = new ArrayList<>();
            }
        }
    }

    private byte[] get(String file) throws FeedException, InterruptedException {
        URI uri = base.resolve(encode(ecosystem) + "/" + file);
        return transport.send(name(), HttpRequest.newBuilder(uri).GET().build()).body();
    }

    private String archiveUrl() {
        return base.resolve(encode(ecosystem) + "/all.zip").toString();
    }

    private void reject(String source, String reason) {
        rejections.accept("feed '" + name() + "': rejected " + source + ": " + reason);
    }

    /** The content of the current entry, or null data when it exceeds its limit; bytesRead counts the bytes inflated. */
    record Bounded(byte[] data, long bytesRead) {
    }

    /**
     * Reads the current entry, keeping at most {@code maxKept} bytes; past that it drains the entry
     * only to count it, and stops as soon as {@code maxRead} bytes were inflated.
     */
    static Bounded readBounded(InputStream in, long maxKept, long maxRead) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long total = 0;
        for (int n; total <= maxRead && (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total <= maxKept) {
                kept.write(buffer, 0, n);
            }
        }
        return new Bounded(total <= maxKept ? kept.toByteArray() : null, total);
    }

    static boolean isSafeEntryName(String name) {
        String normalized = name.replace('\\', '/');
        return !normalized.isEmpty() && !normalized.startsWith("/") && !normalized.matches("^[A-Za-z]:.*")
                && Arrays.stream(normalized.split("/")).noneMatch(".."::equals) && name.indexOf('\0') < 0;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static String sha256(byte[] data) {
        return Sha256.hex(data);
    }
}
