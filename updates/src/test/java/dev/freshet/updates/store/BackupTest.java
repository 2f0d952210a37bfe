package dev.freshet.updates.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.updates.TestParts;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.Fixtures;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.ReleaseSummary;
import dev.freshet.updates.release.Trigger;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Backups of a running embedded store, restored and checked; hostile archives refused before anything is written. */
class BackupTest {
    @RegisterExtension
    final TestParts parts = new TestParts(() -> Database.Kind.SQLITE);

    private static List<AcceptedRule> rules(int n) {
        return List.of(Fixtures.rule("r" + n, "eval_" + n + "($X)"), Fixtures.rule("common", "exec($X)"));
    }

    private static GateReport report(List<AcceptedRule> rules) {
        return new GateReport(rules.stream().map(r -> new Verdict(r.id(), r.source(), r.path(), Verdict.Outcome.ACCEPTED, "passed")).toList());
    }

    private Release release(int n) {
        List<AcceptedRule> rules = rules(n);
        return parts.get().releases().create(rules, report(rules));
    }

    @Test
    void aBackupTakenWhileUpdatesRunRestoresEveryReleaseWithItsHistory() throws Exception {
        Path dataDir = parts.dir().resolve("store");
        Files.createDirectories(dataDir.resolve("models/http-anomaly"));
        Files.writeString(dataDir.resolve("models/http-anomaly/v1.bin"), "weights");
        Files.writeString(dataDir.resolve("policy.toml"), "[updates]\nautomatic = true\n");
        Files.createDirectories(dataDir.resolve("git/cache"));
        Files.writeString(dataDir.resolve("git/cache/pack"), "a cache, fetched again");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger made = new AtomicInteger();
        Thread updates = Thread.ofPlatform().start(() -> {
            for (int n = 0; !stop.get(); n++) {
                Release r = release(n);
                parts.get().activations().activate(r.id(), Trigger.SCHEDULE, "update " + n);
                if (n % 3 == 2) {
                    parts.get().activations().rollback(java.util.Optional.empty(), Trigger.AUTOMATIC, "check failed");
                }
                made.incrementAndGet();
            }
        });
        while (made.get() < 5) {
            Thread.sleep(10);
        }
        Path archive = parts.dir().resolve("backups/freshet.zip");
        Backup.Manifest manifest = Backup.create(parts.get().database(), dataDir, archive, Instant.now());
        int whenTaken = made.get();
        while (made.get() < whenTaken + 3) {
            Thread.sleep(10);
        }
        stop.set(true);
        updates.join();

        assertThat(manifest.entries()).extracting(Backup.Entry::path)
                .containsExactly("store/freshet.db", "files/models/http-anomaly/v1.bin", "files/policy.toml");
        Path restoredDir = parts.dir().resolve("restored");
        Backup.restore(archive, restoredDir, false, Backup.Limits.DEFAULT);

        assertThat(restoredDir.resolve("models/http-anomaly/v1.bin")).hasContent("weights");
        assertThat(restoredDir.resolve("git")).doesNotExist();
        ReleaseStore original = parts.get().releases();
        try (Database restored = Database.open(restoredDir)) {
            ReleaseStore store = new ReleaseStore(restored);
            List<Activation> history = store.history();
            List<Activation> originalHistory = original.history();
            assertThat(history).isNotEmpty().hasSizeLessThan(originalHistory.size());
            assertThat(history).containsExactlyElementsOf(originalHistory.subList(0, history.size())); // a consistent moment
            for (ReleaseSummary summary : store.list()) {
                assertThat(store.find(summary.id())).get().usingRecursiveComparison().isEqualTo(original.find(summary.id()).orElseThrow());
            }
            history.forEach(a -> assertThat(store.find(a.releaseId())).as("release of history row %d", a.seq()).isPresent());
            assertThat(store.active()).map(Release::id).isEqualTo(java.util.Optional.of(history.getLast().releaseId()));
        }
    }

