package dev.freshet.updates.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.deps.Advisory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OsvFeedTest {
    private static final OsvFeed.Limits SMALL_PAGES = new OsvFeed.Limits(3, 64 * 1024, 10L << 20, 1000, 50);

    private OsvGhsaLoopback.Server server;
    private final List<String> rejections = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new OsvGhsaLoopback.Server();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OsvFeed feed(OsvFeed.Limits limits) {
        return new OsvFeed(new OsvGhsaLoopback.Transport(), server.base(), "PyPI", limits, rejections::add);
    }

    static String record(String id, String modified) {
        return """
                {"schema_version": "1.6.0", "id": "%s", "modified": "%s", "published": "2020-01-01T00:00:00Z",
                 "aliases": ["CVE-%s"], "summary": "flaw in pkg-%s",
                 "affected": [{"package": {"ecosystem": "PyPI", "name": "pkg-%s"},
                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0"}]}]}]}
                """.formatted(id, modified, id, id, id);
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** Records PYSEC-1..n, modified a day apart, as all.zip entries. */
    static Map<String, byte[]> records(int count) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            entries.put("PYSEC-" + i + ".json", record("PYSEC-" + i, day(i)).getBytes(StandardCharsets.UTF_8));
        }
        return entries;
    }

    static String day(int i) {
        return Instant.parse("2024-01-01T00:00:00Z").plusSeconds(86_400L * i).toString();
    }

    /** Collects pages; can fail like a store that breaks while storing page {@code failAt} (1-based). */
    static final class Pages implements Feed.PageSink {
        final List<FeedPage> pages = new ArrayList<>();
        int failAt = -1;
        String lastCursor;

        @Override
        public void accept(FeedPage page) throws FeedException {
            if (pages.size() + 1 == failAt) {
                failAt = -1;
                throw new FeedException("store", "disk full while storing a page");
            }
            pages.add(page);
            lastCursor = page.cursor();
        }

        List<String> ids() {
            return pages.stream().flatMap(p -> p.advisories().stream()).map(Advisory::id).toList();
        }
    }

    @Test
    void firstSyncReadsAllZipInPagesWithTheNewestModifiedTimeAsCursor() throws Exception {
        server.files.put("/PyPI/all.zip", zip(records(8)));
        Pages pages = new Pages();

        feed(SMALL_PAGES).sync(null, pages);

        assertThat(pages.ids()).containsExactly("PYSEC-1", "PYSEC-2", "PYSEC-3", "PYSEC-4", "PYSEC-5", "PYSEC-6", "PYSEC-7", "PYSEC-8");
        assertThat(pages.pages).extracting(p -> p.advisories().size()).containsExactly(3, 3, 2);
        assertThat(pages.lastCursor).isEqualTo(day(8));
        assertThat(pages.pages.getFirst().cursor()).startsWith(day(3) + " all.zip ");
        Advisory first = pages.pages.getFirst().advisories().getFirst();
        assertThat(first.aliases()).containsExactly("CVE-PYSEC-1");
        assertThat(first.affected().getFirst().affects("0.9")).isTrue();
        assertThat(first.affected().getFirst().affects("1.0")).isFalse();
        assertThat(server.paths()).containsExactly("/PyPI/all.zip");
        assertThat(rejections).isEmpty();
    }

    @Test
    void incrementalSyncReadsModifiedIdCsvDownToTheCursorAndFetchesOnlyThoseRecords() throws Exception {
        for (int i = 1; i <= 6; i++) {
            server.files.put("/PyPI/PYSEC-" + i + ".json", record("PYSEC-" + i, day(i)).getBytes(StandardCharsets.UTF_8));
        }
        server.files.put("/PyPI/modified_id.csv", """
                %s,PYSEC-6
                %s,PYSEC-5
                not a line at all
                yesterday,PYSEC-99
                %s,../../etc/passwd

                %s,PYSEC-4
                %s,PYSEC-3
                %s,PYSEC-2
                """.formatted(day(6), day(5), day(5), day(4), day(3), day(2)).getBytes(StandardCharsets.UTF_8));
        Pages pages = new Pages();

        feed(SMALL_PAGES).sync(day(3), pages);

        assertThat(pages.ids()).containsExactly("PYSEC-4", "PYSEC-5", "PYSEC-6");
        assertThat(pages.lastCursor).isEqualTo(day(6));
        assertThat(server.paths()).containsExactly("/PyPI/modified_id.csv", "/PyPI/PYSEC-4.json", "/PyPI/PYSEC-5.json", "/PyPI/PYSEC-6.json");
        assertThat(rejections).hasSize(3).allMatch(r -> r.startsWith("feed 'osv-PyPI': rejected modified_id.csv line "));
        assertThat(rejections.get(0)).contains("line 3", "not a line at all");
        assertThat(rejections.get(2)).contains("line 5", "../../etc/passwd");
    }

    @Test
    void nothingNewerThanTheCursorDeliversNothing() throws Exception {
        server.files.put("/PyPI/modified_id.csv", (day(2) + ",PYSEC-2\n" + day(1) + ",PYSEC-1\n").getBytes(StandardCharsets.UTF_8));
        Pages pages = new Pages();

        feed(SMALL_PAGES).sync(day(2), pages);

        assertThat(pages.pages).isEmpty();
        assertThat(server.paths()).containsExactly("/PyPI/modified_id.csv");
    }

    @Test
    void hostileAndBrokenEntriesAreRejectedOneByOneAndTheRestIsDelivered() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("PYSEC-1.json", record("PYSEC-1", day(1)).getBytes(StandardCharsets.UTF_8));
        entries.put("../../evil.json", record("EVIL-1", day(9)).getBytes(StandardCharsets.UTF_8));
        entries.put("/etc/cron.d/evil.json", record("EVIL-2", day(9)).getBytes(StandardCharsets.UTF_8));
        entries.put("a\\..\\..\\evil.json", record("EVIL-3", day(9)).getBytes(StandardCharsets.UTF_8));
        entries.put("README.md", "# not a record".getBytes(StandardCharsets.UTF_8));
        entries.put("huge.json", ("{\"id\":\"HUGE-1\",\"details\":\"" + "A".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        entries.put("truncated.json", record("PYSEC-7", day(7)).substring(0, 60).getBytes(StandardCharsets.UTF_8));
        entries.put("no-id.json", "{\"modified\": \"2024-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8));
        entries.put("dir/", new byte[0]);
        entries.put("PYSEC-2.json", record("PYSEC-2", day(2)).getBytes(StandardCharsets.UTF_8));
        server.files.put("/PyPI/all.zip", zip(entries));
        Pages pages = new Pages();

        feed(SMALL_PAGES).sync(null, pages);

        assertThat(pages.ids()).containsExactly("PYSEC-1", "PYSEC-2");
        assertThat(pages.lastCursor).isEqualTo(day(2));
        assertThat(rejections).containsExactly(
                "feed 'osv-PyPI': rejected all.zip entry '../../evil.json': unsafe entry name (absolute or climbing out)",
                "feed 'osv-PyPI': rejected all.zip entry '/etc/cron.d/evil.json': unsafe entry name (absolute or climbing out)",
                "feed 'osv-PyPI': rejected all.zip entry 'a\\..\\..\\evil.json': unsafe entry name (absolute or climbing out)",
                "feed 'osv-PyPI': rejected all.zip entry 'README.md': not a JSON record",
                "feed 'osv-PyPI': rejected all.zip entry 'huge.json': larger than 65536 bytes",
                rejections.get(5),
                "feed 'osv-PyPI': rejected all.zip entry 'no-id.json': missing 'id'");
        assertThat(rejections.get(5)).startsWith("feed 'osv-PyPI': rejected all.zip entry 'truncated.json': not valid JSON: ");
    }

    @Test
    void anArchiveInflatingPastTheLimitIsRefusedAsABomb() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>(records(2));
        // 40 entries of 1 MB zeros: each shrinks to about 1 KB, together they inflate to 40 MB.
        for (int i = 0; i < 40; i++) {
            entries.put("zeros-" + i + ".json", new byte[1 << 20]);
        }
        byte[] bomb = zip(entries);
        assertThat(bomb.length).isLessThan(100_000);
        server.files.put("/PyPI/all.zip", bomb);
        Pages pages = new Pages();

        assertThatThrownBy(() -> feed(SMALL_PAGES).sync(null, pages))
                .isInstanceOf(FeedException.class)
                .hasMessage("feed 'osv-PyPI': " + server.base() + "PyPI/all.zip inflates past 10485760 bytes; refused as a decompression bomb");
        assertThat(pages.pages).isEmpty();
        assertThat(rejections).hasSize(9).allMatch(r -> r.endsWith("larger than 65536 bytes"));
    }

    @Test
    void oneGiantEntryIsNotInflatedBeyondTheArchiveLimit() throws Exception {
        // 64 MB of zeros in one entry against an 8 MB archive limit: refused without inflating it all.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("giant.json"));
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                zip.write(chunk);
            }
            zip.closeEntry();
        }
        server.files.put("/PyPI/all.zip", out.toByteArray());

        assertThatThrownBy(() -> feed(new OsvFeed.Limits(3, 1 << 20, 8L << 20, 1000, 50)).sync(null, new Pages()))
                .hasMessageContaining("inflates past 8388608 bytes; refused as a decompression bomb");
    }

    @Test
    void tooManyEntriesAreRefused() throws Exception {
        server.files.put("/PyPI/all.zip", zip(records(12)));

        assertThatThrownBy(() -> feed(new OsvFeed.Limits(100, 1 << 20, 1L << 30, 10, 50)).sync(null, new Pages()))
                .hasMessageContaining("all.zip has more than 10 entries; refused as a decompression bomb");
    }

    @Test
    void aTruncatedOrDamagedArchiveFailsTheSyncNamingIt() throws Exception {
        byte[] whole = zip(records(5));
        for (int cut : new int[] {whole.length - 30, whole.length / 2}) {
            server.files.put("/PyPI/all.zip", Arrays.copyOf(whole, cut));
            Pages pages = new Pages();

            assertThatThrownBy(() -> feed(SMALL_PAGES).sync(null, pages))
                    .isInstanceOf(FeedException.class)
                    .hasMessageContaining(server.base() + "PyPI/all.zip")
                    .hasMessageContaining("truncated or damaged");
            assertThat(pages.lastCursor).as("a damaged archive never reports itself done").isNull();
        }
        server.files.put("/PyPI/all.zip", "<html>not a zip</html>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> feed(SMALL_PAGES).sync(null, new Pages())).hasMessageContaining("truncated or damaged");
    }

    @Test
    void resumingAfterAFailureMidArchiveDeliversEveryRecordExactlyOnce() throws Exception {
        server.files.put("/PyPI/all.zip", zip(records(10)));
        Pages pages = new Pages();
        pages.failAt = 3;

        assertThatThrownBy(() -> feed(SMALL_PAGES).sync(null, pages)).hasMessageContaining("disk full");
        assertThat(pages.ids()).hasSize(6);
        feed(SMALL_PAGES).sync(pages.lastCursor, pages);

        assertThat(pages.ids()).containsExactly("PYSEC-1", "PYSEC-2", "PYSEC-3", "PYSEC-4", "PYSEC-5", "PYSEC-6", "PYSEC-7", "PYSEC-8", "PYSEC-9", "PYSEC-10");
        assertThat(pages.lastCursor).isEqualTo(day(10));
    }

    @Test
    void aResumedSyncStartsOverWhenTheArchiveChangedMeanwhile() throws Exception {
        server.files.put("/PyPI/all.zip", zip(records(7)));
        Pages pages = new Pages();
        pages.failAt = 2;
        assertThatThrownBy(() -> feed(SMALL_PAGES).sync(null, pages)).hasMessageContaining("disk full");

        server.files.put("/PyPI/all.zip", zip(records(8)));
        Pages resumed = new Pages();
        feed(SMALL_PAGES).sync(pages.lastCursor, resumed);

        // Entry positions of another archive mean nothing: all of it again (pages replace, so repeats are harmless).
        assertThat(resumed.ids()).hasSize(8);
        assertThat(resumed.lastCursor).isEqualTo(day(8));
    }

    @Test
    void resumingAfterAFailedRecordFetchDeliversEveryRecordExactlyOnceAndNeverSplitsATime() throws Exception {
        StringBuilder csv = new StringBuilder();
        // PYSEC-4 and PYSEC-5 share one modified time: no page may end between them.
        String[] times = {day(1), day(2), day(3), day(4), day(4), day(5), day(6)};
        for (int i = times.length; i >= 1; i--) {
            csv.append(times[i - 1]).append(",PYSEC-").append(i).append('\n');
            server.files.put("/PyPI/PYSEC-" + i + ".json", record("PYSEC-" + i, times[i - 1]).getBytes(StandardCharsets.UTF_8));
        }
        server.files.put("/PyPI/modified_id.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        server.failOnce.put("/PyPI/PYSEC-6.json", 503);
        OsvFeed.Limits twoPerPage = new OsvFeed.Limits(2, 1 << 20, 1L << 30, 1000, 50);
        Pages pages = new Pages();

        assertThatThrownBy(() -> feed(twoPerPage).sync(day(0), pages)).hasMessageContaining("answered HTTP 503");
        assertThat(pages.pages).extracting(p -> p.advisories().size()).containsExactly(2, 3);
        feed(twoPerPage).sync(pages.lastCursor, pages);

        assertThat(pages.ids()).containsExactly("PYSEC-1", "PYSEC-2", "PYSEC-3", "PYSEC-4", "PYSEC-5", "PYSEC-6", "PYSEC-7");
        assertThat(pages.lastCursor).isEqualTo(day(6));
    }

    @Test
    void aRecordWhoseIdDiffersFromItsListingIsRejected() throws Exception {
        server.files.put("/PyPI/modified_id.csv", (day(2) + ",PYSEC-2\n").getBytes(StandardCharsets.UTF_8));
        server.files.put("/PyPI/PYSEC-2.json", record("PYSEC-666", day(2)).getBytes(StandardCharsets.UTF_8));
        Pages pages = new Pages();

        feed(SMALL_PAGES).sync(day(1), pages);

        assertThat(pages.ids()).isEmpty();
        assertThat(pages.lastCursor).isEqualTo(day(2));
        assertThat(rejections).containsExactly("feed 'osv-PyPI': rejected PYSEC-2.json: holds record 'PYSEC-666', not 'PYSEC-2'");
    }

    @Test
    void manyChangesSinceTheCursorFetchAllZipInsteadOfEachRecord() throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int i = 60; i >= 1; i--) {
            csv.append(day(i)).append(",PYSEC-").append(i).append('\n');
        }
        server.files.put("/PyPI/modified_id.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        server.files.put("/PyPI/all.zip", zip(records(60)));
        Pages pages = new Pages();

        feed(SMALL_PAGES).sync(day(1), pages);

        assertThat(server.paths()).containsExactly("/PyPI/modified_id.csv", "/PyPI/all.zip");
        assertThat(pages.ids()).hasSize(60);
        assertThat(pages.lastCursor).isEqualTo(day(60));
    }

    @Test
    void aMissingArchiveOrAForeignCursorFailsWithOneClearMessage() {
        assertThatThrownBy(() -> feed(SMALL_PAGES).sync(null, new Pages()))
                .isInstanceOf(FeedException.class)
                .hasMessage("feed 'osv-PyPI': " + server.base() + "PyPI/all.zip answered HTTP 404");
        assertThatThrownBy(() -> feed(SMALL_PAGES).sync("{\"since\":null}", new Pages()))
                .hasMessage("feed 'osv-PyPI': stored cursor '{\"since\":null}' is not an OSV cursor; reset the feed's cursor to sync from the start");
    }

    @Test
    void ecosystemNamesAreEscapedInPaths() throws Exception {
        OsvFeed feed = new OsvFeed(new OsvGhsaLoopback.Transport(), server.base(), "Debian:12", SMALL_PAGES, rejections::add);
        server.files.put("/Debian:12/all.zip", zip(records(1)));
        Pages pages = new Pages();

        feed.sync(null, pages);

        assertThat(feed.name()).isEqualTo("osv-Debian:12");
        assertThat(pages.ids()).containsExactly("PYSEC-1");
        assertThatThrownBy(() -> new OsvFeed(new OsvGhsaLoopback.Transport(), server.base(), "../x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entryNamesThatClimbOutAreRecognised() {
        assertThat(OsvFeed.isSafeEntryName("PYSEC-1.json")).isTrue();
        assertThat(OsvFeed.isSafeEntryName("sub/dir/GHSA-x.json")).isTrue();
        assertThat(OsvFeed.isSafeEntryName("a..b.json")).isTrue();
        for (String bad : List.of("../x.json", "a/../../x.json", "/x.json", "\\x.json", "C:/x.json", "c:x.json", "a\\..\\x.json", "", "x\0.json")) {
            assertThat(OsvFeed.isSafeEntryName(bad)).as(bad).isFalse();
        }
    }
}
