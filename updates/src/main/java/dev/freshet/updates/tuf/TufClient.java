package dev.freshet.updates.tuf;

import dev.freshet.updates.sources.SourceFile;
import dev.freshet.updates.tuf.Downloader.Outcome;
import dev.freshet.updates.tuf.Downloader.Response;
import dev.freshet.updates.tuf.Downloader.Validators;
import dev.freshet.updates.tuf.TufMetadata.MetaFile;
import dev.freshet.updates.tuf.TufMetadata.Root;
import dev.freshet.updates.tuf.TufMetadata.Signed;
import dev.freshet.updates.tuf.TufMetadata.Snapshot;
import dev.freshet.updates.tuf.TufMetadata.TargetFile;
import dev.freshet.updates.tuf.TufMetadata.Targets;
import dev.freshet.updates.tuf.TufMetadata.Timestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TUF client workflow (specification 1.0, section 5) for one signed rule repository: update
 * root through every intermediate version, then timestamp, snapshot and targets, then download
 * every target with its declared length as a cap and check its hash. New trusted metadata is
 * written only after everything verified, one atomic rename per file, so a rejected update leaves
 * the trusted directory as it was.
 *
 * <p>The trusted directory starts with a root.json the operator trusts ({@link #trust}); it also
 * keeps the verified targets, so an unchanged repository costs one conditional request and the
 * next update downloads only the targets that changed. Only top-level targets are read
 * (delegations are ignored). One update at a time per trusted directory; the caller serializes.
 */
public final class TufClient implements AutoCloseable {
    public enum Status { UNCHANGED, UPDATED }

    /**
     * @param targetsVersion version of the verified targets.json
     * @param files          every target, verified, sorted by path (also when {@code UNCHANGED})
     */
    public record Result(Status status, long targetsVersion, List<SourceFile> files) {
        public Result {
            files = List.copyOf(files);
        }
    }

    /** Limits: the spec leaves the byte caps for files of unknown size, and the root chain length, to the client. */
    public record Options(Duration connectTimeout, Duration downloadTimeout, long maxRootBytes, long maxTimestampBytes,
                          long maxSnapshotBytes, long maxTargetsBytes, int maxRootRotations) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(60), 512 * 1024, 16 * 1024,
                    4L * 1024 * 1024, 32L * 1024 * 1024, 256);
        }

        public Options withTimeouts(Duration connect, Duration download) {
            return new Options(connect, download, maxRootBytes, maxTimestampBytes, maxSnapshotBytes, maxTargetsBytes, maxRootRotations);
        }
    }

    static final String VALIDATORS_FILE = "timestamp.http.json", TARGETS_DIR = "targets";
    private static final Logger log = LoggerFactory.getLogger(TufClient.class);

    private final Path trustedDir;
    private final URI remote;
    private final Options options;
    private final Clock clock;
    private final Downloader downloader;

    public TufClient(Path trustedDir, URI remote) {
        this(trustedDir, remote, Options.defaults(), Clock.systemUTC());
    }

    /** @param remote the repository's base URL (http, https or file); metadata at its top, targets below {@code targets/} */
    public TufClient(Path trustedDir, URI remote, Options options, Clock clock) {
        this.trustedDir = trustedDir;
        this.remote = remote;
        this.options = options;
        this.clock = clock;
        this.downloader = new Downloader(remote, options.connectTimeout(), options.downloadTimeout());
    }

    /**
     * Installs the root.json an operator trusts as the starting point of a trusted directory. It must
     * be signed by a threshold of its own root keys; expiry is checked at the first update. Trusted
     * timestamp, snapshot and targets metadata already there are dropped: re-trusting a root is how
     * an operator recovers a client from a compromised repository (fast-forwarded versions).
     */
    public static void trust(Path trustedDir, byte[] rootJson) throws TufException {
        Envelope<Root> root = Envelope.parse("root.json", rootJson, Root.class);
        root.requireThreshold(root.signed(), TufMetadata.ROOT, " by its own root keys");
        try {
            for (String name : List.of("timestamp.json", VALIDATORS_FILE, "snapshot.json", "targets.json")) {
                Files.deleteIfExists(trustedDir.resolve(name));
            }
            AtomicFiles.write(trustedDir.resolve("root.json"), rootJson);
        } catch (IOException e) {
            throw new TufException("cannot write the trusted root.json in " + trustedDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@link #trust} with the root file an operator configured, unless the trusted directory already
     * has a root: call it before every update; calling {@code trust} each time would reset the
     * rollback protection. Returns whether the root was installed now.
     */
    public static boolean trustIfNew(Path trustedDir, Path rootFile) throws TufException {
        if (Files.isRegularFile(trustedDir.resolve("root.json"))) return false;
        try {
            trust(trustedDir, Files.readAllBytes(rootFile));
        } catch (IOException e) {
            throw new TufException("cannot read the trusted root " + rootFile + ": " + e.getMessage(), e);
        }
        return true;
    }

    /** Trusted metadata as loaded from the directory; everything but root is optional. */
    private record Trusted(Envelope<Root> root, Envelope<Timestamp> timestamp, Envelope<Snapshot> snapshot,
                           Envelope<Targets> targets, Validators validators) {
    }

    /**
     * One update cycle. Returns the verified targets (from the local copy when nothing changed), or
     * throws with a message naming the file and the problem; the trusted directory then holds
     * exactly what it held before.
     */
    public Result update() throws TufException {
        Instant now = clock.instant(); // the spec's fixed update start time
        Trusted trusted = loadTrusted();

        // Timestamp first, conditionally: a 304 proves nothing changed on the server since the last
        // verified update, so we stop there (one request). Skipping the root probe in that case
        // gives an attacker nothing: withholding new root files is a freeze they can do anyway,
        // and it stays bounded by the expiry dates checked below.
        boolean complete = trusted.timestamp() != null && trusted.snapshot() != null && trusted.targets() != null;
        Validators conditional = complete ? trusted.validators() : null;
        Response timestampResponse = downloader.fetch("timestamp.json", "timestamp.json", options.maxTimestampBytes(), conditional);
        if (timestampResponse.outcome() == Outcome.NOT_MODIFIED) {
            if (now.isBefore(trusted.root().signed().expires())) {
                return unchanged(trusted, trusted.root(), trusted.timestamp(), null, now);
            }
            // A renewed root does not change timestamp.json: look for it the full way before reporting expiry.
            timestampResponse = downloader.fetch("timestamp.json", "timestamp.json", options.maxTimestampBytes(), null);
        }
        if (timestampResponse.outcome() == Outcome.NOT_FOUND) {
            throw new TufException("timestamp.json: not found on the server (HTTP " + timestampResponse.status() + ")");
        }

        Envelope<Root> root = updateRoot(trusted.root());
        checkNotExpired(root, now);
        if (root != trusted.root()) trusted = afterRotation(trusted, root.signed());

        Envelope<Timestamp> timestamp = Envelope.parse("timestamp.json", timestampResponse.body(), Timestamp.class);
        timestamp.requireThreshold(root.signed(), TufMetadata.TIMESTAMP, "");
        MetaFile snapshotMeta = timestamp.signed().snapshot();
        if (snapshotMeta == null) throw new TufException("timestamp.json: lists no snapshot.json");
        if (trusted.timestamp() != null) {
            requireNotLower("timestamp.json", "version", timestamp.version(), trusted.timestamp().version());
            requireNotLower("timestamp.json", "snapshot.json version", snapshotMeta.version(),
                    trusted.timestamp().signed().snapshot().version());
        }
        checkNotExpired(timestamp, now);
        if (trusted.timestamp() != null && timestamp.version() == trusted.timestamp().version()
                && trusted.snapshot() != null && trusted.targets() != null) {
            // Same version: by the spec nothing else can have changed.
            return unchanged(trusted, root, trusted.timestamp(), timestampResponse.validators(), now);
        }

        boolean consistent = root.signed().consistentSnapshot();
        byte[] snapshotBytes = fetchMetadata("snapshot.json", consistent ? snapshotMeta.version() + ".snapshot.json" : "snapshot.json",
                snapshotMeta, options.maxSnapshotBytes(), "timestamp.json");
        Envelope<Snapshot> snapshot = Envelope.parse("snapshot.json", snapshotBytes, Snapshot.class);
        snapshot.requireThreshold(root.signed(), TufMetadata.SNAPSHOT, "");
        requireListedVersion("snapshot.json", snapshot.version(), snapshotMeta.version(), "timestamp.json");
        if (trusted.snapshot() != null) {
            for (var entry : trusted.snapshot().signed().meta().entrySet()) {
                MetaFile listed = snapshot.signed().meta().get(entry.getKey());
                if (listed == null) throw new TufException("snapshot.json: no longer lists " + entry.getKey() + " (rollback attack?)");
                requireNotLower("snapshot.json", entry.getKey() + " version", listed.version(), entry.getValue().version());
            }
        }
        checkNotExpired(snapshot, now);

        MetaFile targetsMeta = snapshot.signed().targets();
        if (targetsMeta == null) throw new TufException("snapshot.json: lists no targets.json");
        byte[] targetsBytes = fetchMetadata("targets.json", consistent ? targetsMeta.version() + ".targets.json" : "targets.json",
                targetsMeta, options.maxTargetsBytes(), "snapshot.json");
        Envelope<Targets> targets = Envelope.parse("targets.json", targetsBytes, Targets.class);
        targets.requireThreshold(root.signed(), TufMetadata.TARGETS, "");
        requireListedVersion("targets.json", targets.version(), targetsMeta.version(), "snapshot.json");
        checkNotExpired(targets, now);

        Map<String, byte[]> downloaded = new LinkedHashMap<>();
        List<SourceFile> files = targetFiles(targets.signed(), consistent, downloaded);

        persist(root != trusted.root() ? root : null, timestamp, snapshot, targets, downloaded, timestampResponse.validators());
        boolean changed = trusted.targets() == null || trusted.targets().version() != targets.version();
        log.info("TUF repository {}: targets version {} {} ({} files, {} downloaded)", remote, targets.version(),
                changed ? "verified" : "unchanged", files.size(), downloaded.size());
        return new Result(changed ? Status.UPDATED : Status.UNCHANGED, targets.version(), files);
    }

    /** Nothing new on the server: check the trusted chain is still fresh and hand out the cached targets. */
    private Result unchanged(Trusted trusted, Envelope<Root> root, Envelope<Timestamp> timestamp, Validators validators,
                             Instant now) throws TufException {
        checkNotExpired(timestamp, now);
        checkNotExpired(trusted.snapshot(), now);
        checkNotExpired(trusted.targets(), now);
        Targets targets = trusted.targets().signed();
        Map<String, byte[]> repaired = new LinkedHashMap<>();
        List<SourceFile> files = targetFiles(targets, root.signed().consistentSnapshot(), repaired);
        try {
            writeTargets(repaired, targets);
            if (root != trusted.root()) AtomicFiles.write(trustedDir.resolve("root.json"), root.raw());
            if (validators != null && !validators.equals(trusted.validators())) writeValidators(validators);
        } catch (IOException e) {
            throw new TufException("cannot write trusted metadata in " + trustedDir + ": " + e.getMessage(), e);
        }
        log.debug("TUF repository {}: unchanged at targets version {}", remote, targets.version());
        return new Result(Status.UNCHANGED, targets.version(), files);
    }

    /** Spec 5.3: walk N+1.root.json until the server has none; each must be signed by its predecessor's and its own keys. */
    private Envelope<Root> updateRoot(Envelope<Root> root) throws TufException {
        for (int i = 0; i < options.maxRootRotations(); i++) {
            long next = root.version() + 1;
            String name = next + ".root.json";
            Response response = downloader.fetch(name, name, options.maxRootBytes(), null);
            if (response.outcome() == Outcome.NOT_FOUND) break;
            Envelope<Root> candidate = Envelope.parse(name, response.body(), Root.class);
            candidate.requireThreshold(root.signed(), TufMetadata.ROOT, " by the trusted root's keys");
            candidate.requireThreshold(candidate.signed(), TufMetadata.ROOT, " by its own root keys");
            if (candidate.version() != next) {
                throw new TufException(name + ": version is " + candidate.version() + ", expected " + next
                        + (candidate.version() < next ? " (rollback attack?)" : ""));
            }
            log.info("TUF repository {}: root rotated to version {}", remote, next);
            root = candidate;
        }
        return root;
    }

    /**
     * After a root rotation: spec 5.3.11 drops timestamp and snapshot when their keys changed (to
     * recover from a fast-forward attack), and whatever the new keys no longer vouch for goes too.
     * The old root stays in the result so the caller can still tell that root changed.
     */
    private Trusted afterRotation(Trusted trusted, Root root) {
        Root old = trusted.root().signed();
        boolean reset = !old.role(TufMetadata.TIMESTAMP).equals(root.role(TufMetadata.TIMESTAMP))
                || !old.role(TufMetadata.SNAPSHOT).equals(root.role(TufMetadata.SNAPSHOT));
        return new Trusted(trusted.root(),
                reset ? null : stillSigned(trusted.timestamp(), root, TufMetadata.TIMESTAMP),
                reset ? null : stillSigned(trusted.snapshot(), root, TufMetadata.SNAPSHOT),
                stillSigned(trusted.targets(), root, TufMetadata.TARGETS),
                null);
    }

    private static <T extends Signed> Envelope<T> stillSigned(Envelope<T> envelope, Root root, String role) {
        return envelope != null && envelope.validSignatures(root, role) >= root.role(role).threshold() ? envelope : null;
    }

    private byte[] fetchMetadata(String name, String path, MetaFile meta, long defaultMax, String listedIn) throws TufException {
        Response response = downloader.fetch(name, path, meta.length() != null ? meta.length() : defaultMax, null);
        if (response.outcome() != Outcome.OK) {
            throw new TufException(name + ": not found on the server (HTTP " + response.status() + ")");
        }
        checkLengthAndHashes(name, response.body(), meta.length(), meta.hashes(), listedIn, "mix-and-match attack?");
        return response.body();
    }

    /** Every target, from the local copy when it still matches, else downloaded (capped at its declared length). */
    private List<SourceFile> targetFiles(Targets targets, boolean consistent, Map<String, byte[]> downloaded) throws TufException {
        List<SourceFile> files = new ArrayList<>();
        for (var entry : targets.targets().entrySet()) {
            String path = entry.getKey();
            TargetFile target = entry.getValue();
            String name = "targets/" + path;
            try {
                TufMetadata.checkTargetPath(path);
            } catch (IllegalArgumentException e) {
                throw new TufException("targets.json: " + e.getMessage() + " (path traversal?)");
            }
            if (target.sha256() == null) throw new TufException(name + ": targets.json gives no sha256 hash");
            byte[] content = cachedTarget(path, target);
            if (content == null) {
                String remotePath = consistent ? consistentName(path, target.sha256()) : path;
                Response response = downloader.fetch(name, TARGETS_DIR + "/" + remotePath, target.length(), null);
                if (response.outcome() != Outcome.OK) {
                    throw new TufException(name + ": not found on the server (HTTP " + response.status() + ")");
                }
                content = response.body();
                checkLengthAndHashes(name, content, target.length(), target.hashes(), "targets.json", "tampered file?");
                downloaded.put(path, content);
            }
            files.add(new SourceFile(path, content));
        }
        return files;
    }

    /** With consistent snapshots a target is served as {@code dir/<sha256>.name}, so publishing never overwrites a live file. */
    static String consistentName(String path, String sha256) {
        int slash = path.lastIndexOf('/');
        return path.substring(0, slash + 1) + sha256 + "." + path.substring(slash + 1);
    }

    private byte[] cachedTarget(String path, TargetFile target) {
        Path file = trustedDir.resolve(TARGETS_DIR).resolve(path);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) != target.length()) return null;
            byte[] content = Files.readAllBytes(file);
            return target.sha256().equalsIgnoreCase(TufMetadata.sha256Hex(content)) ? content : null;
        } catch (IOException e) {
            return null; // unreadable copy: download it again
        }
    }

    static void checkLengthAndHashes(String name, byte[] content, Long length, Map<String, String> hashes, String listedIn,
                                     String suspicion) throws TufException {
        if (length != null && content.length != length) {
            throw new TufException("%s: %d bytes, %s lists %d (%s)".formatted(name, content.length, listedIn, length,
                    content.length < length ? "truncated download or " + suspicion : suspicion));
        }
        if (hashes == null) return; // optional for metadata; signatures and versions still protect it
        boolean checked = false;
        for (var hash : hashes.entrySet()) {
            String algorithm = switch (hash.getKey()) {
                case "sha256" -> "SHA-256";
                case "sha384" -> "SHA-384";
                case "sha512" -> "SHA-512";
                default -> null;
            };
            if (algorithm == null) continue;
            if (!hash.getValue().equalsIgnoreCase(digest(algorithm, content))) {
                throw new TufException("%s: %s mismatch with %s (%s)".formatted(name, algorithm, listedIn, suspicion));
            }
            checked = true;
        }
        if (!checked) throw new TufException(name + ": " + listedIn + " lists no supported hash (sha256, sha384, sha512)");
    }

    private static String digest(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    private static void requireNotLower(String file, String what, long version, long trustedVersion) throws TufException {
        if (version < trustedVersion) {
            throw new TufException("%s: %s %d is lower than trusted version %d (rollback attack?)"
                    .formatted(file, what, version, trustedVersion));
        }
    }

    private static void requireListedVersion(String file, long version, long listed, String listedIn) throws TufException {
        if (version != listed) {
            throw new TufException("%s: version %d, but %s lists version %d (mix-and-match attack?)".formatted(file, version, listedIn, listed));
        }
    }

    private static void checkNotExpired(Envelope<?> metadata, Instant now) throws TufException {
        Instant expires = metadata.signed().expires();
        if (!now.isBefore(expires)) {
            throw new TufException(metadata.file() + " expired at " + expires + " (freeze attack, or the repository is no longer maintained)");
        }
    }

    private Trusted loadTrusted() throws TufException {
        byte[] rootBytes = readTrusted("root.json");
        if (rootBytes == null) {
            throw new TufException("no trusted root.json in " + trustedDir + ": install the repository's root.json first");
        }
        Envelope<Root> root = Envelope.parse("root.json", rootBytes, Root.class);
        Validators validators = null;
        byte[] validatorBytes = readTrusted(VALIDATORS_FILE);
        try {
            if (validatorBytes != null) validators = TufMetadata.JSON.readValue(validatorBytes, Validators.class);
        } catch (IOException e) {
            log.warn("ignoring unreadable {} in {}: {}", VALIDATORS_FILE, trustedDir, e.getMessage());
        }
        return new Trusted(root, loadOptional("timestamp.json", Timestamp.class), loadOptional("snapshot.json", Snapshot.class),
                loadOptional("targets.json", Targets.class), validators);
    }

    /** Trusted metadata other than root is only an optimization and a rollback floor: unreadable means absent. */
    private <T extends Signed> Envelope<T> loadOptional(String name, Class<T> type) throws TufException {
        byte[] bytes = readTrusted(name);
        if (bytes == null) return null;
        try {
            return Envelope.parse(name, bytes, type);
        } catch (TufException e) {
            log.warn("ignoring unreadable trusted {} in {}: {}", name, trustedDir, e.getMessage());
            return null;
        }
    }

    private byte[] readTrusted(String name) throws TufException {
        Path file = trustedDir.resolve(name);
        try {
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new TufException("cannot read trusted " + name + " in " + trustedDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the verified state. Each file is replaced atomically, targets first and timestamp.json
     * last: a crash in between leaves older timestamp metadata, which only makes the next update
     * verify everything again.
     */
    private void persist(Envelope<Root> newRoot, Envelope<Timestamp> timestamp, Envelope<Snapshot> snapshot,
                         Envelope<Targets> targets, Map<String, byte[]> downloaded, Validators validators) throws TufException {
        try {
            writeTargets(downloaded, targets.signed());
            if (newRoot != null) AtomicFiles.write(trustedDir.resolve("root.json"), newRoot.raw());
            AtomicFiles.write(trustedDir.resolve("targets.json"), targets.raw());
            AtomicFiles.write(trustedDir.resolve("snapshot.json"), snapshot.raw());
            AtomicFiles.write(trustedDir.resolve("timestamp.json"), timestamp.raw());
            writeValidators(validators);
        } catch (IOException e) {
            throw new TufException("cannot write trusted metadata in " + trustedDir + ": " + e.getMessage(), e);
        }
    }

    /** Stores new targets and removes local copies that targets.json no longer lists. */
    private void writeTargets(Map<String, byte[]> downloaded, Targets targets) throws IOException {
        Path dir = trustedDir.resolve(TARGETS_DIR);
        for (var entry : downloaded.entrySet()) AtomicFiles.write(dir.resolve(entry.getKey()), entry.getValue());
        if (!Files.isDirectory(dir)) return;
        Set<String> listed = targets.targets().keySet();
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> stale = walk.filter(Files::isRegularFile)
                    .filter(f -> !listed.contains(dir.relativize(f).toString().replace('\\', '/')))
                    .toList();
            for (Path file : stale) Files.deleteIfExists(file);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void writeValidators(Validators validators) throws IOException {
        Path file = trustedDir.resolve(VALIDATORS_FILE);
        if (validators == null || (validators.etag() == null && validators.lastModified() == null)) {
            Files.deleteIfExists(file);
        } else {
            AtomicFiles.write(file, TufMetadata.JSON.writeValueAsBytes(validators));
        }
    }

    public Path trustedDir() {
        return trustedDir;
    }

    public URI remote() {
        return remote;
    }

    @Override
    public void close() {
        downloader.close();
    }

    @Override
    public String toString() {
        return "TufClient[" + remote + " -> " + trustedDir + "]";
    }
}
