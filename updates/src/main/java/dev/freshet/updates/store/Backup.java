package dev.freshet.updates.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.freshet.engine.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A backup of the embedded store and the files beside it, as one zip archive: a consistent copy of
 * the SQLite file taken while Freshet runs ({@code VACUUM INTO}, one read transaction), every file
 * under the data directory that is state (trusted metadata, models, the policy...), and a manifest
 * with each entry's size and SHA-256. A restore trusts nothing in the archive until the manifest
 * says so: names that leave the directory, sizes beyond the limits and wrong hashes are refused
 * before the data directory is touched.
 *
 * <p>A PostgreSQL store is backed up with PostgreSQL's own tools ({@link #POSTGRES_PROCEDURE}).
 */
public final class Backup {
    public static final String MANIFEST = "MANIFEST.json";
    static final String STORE_ENTRY = "store/" + Database.FILE_NAME;
    static final String FILES = "files/";
    static final String FORMAT = "freshet-backup/1";
    /** Caches and work in progress, not state: git clones are fetched again, scan uploads are per run. */
    static final Set<String> NOT_STATE = Set.of("git", "scans", Database.FILE_NAME, Database.FILE_NAME + "-wal",
            Database.FILE_NAME + "-shm", Database.FILE_NAME + "-journal");

    public static final String POSTGRES_PROCEDURE = """
            The store is PostgreSQL: back it up with PostgreSQL's tools, which copy it consistently while Freshet runs:
              pg_dump --format=custom --file=freshet.dump "$DATABASE"        (DATABASE: the [database] url's host, port and name)
            and restore it into an empty database before starting Freshet:
              pg_restore --clean --if-exists --no-owner --dbname="$DATABASE" freshet.dump
            Files under the data directory (models, trusted metadata, the policy) are copied as files.""";

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** What a restore accepts at most: a larger archive is refused as hostile or broken. */
    public record Limits(long maxTotalBytes, int maxEntries, long maxManifestBytes) {
        public static final Limits DEFAULT = new Limits(64L << 30, 200_000, 64L << 20);
    }

    public record Entry(String path, long size, String sha256) {
    }

    public record Manifest(String format, Instant createdAt, String schemaVersion, List<Entry> entries) {
        public Manifest {
            entries = List.copyOf(entries);
        }

        public long bytes() {
            return entries.stream().mapToLong(Entry::size).sum();
        }
    }

    private Backup() {
    }