    @Test
    void aLiveStoreIsNotOverwrittenWithoutForce() throws IOException {
        release(1);
        Path archive = parts.dir().resolve("b.zip");
        Backup.create(parts.get().database(), parts.dir().resolve("empty"), archive, Instant.now());
        Path live = parts.dir().resolve("live");
        Database.open(live).close();

        assertThatThrownBy(() -> Backup.restore(archive, live, false, Backup.Limits.DEFAULT))
                .isInstanceOf(BackupException.class).hasMessageContaining("already has a store").hasMessageContaining("--force");
        Backup.restore(archive, live, true, Backup.Limits.DEFAULT);
        try (Database restored = Database.open(live)) {
            assertThat(new ReleaseStore(restored).list()).hasSize(1);
        }
    }

    @Test
    void aPostgresStoreIsBackedUpWithPgDumpAndTheCommandSaysSo() {
        try (Database postgres = Database.open(TestStores.freshPostgres())) {
            assertThatThrownBy(() -> Backup.create(postgres, parts.dir(), parts.dir().resolve("x.zip"), Instant.now()))
                    .isInstanceOf(BackupException.class).hasMessageContaining("pg_dump --format=custom").hasMessageContaining("pg_restore");
        } finally {
            TestStores.dropMade();
        }
    }

    private Path archive(String manifest, String... entries) throws IOException {
        Path zip = parts.dir().resolve("hostile-" + System.nanoTime() + ".zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < entries.length; i += 2) {
                z.putNextEntry(new ZipEntry(entries[i]));
                z.write(entries[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry(Backup.MANIFEST));
            z.write(manifest.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        return zip;
    }

    private static String manifest(String... pathSizeHash) {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < pathSizeHash.length; i += 3) {
            entries.append(i == 0 ? "" : ",").append("{\"path\":\"").append(pathSizeHash[i]).append("\",\"size\":").append(pathSizeHash[i + 1])
                    .append(",\"sha256\":\"").append(pathSizeHash[i + 2]).append("\"}");
        }
        return "{\"format\":\"freshet-backup/1\",\"created_at\":\"2026-01-01T00:00:00Z\",\"schema_version\":\"16\",\"entries\":[" + entries + "]}";
    }

    private void refused(Path archive, String why) {
        Path target = parts.dir().resolve("target-" + System.nanoTime());
        assertThatThrownBy(() -> Backup.restore(archive, target, false, new Backup.Limits(1_000, 10, 10_000)))
                .isInstanceOf(BackupException.class).hasMessageContaining(why);
        assertThat(target).doesNotExist();
        assertThat(parts.dir().resolve("../evil")).doesNotExist();
    }

    private static final String HELLO_SHA = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @Test
    void pathTraversalIsRefused() throws IOException {
        refused(archive(manifest("store/freshet.db", "5", HELLO_SHA, "files/../../evil", "5", HELLO_SHA),
                "store/freshet.db", "hello", "files/../../evil", "hello"), "outside the data directory");
        refused(archive(manifest("store/freshet.db", "5", HELLO_SHA, "/etc/evil", "5", HELLO_SHA),
                "store/freshet.db", "hello", "/etc/evil", "hello"), "outside the data directory");
    }

    @Test
    void anAlteredEntryIsRefused() throws IOException {
        refused(archive(manifest("store/freshet.db", "5", HELLO_SHA), "store/freshet.db", "hellp"), "does not match its SHA-256");
    }

    @Test
    void anEntryLargerThanItsManifestSaysIsCutOffAndRefused() throws IOException {
        refused(archive(manifest("store/freshet.db", "5", HELLO_SHA), "store/freshet.db", "hello".repeat(100)), "larger than its manifest");
    }

    @Test
    void anArchiveBeyondTheLimitsIsRefused() throws IOException {
        refused(archive(manifest("store/freshet.db", "5000", HELLO_SHA), "store/freshet.db", "hello"), "beyond the limits");
    }

    @Test
    void anEntryOutsideTheManifestIsRefused() throws IOException {
        refused(archive(manifest("store/freshet.db", "5", HELLO_SHA), "store/freshet.db", "hello", "files/extra", "x"), "not in the manifest");
    }

    @Test
    void somethingThatIsNotABackupIsRefused() throws IOException {
        Path text = parts.dir().resolve("notes.txt");
        Files.writeString(text, "not a zip");
        refused(text, "not a Freshet backup");
        refused(archive("{\"format\":\"freshet-backup/1\"", "store/freshet.db", "hello"), "unreadable manifest");
    }
}
