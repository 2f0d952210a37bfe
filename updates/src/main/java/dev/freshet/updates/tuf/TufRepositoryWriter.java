package dev.freshet.updates.tuf;

import dev.freshet.updates.tuf.Envelope.SigningKey;
import dev.freshet.updates.tuf.TufMetadata.Key;
import dev.freshet.updates.tuf.TufMetadata.MetaFile;
import dev.freshet.updates.tuf.TufMetadata.RoleKeys;
import dev.freshet.updates.tuf.TufMetadata.Root;
import dev.freshet.updates.tuf.TufMetadata.Signed;
import dev.freshet.updates.tuf.TufMetadata.Snapshot;
import dev.freshet.updates.tuf.TufMetadata.TargetFile;
import dev.freshet.updates.tuf.TufMetadata.Targets;
import dev.freshet.updates.tuf.TufMetadata.Timestamp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Operator tooling for a signed rule repository in the format {@link TufClient} reads (behind
 * {@code freshet repo init|add|sign|publish}). Layout of the repository directory:
 * <pre>
 *   repository.json        settings (thresholds, expiry periods, consistent snapshots)
 *   staged/targets/...     the working copy of the targets: add and remove change it
 *   staged/metadata/...    signed metadata waiting for publish
 *   published/...          serve this directory: N.root.json, root.json, targets.json,
 *                          snapshot.json, timestamp.json, targets/...
 * </pre>
 * Private keys live in a separate keys directory, one PKCS#8 PEM file per key named
 * {@code <keyid>.pem}, readable only by the owner where the file system allows it. Publishing
 * writes each file atomically, targets first and timestamp.json last. Without consistent snapshots
 * a client reading during a publish can see a changed target before the new metadata and fail
 * the check (it retries later); with consistent snapshots targets are published under hashed
 * names and metadata under versioned names, so readers never see a mix (old hashed files are kept).
 */
public final class TufRepositoryWriter {
    /** How many keys a role gets on creation or rotation, how many must sign, and how long its metadata lives. */
    public record RoleSettings(int keys, int threshold, Duration expiry) {
        public RoleSettings {
            if (threshold < 1 || threshold > keys) throw new IllegalArgumentException("threshold must be 1.." + keys + ", is " + threshold);
            if (expiry == null || expiry.isNegative() || expiry.isZero()) throw new IllegalArgumentException("expiry must be positive");
        }
    }

    public record Settings(RoleSettings root, RoleSettings targets, RoleSettings snapshot, RoleSettings timestamp,
                           boolean consistentSnapshot) {
        /** TUF's usual periods: root a year, targets 90 days, snapshot a week, timestamp a day (re-sign daily). */
        public static Settings defaults() {
            return new Settings(new RoleSettings(1, 1, Duration.ofDays(365)), new RoleSettings(1, 1, Duration.ofDays(90)),
                    new RoleSettings(1, 1, Duration.ofDays(7)), new RoleSettings(1, 1, Duration.ofDays(1)), false);
        }

        public RoleSettings of(String role) {
            return switch (role) {
                case TufMetadata.ROOT -> root;
                case TufMetadata.TARGETS -> targets;
                case TufMetadata.SNAPSHOT -> snapshot;
                case TufMetadata.TIMESTAMP -> timestamp;
                default -> throw new IllegalArgumentException("unknown role '" + role + "' (root, targets, snapshot, timestamp)");
            };
        }

        public Settings with(String role, RoleSettings settings) {
            of(role);
            return new Settings(role.equals(TufMetadata.ROOT) ? settings : root, role.equals(TufMetadata.TARGETS) ? settings : targets,
                    role.equals(TufMetadata.SNAPSHOT) ? settings : snapshot, role.equals(TufMetadata.TIMESTAMP) ? settings : timestamp,
                    consistentSnapshot);
        }

        public Settings withConsistentSnapshot(boolean consistent) {
            return new Settings(root, targets, snapshot, timestamp, consistent);
        }
    }

    static final String SETTINGS_FILE = "repository.json";
    private static final byte[] KEY_PROBE = "freshet key check".getBytes();

    private final Path repoDir;
    private final Path keysDir;
    private final Settings settings;
    private final Clock clock;

    private TufRepositoryWriter(Path repoDir, Path keysDir, Settings settings, Clock clock) {
        this.repoDir = repoDir;
        this.keysDir = keysDir;
        this.settings = settings;
        this.clock = clock;
    }

    public static TufRepositoryWriter init(Path repoDir, Path keysDir, Settings settings) throws IOException, TufException {
        return init(repoDir, keysDir, settings, Clock.systemUTC());
    }

