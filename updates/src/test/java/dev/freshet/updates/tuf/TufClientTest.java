package dev.freshet.updates.tuf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.updates.sources.SourceFile;
import dev.freshet.updates.tuf.Envelope.SigningKey;
import dev.freshet.updates.tuf.TufClient.Options;
import dev.freshet.updates.tuf.TufClient.Result;
import dev.freshet.updates.tuf.TufMetadata.Root;
import dev.freshet.updates.tuf.TufRepositoryWriter.RoleSettings;
import dev.freshet.updates.tuf.TufRepositoryWriter.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.freshet.updates.tuf.TufClient.Status.UNCHANGED;
import static dev.freshet.updates.tuf.TufClient.Status.UPDATED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against a real repository (built by the writer) on a real loopback HTTP server, honest and hostile. */
class TufClientTest {
    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    static final byte[] EVAL = "rules:\n  - id: py-eval\n    pattern: eval(...)\n    message: eval is dangerous\n    languages: [python]\n    severity: ERROR\n".getBytes(UTF_8);
    static final byte[] SQLI = "rules:\n  - id: java-sqli\n    pattern: $S.executeQuery($Q + $X)\n    message: SQL built by concatenation\n    languages: [java]\n    severity: ERROR\n".getBytes(UTF_8);
    static final byte[] GO = "rules:\n  - id: go-exec\n    pattern: exec.Command($X)\n    message: command from input\n    languages: [go]\n    severity: WARNING\n".getBytes(UTF_8);