    /** Writes the backup of {@code database} (SQLite) and the state files under {@code dataDir} to {@code archive}. */
    public static Manifest create(Database database, Path dataDir, Path archive, Instant now) throws IOException {
        if (database.kind() != Database.Kind.SQLITE) {
            throw new BackupException(POSTGRES_PROCEDURE);
        }
        Path parent = archive.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path copy = parent.resolve(".freshet-backup-" + UUID.randomUUID() + ".db");
        Path partial = parent.resolve(archive.getFileName() + ".part");
        try {
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
            } catch (SQLException e) {
                throw new BackupException("cannot copy the store " + database.location().describe() + ": " + e.getMessage());
            }
            List<Entry> entries = new ArrayList<>();
            try (OutputStream file = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(file)) {
                entries.add(add(zip, STORE_ENTRY, copy));
                for (Path f : stateFiles(dataDir)) {
                    entries.add(add(zip, FILES + dataDir.relativize(f).toString().replace('\\', '/'), f));
                }
                Manifest manifest = new Manifest(FORMAT, now, Database.SCHEMA_VERSION, entries);
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(Map.of("format", manifest.format(),
                        "created_at", manifest.createdAt().toString(), "schema_version", manifest.schemaVersion(), "entries", entries)));
                zip.closeEntry();
                Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return manifest;
            }
        } finally {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(partial);
        }
    }

    private static List<Path> stateFiles(Path dataDir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dataDir)) {
            return files;
        }
        Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(dataDir) && dir.getParent().equals(dataDir) && NOT_STATE.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                boolean storeFile = file.getParent().equals(dataDir) && NOT_STATE.contains(file.getFileName().toString());
                if (attrs.isRegularFile() && !storeFile && !file.getFileName().toString().startsWith(".freshet-backup-")) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(Comparator.naturalOrder());
        return files;
    }

    private static Entry add(ZipOutputStream zip, String name, Path file) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        MessageDigest sha = Sha256.digest();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                zip.write(buffer, 0, n);
                sha.update(buffer, 0, n);
                size += n;
            }
        }
        zip.closeEntry();
        return new Entry(name, size, HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * Restores {@code archive} into {@code dataDir}. Everything is unpacked and verified in a
     * directory beside it first; only then are the store and files moved in. A data directory that
     * already has a store is refused unless {@code force}.
     */
    public static Manifest restore(Path archive, Path dataDir, boolean force, Limits limits) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new BackupException("no backup at " + archive);
        }
        if (Files.exists(dataDir.resolve(Database.FILE_NAME)) && !force) {
            throw new BackupException(dataDir + " already has a store (" + Database.FILE_NAME
                    + "); stop Freshet and add --force to replace it, or restore into another --data-dir");
        }
        Path parent = dataDir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = parent.resolve(".freshet-restore-" + UUID.randomUUID());
        try (ZipFile zip = openZip(archive)) {
            Manifest manifest = manifest(zip, limits);
            unpack(zip, manifest, staging, limits);
            Database.open(staging).close(); // a store that does not open (or migrate) is not put in place
            moveInto(staging, dataDir);
            return manifest;
        } finally {
            deleteTree(staging);
        }
    }

    private static ZipFile openZip(Path archive) throws IOException {
        try {
            return new ZipFile(archive.toFile());
        } catch (IOException e) {
            throw new BackupException(archive + " is not a Freshet backup (not a readable zip archive: " + e.getMessage() + ")");
        }
    }

    private static Manifest manifest(ZipFile zip, Limits limits) throws IOException {
        ZipEntry entry = zip.getEntry(MANIFEST);
        if (entry == null) {
            throw new BackupException("not a Freshet backup: it has no " + MANIFEST);
        }
        byte[] text;
        try (InputStream in = zip.getInputStream(entry)) {
            text = in.readNBytes((int) Math.min(limits.maxManifestBytes() + 1, Integer.MAX_VALUE - 8));
        }
        if (text.length > limits.maxManifestBytes()) {
            throw new BackupException("refused: the manifest is larger than " + limits.maxManifestBytes() + " bytes");
        }
        Manifest manifest;
        try {
            manifest = JSON.readValue(text, ManifestJson.class).manifest();
        } catch (IOException | RuntimeException e) {
            throw new BackupException("not a Freshet backup: unreadable manifest: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!FORMAT.equals(manifest.format())) {
            throw new BackupException("not a backup this version reads (format '" + manifest.format() + "', expected " + FORMAT + ")");
        }
        if (manifest.entries().size() > limits.maxEntries() || manifest.bytes() > limits.maxTotalBytes()
                || manifest.entries().stream().anyMatch(e -> e.size() < 0)) {
            throw new BackupException("refused: the backup claims " + manifest.entries().size() + " entries and " + manifest.bytes()
                    + " bytes, beyond the limits (" + limits.maxEntries() + " entries, " + limits.maxTotalBytes() + " bytes)");
        }
        Set<String> names = new HashSet<>();
        for (Entry e : manifest.entries()) {
            safeName(e.path());
            if (!names.add(e.path())) {
                throw new BackupException("refused: " + e.path() + " is listed twice");
            }
        }
        if (!names.contains(STORE_ENTRY)) {
            throw new BackupException("not a Freshet backup: it has no " + STORE_ENTRY);
        }
        Set<String> inZip = zip.stream().map(ZipEntry::getName).filter(n -> !n.equals(MANIFEST)).collect(Collectors.toSet());
        if (!inZip.equals(names)) {
            Set<String> extra = new HashSet<>(inZip);
            extra.removeAll(names);
            throw new BackupException("refused: the archive and its manifest differ" + (extra.isEmpty() ? " (entries missing)"
                    : " (not in the manifest: " + extra.stream().sorted().limit(3).toList() + ")"));
        }
        return manifest;
    }

    /** Only names under store/ or files/ made of plain parts: nothing absolute, no "..", no backslashes. */
    private static void safeName(String name) {
        boolean plain = name != null && (name.startsWith(FILES) || name.equals(STORE_ENTRY)) && !name.contains("\\") && !name.contains(":")
                && Stream.of(name.split("/", -1)).noneMatch(part -> part.isEmpty() || part.equals(".") || part.equals(".."));
        if (!plain) {
            throw new BackupException("refused: entry '" + name + "' would be written outside the data directory");
        }
    }

    private static void unpack(ZipFile zip, Manifest manifest, Path staging, Limits limits) throws IOException {
        Files.createDirectories(staging);
        for (Entry e : manifest.entries()) {
            Path target = e.path().equals(STORE_ENTRY) ? staging.resolve(Database.FILE_NAME)
                    : staging.resolve(e.path().substring(FILES.length())).normalize();
            if (!target.startsWith(staging)) {
                throw new BackupException("refused: entry '" + e.path() + "' would be written outside the data directory");
            }
            Files.createDirectories(target.getParent());
            MessageDigest sha = Sha256.digest();
            long size = 0;
            try (InputStream in = zip.getInputStream(zip.getEntry(e.path())); OutputStream out = Files.newOutputStream(target)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    size += n;
                    if (size > e.size()) {
                        // The manifest's size, not the zip header's, bounds what is inflated: a bomb stops here.
                        throw new BackupException("refused: " + e.path() + " is larger than its manifest says (" + e.size() + " bytes)");
                    }
                    out.write(buffer, 0, n);
                    sha.update(buffer, 0, n);
                }
            }
            String hash = HexFormat.of().formatHex(sha.digest());
            if (size != e.size() || !hash.equals(e.sha256())) {
                throw new BackupException("refused: " + e.path() + " does not match its SHA-256 in the manifest (damaged or altered)");
            }
        }
    }

    private static void moveInto(Path staging, Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        for (String stale : List.of(Database.FILE_NAME + "-wal", Database.FILE_NAME + "-shm", Database.FILE_NAME + "-journal")) {
            Files.deleteIfExists(dataDir.resolve(stale));
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(staging)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            Path target = dataDir.resolve(staging.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.move(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The manifest as written, field by field. */
    private record ManifestJson(String format, String createdAt, String schemaVersion, List<Entry> entries) {
        Manifest manifest() {
            return new Manifest(format, createdAt == null ? null : Instant.parse(createdAt), schemaVersion,
                    entries == null ? List.of() : entries);
        }
    }
}