    /**
     * Creates a repository with fresh keys for every role and publishes version 1 (no targets yet),
     * so the directory is servable at once. Give clients {@code published/root.json} out of band.
     */
    public static TufRepositoryWriter init(Path repoDir, Path keysDir, Settings settings, Clock clock) throws IOException, TufException {
        if (Files.exists(repoDir.resolve(SETTINGS_FILE))) throw new TufException(repoDir + " already holds a repository");
        AtomicFiles.createPrivateDirectory(keysDir);
        // Keys often land beside a repository in a working tree: git leaves this directory out.
        AtomicFiles.write(keysDir.resolve(".gitignore"), "# private signing keys: never commit or publish\n*\n".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(repoDir.resolve(SETTINGS_FILE), TufMetadata.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(settings));
        TufRepositoryWriter writer = new TufRepositoryWriter(repoDir, keysDir, settings, clock);
        Files.createDirectories(writer.stagedTargets());
        Map<String, Key> keys = new TreeMap<>();
        Map<String, RoleKeys> roles = new TreeMap<>();
        for (String role : TufMetadata.ROLES) {
            roles.put(role, new RoleKeys(writer.generateKeys(settings.of(role).keys(), keys), settings.of(role).threshold()));
        }
        Root root = new Root(TufMetadata.ROOT, TufMetadata.SPEC_VERSION, 1, writer.expiry(TufMetadata.ROOT),
                settings.consistentSnapshot(), keys, roles);
        AtomicFiles.write(writer.stagedMetadata().resolve("1.root.json"), Envelope.sign(root, writer.signingKeys(root, TufMetadata.ROOT)));
        writer.sign();
        writer.publish();
        return writer;
    }

    public static TufRepositoryWriter open(Path repoDir, Path keysDir) throws IOException, TufException {
        return open(repoDir, keysDir, Clock.systemUTC());
    }

    public static TufRepositoryWriter open(Path repoDir, Path keysDir, Clock clock) throws IOException, TufException {
        Path file = repoDir.resolve(SETTINGS_FILE);
        if (!Files.isRegularFile(file)) throw new TufException(repoDir + " is not a repository (no " + SETTINGS_FILE + "); run init first");
        return new TufRepositoryWriter(repoDir, keysDir, TufMetadata.JSON.readValue(file.toFile(), Settings.class), clock);
    }

    /** The directory to serve (or copy to an air-gapped mirror). */
    public Path publishedDir() {
        return repoDir.resolve("published");
    }

    public Settings settings() {
        return settings;
    }

    /** The newest root: staged if a rotation waits for publish, else the published one. */
    public Root root() throws IOException, TufException {
        return currentRoot().signed();
    }

    /** Stages a target (a rule file) under its path; takes effect at the next sign and publish. */
    public void add(String targetPath, byte[] content) throws IOException, TufException {
        AtomicFiles.write(stagedTargets().resolve(checkedPath(targetPath)), content);
    }

    public void add(Path file, String targetPath) throws IOException, TufException {
        add(targetPath, Files.readAllBytes(file));
    }

    /** @return whether the target was staged */
    public boolean remove(String targetPath) throws IOException, TufException {
        return Files.deleteIfExists(stagedTargets().resolve(checkedPath(targetPath)));
    }

    /** Paths of the staged targets, sorted. */
    public List<String> targets() throws IOException, TufException {
        return List.copyOf(scanTargets().keySet());
    }

    /** Signs new targets, snapshot and timestamp metadata for the staged targets (versions bumped, expiry renewed). */
    public void sign() throws IOException, TufException {
        Root root = currentRoot().signed();
        Targets targets = new Targets(TufMetadata.TARGETS, TufMetadata.SPEC_VERSION, publishedVersion("targets.json") + 1,
                expiry(TufMetadata.TARGETS), scanTargets());
        byte[] targetsBytes = Envelope.sign(targets, signingKeys(root, TufMetadata.TARGETS));
        Snapshot snapshot = new Snapshot(TufMetadata.SNAPSHOT, TufMetadata.SPEC_VERSION, publishedVersion("snapshot.json") + 1,
                expiry(TufMetadata.SNAPSHOT), Map.of("targets.json", metaFile(targets.version(), targetsBytes)));
        byte[] snapshotBytes = Envelope.sign(snapshot, signingKeys(root, TufMetadata.SNAPSHOT));
        AtomicFiles.write(stagedMetadata().resolve("targets.json"), targetsBytes);
        AtomicFiles.write(stagedMetadata().resolve("snapshot.json"), snapshotBytes);
        signTimestamp(root, snapshot.version(), snapshotBytes);
    }

    /** Signs only a new timestamp (the routine re-signing before the short timestamp expiry runs out). */
    public void refreshTimestamp() throws IOException, TufException {
        Envelope<Snapshot> snapshot = live("snapshot.json", Snapshot.class);
        if (snapshot == null) throw new TufException("no snapshot.json in " + repoDir + "; run sign first");
        signTimestamp(currentRoot().signed(), snapshot.version(), snapshot.raw());
    }

    /**
     * Replaces a role's keys with fresh ones (count and threshold from the settings): stages root
     * version N+1, signed by the old and the new root keys, and re-signs the other metadata.
     */
    public void rotateKeys(String role) throws IOException, TufException {
        Root old = currentRoot().signed();
        RoleSettings roleSettings = settings.of(role);
        Map<String, Key> keys = new TreeMap<>(old.keys());
        Map<String, RoleKeys> roles = new TreeMap<>(old.roles());
        roles.put(role, new RoleKeys(generateKeys(roleSettings.keys(), keys), roleSettings.threshold()));
        Set<String> used = roles.values().stream().flatMap(r -> r.keyids().stream()).collect(Collectors.toSet());
        keys.keySet().retainAll(used); // the replaced keys are no longer trusted for anything
        stageRoot(old, keys, roles);
        sign();
    }

    /** Stages root version N+1 with the same keys and a renewed expiry. */
    public void renewRoot() throws IOException, TufException {
        Root old = currentRoot().signed();
        stageRoot(old, old.keys(), old.roles());
    }

    /**
     * Makes the staged metadata live. Everything that will be served is first verified as a client
     * would (root chain, thresholds, hashes and versions between the files, target contents), so a
     * stale or partial signing never reaches clients.
     */
    public void publish() throws IOException, TufException {
        List<Path> stagedRoots = stagedRoots();
        Map<String, Path> staged = new LinkedHashMap<>();
        for (String name : List.of("targets.json", "snapshot.json", "timestamp.json")) {
            if (Files.isRegularFile(stagedMetadata().resolve(name))) staged.put(name, stagedMetadata().resolve(name));
        }
        if (stagedRoots.isEmpty() && staged.isEmpty()) throw new TufException("nothing to publish in " + repoDir + "; run sign first");

        Envelope<Root> root = live("root.json", Root.class, publishedDir().resolve("root.json"));
        List<Envelope<Root>> newRoots = new ArrayList<>();
        for (Path file : stagedRoots) {
            Envelope<Root> next = Envelope.parse("staged " + file.getFileName(), Files.readAllBytes(file), Root.class);
            if (root != null) {
                next.requireThreshold(root.signed(), TufMetadata.ROOT, " by the previous root's keys");
                if (next.version() != root.version() + 1) throw new TufException(next.file() + ": version " + next.version()
                        + " does not follow " + root.version());
            }
            next.requireThreshold(next.signed(), TufMetadata.ROOT, " by its own root keys");
            newRoots.add(next);
            root = next;
        }
        if (root == null) throw new TufException("no root.json in " + repoDir);
        Root trusted = root.signed();
        Envelope<Targets> targets = requireSigned(live("targets.json", Targets.class), trusted, TufMetadata.TARGETS);
        Envelope<Snapshot> snapshot = requireSigned(live("snapshot.json", Snapshot.class), trusted, TufMetadata.SNAPSHOT);
        Envelope<Timestamp> timestamp = requireSigned(live("timestamp.json", Timestamp.class), trusted, TufMetadata.TIMESTAMP);
        requireListed(targets, snapshot.signed().targets(), "snapshot.json");
        requireListed(snapshot, timestamp.signed().snapshot(), "timestamp.json");

        boolean consistent = trusted.consistentSnapshot();
        Path out = publishedDir();
        if (staged.containsKey("targets.json")) publishTargets(targets.signed(), consistent);
        for (Envelope<Root> next : newRoots) AtomicFiles.write(out.resolve(next.version() + ".root.json"), next.raw());
        if (!newRoots.isEmpty()) AtomicFiles.write(out.resolve("root.json"), root.raw());
        if (staged.containsKey("targets.json")) publishMetadata("targets.json", targets, consistent);
        if (staged.containsKey("snapshot.json")) publishMetadata("snapshot.json", snapshot, consistent);
        if (staged.containsKey("timestamp.json")) AtomicFiles.write(out.resolve("timestamp.json"), timestamp.raw());
        if (staged.containsKey("targets.json") && !consistent) removeUnlistedTargets(targets.signed());
        for (Path file : stagedRoots) Files.delete(file);
        for (Path file : staged.values()) Files.delete(file);
    }

    private void publishTargets(Targets targets, boolean consistent) throws IOException, TufException {
        for (var entry : targets.targets().entrySet()) {
            Path source = stagedTargets().resolve(entry.getKey());
            byte[] content = Files.isRegularFile(source) ? Files.readAllBytes(source) : null;
            if (content == null || !entry.getValue().sha256().equals(TufMetadata.sha256Hex(content))) {
                throw new TufException(entry.getKey() + " changed or disappeared after sign; run sign again");
            }
            String name = consistent ? TufClient.consistentName(entry.getKey(), entry.getValue().sha256()) : entry.getKey();
            Path target = publishedDir().resolve(TufClient.TARGETS_DIR).resolve(name);
            if (!Files.isRegularFile(target) || !Arrays.equals(Files.readAllBytes(target), content)) AtomicFiles.write(target, content);
        }
    }

    private void publishMetadata(String name, Envelope<?> metadata, boolean consistent) throws IOException {
        if (consistent) AtomicFiles.write(publishedDir().resolve(metadata.version() + "." + name), metadata.raw());
        AtomicFiles.write(publishedDir().resolve(name), metadata.raw());
    }

    private void removeUnlistedTargets(Targets targets) throws IOException {
        Path dir = publishedDir().resolve(TufClient.TARGETS_DIR);
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                if (!targets.targets().containsKey(dir.relativize(file).toString().replace('\\', '/'))) Files.delete(file);
            }
        }
    }

    private void signTimestamp(Root root, long snapshotVersion, byte[] snapshotBytes) throws IOException, TufException {
        Timestamp timestamp = new Timestamp(TufMetadata.TIMESTAMP, TufMetadata.SPEC_VERSION, publishedVersion("timestamp.json") + 1,
                expiry(TufMetadata.TIMESTAMP), Map.of("snapshot.json", metaFile(snapshotVersion, snapshotBytes)));
        AtomicFiles.write(stagedMetadata().resolve("timestamp.json"), Envelope.sign(timestamp, signingKeys(root, TufMetadata.TIMESTAMP)));
    }

    private void stageRoot(Root old, Map<String, Key> keys, Map<String, RoleKeys> roles) throws IOException, TufException {
        Root next = new Root(TufMetadata.ROOT, TufMetadata.SPEC_VERSION, old.version() + 1, expiry(TufMetadata.ROOT),
                old.consistentSnapshot(), keys, roles);
        // Clients accept N+1 only when a threshold of N's root keys and of its own signed it.
        Map<String, SigningKey> signers = new LinkedHashMap<>();
        for (SigningKey key : signingKeys(old, TufMetadata.ROOT)) signers.put(key.keyid(), key);
        for (SigningKey key : signingKeys(next, TufMetadata.ROOT)) signers.put(key.keyid(), key);
        AtomicFiles.write(stagedMetadata().resolve(next.version() + ".root.json"), Envelope.sign(next, signers.values()));
    }

    /** Generates keys, stores the private halves in the keys directory and adds the public halves to {@code keys}. */
    private List<String> generateKeys(int count, Map<String, Key> keys) throws IOException {
        AtomicFiles.createPrivateDirectory(keysDir);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            KeyPair pair = Ed25519.generate();
            Key key = Ed25519.publicKey(pair.getPublic());
            String id = Ed25519.keyId(key);
            AtomicFiles.writeSecret(keysDir.resolve(id + ".pem"), Ed25519.toPem(pair.getPrivate()).getBytes());
            keys.put(id, key);
            ids.add(id);
        }
        return ids;
    }

    /** The role's private keys found in the keys directory; at least its threshold of them. */
    List<SigningKey> signingKeys(Root root, String role) throws IOException, TufException {
        RoleKeys roleKeys = root.role(role);
        List<SigningKey> found = new ArrayList<>();
        for (String id : roleKeys.keyids()) {
            Path file = keysDir.resolve(id + ".pem");
            if (!Files.isRegularFile(file)) continue;
            PrivateKey key;
            try {
                key = Ed25519.fromPem(Files.readString(file));
            } catch (GeneralSecurityException e) {
                throw new TufException(file + ": not an Ed25519 private key (" + e.getMessage() + ")", e);
            }
            // A misnamed key file would produce signatures clients reject; catch it here instead.
            PublicKey expected = Ed25519.decode(root.keys().get(id));
            if (expected == null || !Ed25519.verify(expected, KEY_PROBE, Ed25519.sign(key, KEY_PROBE))) {
                throw new TufException(file + " does not hold the private key of " + role + " key " + id);
            }
            found.add(new SigningKey(id, key));
        }
        if (found.size() < roleKeys.threshold()) {
            throw new TufException("%s: %d private key%s in %s, threshold is %d".formatted(role, found.size(),
                    found.size() == 1 ? "" : "s", keysDir, roleKeys.threshold()));
        }
        return found;
    }

    private Envelope<Root> currentRoot() throws IOException, TufException {
        List<Path> staged = stagedRoots();
        Path file = staged.isEmpty() ? publishedDir().resolve("root.json") : staged.getLast();
        Envelope<Root> root = live("root.json", Root.class, file);
        if (root == null) throw new TufException("no root.json in " + repoDir + "; run init first");
        return root;
    }

    private List<Path> stagedRoots() throws IOException {
        if (!Files.isDirectory(stagedMetadata())) return List.of();
        try (Stream<Path> files = Files.list(stagedMetadata())) {
            return files.filter(f -> f.getFileName().toString().matches("\\d+\\.root\\.json"))
                    .sorted(Comparator.comparingLong(f -> Long.parseLong(f.getFileName().toString().split("\\.")[0])))
                    .toList();
        }
    }

    /** The file as it will be served after publish: staged if signed and waiting, else published. */
    private <T extends Signed> Envelope<T> live(String name, Class<T> type) throws IOException, TufException {
        Path staged = stagedMetadata().resolve(name);
        return live(name, type, Files.isRegularFile(staged) ? staged : publishedDir().resolve(name));
    }

    private static <T extends Signed> Envelope<T> live(String name, Class<T> type, Path file) throws IOException, TufException {
        return Files.isRegularFile(file) ? Envelope.parse(name, Files.readAllBytes(file), type) : null;
    }

    private <T extends Signed> Envelope<T> requireSigned(Envelope<T> metadata, Root root, String role) throws TufException {
        if (metadata == null) throw new TufException("no " + role + ".json in " + repoDir + "; run sign first");
        try {
            metadata.requireThreshold(root, role, "");
        } catch (TufException e) {
            throw new TufException(e.getMessage() + "; run sign again after changing keys", e);
        }
        return metadata;
    }

    private static void requireListed(Envelope<?> metadata, MetaFile listed, String listedIn) throws TufException {
        if (listed == null || listed.version() != metadata.version()) {
            throw new TufException(metadata.file() + ": version " + metadata.version() + " is not the one " + listedIn
                    + " lists; run sign again");
        }
        TufClient.checkLengthAndHashes(metadata.file(), metadata.raw(), listed.length(), listed.hashes(), listedIn, "run sign again");
    }

    private long publishedVersion(String name) throws IOException, TufException {
        Class<? extends Signed> type = switch (name) {
            case "targets.json" -> Targets.class;
            case "snapshot.json" -> Snapshot.class;
            default -> Timestamp.class;
        };
        Envelope<?> published = live(name, type, publishedDir().resolve(name));
        return published == null ? 0 : published.version();
    }

    private Map<String, TargetFile> scanTargets() throws IOException, TufException {
        Path dir = stagedTargets();
        Map<String, TargetFile> targets = new TreeMap<>();
        if (!Files.isDirectory(dir)) return targets;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String path = checkedPath(dir.relativize(file).toString().replace('\\', '/'));
                byte[] content = Files.readAllBytes(file);
                targets.put(path, new TargetFile(content.length, Map.of("sha256", TufMetadata.sha256Hex(content)), null));
            }
        }
        return targets;
    }

    private static MetaFile metaFile(long version, byte[] content) {
        return new MetaFile(version, (long) content.length, Map.of("sha256", TufMetadata.sha256Hex(content)));
    }

    private static String checkedPath(String targetPath) throws TufException {
        try {
            return TufMetadata.checkTargetPath(targetPath);
        } catch (IllegalArgumentException e) {
            throw new TufException(e.getMessage() + ": use a relative path with '/' separators");
        }
    }

    private Instant expiry(String role) {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(settings.of(role).expiry());
    }

    private Path stagedTargets() {
        return repoDir.resolve("staged").resolve(TufClient.TARGETS_DIR);
    }

    private Path stagedMetadata() {
        return repoDir.resolve("staged").resolve("metadata");
    }

    Path keysDir() {
        return keysDir;
    }
}