    @TempDir
    Path tmp;
    TufRepositoryWriter writer;
    RepoServer server;
    Path published;
    Path trusted;
    private int repositories;
    private final List<TufClient> clients = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        repository(Settings.defaults());
    }

    @AfterEach
    void tearDown() {
        clients.forEach(TufClient::close);
        server.close();
    }

    /** A fresh repository (targets version 2 with two rule files), served, and a trusted directory holding its root. */
    void repository(Settings settings) throws Exception {
        if (server != null) server.close();
        int n = ++repositories;
        writer = TufRepositoryWriter.init(tmp.resolve("repo" + n), tmp.resolve("keys" + n), settings, Clock.fixed(T0, ZoneOffset.UTC));
        writer.add("python/eval.yaml", EVAL);
        writer.add("java/sqli.yaml", SQLI);
        writer.sign();
        writer.publish();
        published = writer.publishedDir();
        server = new RepoServer(published);
        trusted = tmp.resolve("trusted" + n);
        TufClient.trust(trusted, Files.readAllBytes(published.resolve("root.json")));
    }

    TufClient client() {
        return client(T0.plus(Duration.ofHours(1)), Duration.ofSeconds(10));
    }

    TufClient client(Instant now) {
        return client(now, Duration.ofSeconds(10));
    }

    TufClient client(Instant now, Duration downloadTimeout) {
        TufClient client = new TufClient(trusted, server.base(), Options.defaults().withTimeouts(Duration.ofSeconds(5), downloadTimeout),
                Clock.fixed(now, ZoneOffset.UTC));
        clients.add(client);
        return client;
    }

    /** Publishes targets version 3: adds go/exec.yaml. */
    void publishNewVersion() throws Exception {
        writer.add("go/exec.yaml", GO);
        writer.sign();
        writer.publish();
    }

    /** Edits a published metadata file's signed part and re-signs it with the role's real keys (a compromised or buggy signer). */
    void resign(String file, String role, Consumer<ObjectNode> edit) throws Exception {
        Path path = published.resolve(file);
        ObjectNode signed = (ObjectNode) TufMetadata.JSON.readTree(path.toFile()).get("signed");
        edit.accept(signed);
        Files.write(path, Envelope.sign(signed, writer.signingKeys(writer.root(), role)));
    }

    /** Makes {@code listingFile} (one version up) list the current bytes of {@code listedFile} at {@code listedVersion}. */
    void relist(String listingFile, String role, String listedFile, long listedVersion) throws Exception {
        byte[] listed = Files.readAllBytes(published.resolve(listedFile));
        resign(listingFile, role, signed -> {
            signed.put("version", signed.get("version").asLong() + 1);
            ObjectNode meta = ((ObjectNode) signed.get("meta")).putObject(listedFile);
            meta.put("version", listedVersion).put("length", listed.length).putObject("hashes").put("sha256", TufMetadata.sha256Hex(listed));
        });
    }

    /** Every file below {@code dir} with its hash: the trusted state to compare before and after. */
    static Map<String, String> state(Path dir) throws IOException {
        if (!Files.exists(dir)) return Map.of();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).collect(Collectors.toMap(f -> dir.relativize(f).toString(), f -> {
                try {
                    return TufMetadata.sha256Hex(Files.readAllBytes(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
    }

    /** The update fails with a message naming the problem; the trusted directory is byte-for-byte unchanged, no temp files. */
    void assertRejected(TufClient client, String... messageParts) throws IOException {
        Map<String, String> before = state(trusted);
        assertThatThrownBy(client::update).isInstanceOf(TufException.class).hasMessageContainingAll(messageParts);
        Map<String, String> after = state(trusted);
        assertThat(after).isEqualTo(before);
        assertThat(after.keySet()).noneMatch(f -> f.endsWith(AtomicFiles.TEMP_SUFFIX));
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- honest repositories

    @Test
    void firstUpdateWalksTheWorkflowAndReturnsEveryVerifiedTarget() throws Exception {
        Result result = client().update();

        assertThat(result.status()).isEqualTo(UPDATED);
        assertThat(result.targetsVersion()).isEqualTo(2);
        assertThat(result.files()).extracting(SourceFile::path).containsExactly("java/sqli.yaml", "python/eval.yaml");
        assertThat(result.files().get(1).content()).isEqualTo(EVAL);
        assertThat(server.requests).containsExactly("/timestamp.json", "/2.root.json", "/snapshot.json", "/targets.json",
                "/targets/java/sqli.yaml", "/targets/python/eval.yaml");
        assertThat(trusted.resolve("targets/python/eval.yaml")).hasBinaryContent(EVAL);
        assertThat(trusted.resolve("timestamp.json")).hasBinaryContent(read(published.resolve("timestamp.json")));
    }

    @Test
    void unchangedCheckIsOneConditionalRequestAnsweredWith304() throws Exception {
        client().update();
        server.requests.clear();

        Result again = client().update();

        assertThat(again.status()).isEqualTo(UNCHANGED);
        assertThat(again.targetsVersion()).isEqualTo(2);
        assertThat(again.files()).extracting(SourceFile::path).containsExactly("java/sqli.yaml", "python/eval.yaml");
        assertThat(server.requests).containsExactly("/timestamp.json");
    }

    @Test
    void newVersionDownloadsOnlyChangedTargetsAndDropsRemovedOnes() throws Exception {
        client().update();
        publishNewVersion();
        server.requests.clear();

        Result result = client().update();

        assertThat(result.status()).isEqualTo(UPDATED);
        assertThat(result.targetsVersion()).isEqualTo(3);
        assertThat(result.files()).extracting(SourceFile::path).containsExactly("go/exec.yaml", "java/sqli.yaml", "python/eval.yaml");
        assertThat(server.requests).contains("/targets/go/exec.yaml").doesNotContain("/targets/python/eval.yaml");

        writer.remove("python/eval.yaml");
        writer.sign();
        writer.publish();
        assertThat(client().update().files()).extracting(SourceFile::path).containsExactly("go/exec.yaml", "java/sqli.yaml");
        assertThat(trusted.resolve("targets/python/eval.yaml")).doesNotExist();
        assertThat(published.resolve("targets/python/eval.yaml")).doesNotExist();
    }

    @Test
    void reSignedTimestampWithSameTargetsReportsUnchanged() throws Exception {
        client().update();
        writer.refreshTimestamp();
        writer.publish();

        Result result = client().update();

        assertThat(result.status()).isEqualTo(UNCHANGED);
        assertThat(result.targetsVersion()).isEqualTo(2);
    }

    @Test
    void consistentSnapshotsFetchVersionedMetadataAndHashedTargets() throws Exception {
        repository(Settings.defaults().withConsistentSnapshot(true));

        Result result = client().update();

        assertThat(result.files()).hasSize(2);
        assertThat(server.requests).contains("/2.snapshot.json", "/2.targets.json",
                "/targets/python/" + TufMetadata.sha256Hex(EVAL) + ".eval.yaml");
        publishNewVersion();
        assertThat(client().update().files()).hasSize(3);
    }

    @Test
    void fileUrlRepositoryWorksLikeHttp() throws Exception {
        try (TufClient local = new TufClient(trusted, published.toUri(), Options.defaults(), Clock.fixed(T0, ZoneOffset.UTC))) {
            assertThat(local.update().status()).isEqualTo(UPDATED);
            assertThat(local.update().status()).isEqualTo(UNCHANGED);
        }
    }

    @Test
    void renewedRootIsFoundAlthoughTheTimestampIsUnchanged() throws Exception {
        RoleSettings month = new RoleSettings(1, 1, Duration.ofDays(30));
        repository(new Settings(new RoleSettings(1, 1, Duration.ofDays(2)), month, month, month, false));
        client().update();
        TufRepositoryWriter later = TufRepositoryWriter.open(tmp.resolve("repo2"), tmp.resolve("keys2"),
                Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
        later.renewRoot();
        later.publish();
        server.requests.clear();

        Result result = client(T0.plus(Duration.ofHours(60))).update();

        assertThat(result.status()).isEqualTo(UNCHANGED);
        assertThat(server.requests).containsExactly("/timestamp.json", "/timestamp.json", "/2.root.json", "/3.root.json");
        assertThat(Envelope.parse("root.json", read(trusted.resolve("root.json")), Root.class).version()).isEqualTo(2);
    }

    @Test
    void validRootRotationIsFollowedThroughEveryVersion() throws Exception {
        client().update();
        writer.rotateKeys(TufMetadata.ROOT);
        writer.rotateKeys(TufMetadata.TIMESTAMP);
        writer.publish();
        server.requests.clear();

        Result result = client().update();

        assertThat(result.status()).isEqualTo(UPDATED);
        assertThat(server.requests).contains("/2.root.json", "/3.root.json", "/4.root.json");
        Root root = Envelope.parse("root.json", read(trusted.resolve("root.json")), Root.class).signed();
        assertThat(root.version()).isEqualTo(3);
        assertThat(root).isEqualTo(writer.root());
    }

    // ---- hostile repositories: each rejected, trusted state untouched

    @Test
    void tamperedTarget() throws Exception {
        client().update();
        publishNewVersion();
        Path target = published.resolve("targets/go/exec.yaml");
        byte[] bytes = read(target);
        bytes[10] ^= 1;
        Files.write(target, bytes);

        assertRejected(client(), "targets/go/exec.yaml: SHA-256 mismatch with targets.json");
    }

    @Test
    void timestampSignedByAnUnknownKey() throws Exception {
        client().update();
        publishNewVersion();
        Path file = published.resolve("timestamp.json");
        ObjectNode signed = (ObjectNode) TufMetadata.JSON.readTree(file.toFile()).get("signed");
        KeyPair foreign = Ed25519.generate();
        String foreignId = Ed25519.keyId(Ed25519.publicKey(foreign.getPublic()));
        Files.write(file, Envelope.sign(signed, List.of(new SigningKey(foreignId, foreign.getPrivate()))));
        assertRejected(client(), "timestamp.json: 0 valid signatures, threshold is 1");

        // the same foreign key, now claiming the real key's id
        String realId = writer.root().role(TufMetadata.TIMESTAMP).keyids().getFirst();
        Files.write(file, Envelope.sign(signed, List.of(new SigningKey(realId, foreign.getPrivate()))));
        assertRejected(client(), "timestamp.json: 0 valid signatures, threshold is 1");
    }

    @Test
    void signaturesBelowThresholdEvenWhenRepeated() throws Exception {
        repository(Settings.defaults().with(TufMetadata.TIMESTAMP, new RoleSettings(3, 2, Duration.ofDays(1))));
        client().update();
        publishNewVersion();
        Path file = published.resolve("timestamp.json");
        ObjectNode metadata = (ObjectNode) TufMetadata.JSON.readTree(file.toFile());
        ArrayNode signatures = (ArrayNode) metadata.get("signatures");
        assertThat(signatures).hasSize(3);
        signatures.remove(2);
        signatures.set(1, signatures.get(0).deepCopy()); // one key's signature twice
        Files.write(file, TufMetadata.JSON.writeValueAsBytes(metadata));

        assertRejected(client(), "timestamp.json: 1 valid signature, threshold is 2");
    }

    @Test
    void expiredTimestampIsAFreezeAttack() throws Exception {
        assertRejected(client(T0.plus(Duration.ofDays(2))), "timestamp.json expired at 2026-06-02T00:00:00Z", "freeze attack");
    }

    @Test
    void expiryIsCheckedAlsoWhenTheServerAnswersNotModified() throws Exception {
        client().update();
        server.requests.clear();

        assertRejected(client(T0.plus(Duration.ofDays(2))), "timestamp.json expired at");
        assertThat(server.requests).containsExactly("/timestamp.json");
    }

    @Test
    void expiredRoot() throws Exception {
        assertRejected(client(T0.plus(Duration.ofDays(366))), "root.json expired at 2027-06-01T00:00:00Z");
    }

    @Test
    void rolledBackTimestamp() throws Exception {
        byte[] version2 = read(published.resolve("timestamp.json"));
        publishNewVersion();
        client().update();
        Files.write(published.resolve("timestamp.json"), version2);

        assertRejected(client(), "timestamp.json: version 2 is lower than trusted version 3 (rollback attack?)");
    }

    @Test
    void timestampPointingAtAnOlderSnapshot() throws Exception {
        publishNewVersion();
        client().update();
        resign("timestamp.json", TufMetadata.TIMESTAMP, signed -> {
            signed.put("version", 4);
            ((ObjectNode) signed.get("meta").get("snapshot.json")).put("version", 2);
        });

        assertRejected(client(), "timestamp.json: snapshot.json version 2 is lower than trusted version 3 (rollback attack?)");
    }

    @Test
    void snapshotPointingAtOlderTargets() throws Exception {
        byte[] targetsVersion2 = read(published.resolve("targets.json"));
        publishNewVersion();
        client().update();
        Files.write(published.resolve("targets.json"), targetsVersion2);
        relist("snapshot.json", TufMetadata.SNAPSHOT, "targets.json", 2);
        relist("timestamp.json", TufMetadata.TIMESTAMP, "snapshot.json", 4);

        assertRejected(client(), "snapshot.json: targets.json version 2 is lower than trusted version 3 (rollback attack?)");
    }

    @Test
    void mixedSnapshotFromAnotherVersion() throws Exception {
        byte[] snapshotVersion2 = read(published.resolve("snapshot.json"));
        client().update();
        publishNewVersion();
        Files.write(published.resolve("snapshot.json"), snapshotVersion2);

        assertRejected(client(), "snapshot.json: ", "timestamp.json", "mix-and-match attack?");
    }

    @Test
    void mixedTargetsFromAnotherVersion() throws Exception {
        byte[] targetsVersion2 = read(published.resolve("targets.json"));
        client().update();
        publishNewVersion();
        Files.write(published.resolve("targets.json"), targetsVersion2);

        assertRejected(client(), "targets.json: ", "snapshot.json", "mix-and-match attack?");
    }

    @Test
    void endlessTargetIsCutAtItsDeclaredLength() throws Exception {
        client().update();
        publishNewVersion();
        server.override("/targets/go/exec.yaml", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, no length announced
            OutputStream out = exchange.getResponseBody();
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 16 * 1024; i++) out.write(chunk); // 1 GiB unless the client hangs up
        });

        assertRejected(client(), "targets/go/exec.yaml: more than " + GO.length + " bytes (endless data attack?)");
    }

    @Test
    void oversizedTimestampIsRefusedFromItsContentLength() throws Exception {
        server.override("/timestamp.json", exchange -> {
            byte[] body = new byte[1024 * 1024];
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });

        assertRejected(client(), "timestamp.json: more than 16384 bytes");
    }

    @Test
    void connectionDroppedMidDownload() throws Exception {
        client().update();
        publishNewVersion();
        server.override("/targets/go/exec.yaml", exchange -> {
            exchange.sendResponseHeaders(200, GO.length);
            exchange.getResponseBody().write(GO, 0, GO.length / 2);
            exchange.getResponseBody().flush(); // headers and half the body reach the client; closing then drops the connection
        });

        assertRejected(client(), "targets/go/exec.yaml: download failed");
    }

    @Test
    void truncatedTargetServedAsComplete() throws Exception {
        client().update();
        publishNewVersion();
        Files.write(published.resolve("targets/go/exec.yaml"), Arrays.copyOf(GO, 10));

        assertRejected(client(), "targets/go/exec.yaml: 10 bytes, targets.json lists " + GO.length + " (truncated download");
    }

    @Test
    void serverErrorMidDownloadKeepsNothing() throws Exception {
        client().update();
        writer.add("go/exec.yaml", GO);
        writer.add("java/sqli.yaml", "rules: []\n".getBytes(UTF_8));
        writer.sign();
        writer.publish();
        server.override("/targets/java/sqli.yaml", exchange -> exchange.sendResponseHeaders(500, -1));

        assertRejected(client(), "targets/java/sqli.yaml: server error (HTTP 500)");
        assertThat(server.requests).contains("/targets/go/exec.yaml"); // the first download happened, and was not kept
    }

    @Test
    void serverErrorOnTimestampAndMissingTarget() throws Exception {
        server.override("/timestamp.json", exchange -> exchange.sendResponseHeaders(503, -1));
        assertRejected(client(), "timestamp.json: server error (HTTP 503)");

        server.override("/timestamp.json", exchange -> {
            byte[] body = read(published.resolve("timestamp.json"));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
        Files.delete(published.resolve("targets/python/eval.yaml"));
        assertRejected(client(), "targets/python/eval.yaml: not found on the server (HTTP 404)");
    }

    @Test
    void stalledDownloadTimesOut() throws Exception {
        client().update();
        publishNewVersion();
        server.override("/targets/go/exec.yaml", exchange -> {
            exchange.sendResponseHeaders(200, GO.length);
            exchange.getResponseBody().write(GO, 0, 5);
            exchange.getResponseBody().flush();
            Thread.sleep(30_000); // interrupted when the server closes
        });

        assertRejected(client(T0.plus(Duration.ofHours(1)), Duration.ofSeconds(1)), "targets/go/exec.yaml: download timed out after 1000 ms");
    }

    @Test
    void malformedOrMislabelledMetadata() throws Exception {
        byte[] snapshot = read(published.resolve("snapshot.json"));
        server.override("/timestamp.json", exchange -> {
            exchange.sendResponseHeaders(200, snapshot.length);
            exchange.getResponseBody().write(snapshot);
        });
        assertRejected(client(), "timestamp.json: malformed metadata: _type is 'snapshot', expected 'timestamp'");

        byte[] garbage = "{\"signed\": {}, \"signed\": {}, \"signatures\": []}".getBytes(UTF_8);
        server.override("/timestamp.json", exchange -> {
            exchange.sendResponseHeaders(200, garbage.length);
            exchange.getResponseBody().write(garbage);
        });
        assertRejected(client(), "timestamp.json: malformed metadata", "Duplicate field 'signed'");
    }

    @Test
    void targetPathEscapingTheDirectory() throws Exception {
        client().update();
        resign("targets.json", TufMetadata.TARGETS, signed -> {
            signed.put("version", 3);
            ((ObjectNode) signed.get("targets")).putObject("../../escape.yaml").put("length", 3)
                    .putObject("hashes").put("sha256", TufMetadata.sha256Hex("bad".getBytes(UTF_8)));
        });
        relist("snapshot.json", TufMetadata.SNAPSHOT, "targets.json", 3);
        relist("timestamp.json", TufMetadata.TIMESTAMP, "snapshot.json", 3);

        assertRejected(client(), "targets.json: unsafe target path '../../escape.yaml'");
        assertThat(tmp.resolve("escape.yaml")).doesNotExist();
    }

    @Test
    void rootRotationNotSignedByTheOldKeys() throws Exception {
        client().update();
        writer.rotateKeys(TufMetadata.ROOT);
        writer.publish();
        resign("2.root.json", TufMetadata.ROOT, signed -> { }); // signed by the new root keys only

        assertRejected(client(), "2.root.json: 0 valid signatures by the trusted root's keys, threshold is 1");
    }

    @Test
    void rootRotationWithTooFewOldKeys() throws Exception {
        repository(Settings.defaults().with(TufMetadata.ROOT, new RoleSettings(2, 2, Duration.ofDays(365))));
        Root old = writer.root();
        writer.rotateKeys(TufMetadata.ROOT);
        writer.publish();
        List<SigningKey> signers = new ArrayList<>(writer.signingKeys(old, TufMetadata.ROOT).subList(0, 1));
        signers.addAll(writer.signingKeys(writer.root(), TufMetadata.ROOT));
        Path file = published.resolve("2.root.json");
        Files.write(file, Envelope.sign(TufMetadata.JSON.readTree(file.toFile()).get("signed"), signers));

        assertRejected(client(), "2.root.json: 1 valid signature by the trusted root's keys, threshold is 2");
    }

    @Test
    void rootRotationSkippingAVersion() throws Exception {
        Root old = writer.root();
        writer.rotateKeys(TufMetadata.ROOT);
        writer.publish();
        List<SigningKey> signers = new ArrayList<>(writer.signingKeys(old, TufMetadata.ROOT));
        signers.addAll(writer.signingKeys(writer.root(), TufMetadata.ROOT));
        Path file = published.resolve("2.root.json");
        ObjectNode signed = (ObjectNode) TufMetadata.JSON.readTree(file.toFile()).get("signed");
        signed.put("version", 3);
        Files.write(file, Envelope.sign(signed, signers));

        assertRejected(client(), "2.root.json: version is 3, expected 2");
    }

    // ---- trust bootstrap

    @Test
    void trustRequiresARootSignedByItsOwnKeys() throws Exception {
        ObjectNode root = (ObjectNode) TufMetadata.JSON.readTree(published.resolve("root.json").toFile());
        root.putArray("signatures");
        Path other = tmp.resolve("other-trusted");

        assertThatThrownBy(() -> TufClient.trust(other, TufMetadata.JSON.writeValueAsBytes(root)))
                .isInstanceOf(TufException.class)
                .hasMessage("root.json: 0 valid signatures by its own root keys, threshold is 1");
        assertThat(other.resolve("root.json")).doesNotExist();
    }

    @Test
    void trustIfNewInstallsTheRootOnlyOnce() throws Exception {
        client().update();
        Map<String, String> before = state(trusted);

        assertThat(TufClient.trustIfNew(trusted, published.resolve("root.json"))).isFalse();
        assertThat(state(trusted)).isEqualTo(before);
        Path fresh = tmp.resolve("fresh");
        assertThat(TufClient.trustIfNew(fresh, published.resolve("root.json"))).isTrue();
        assertThat(fresh.resolve("root.json")).hasSameBinaryContentAs(published.resolve("root.json"));
    }

    @Test
    void updateWithoutTrustedRootSaysWhatToDo() {
        TufClient client = new TufClient(tmp.resolve("empty"), server.base());
        clients.add(client);
        assertThatThrownBy(client::update).isInstanceOf(TufException.class).hasMessageContaining("no trusted root.json in");
    }
}
