package dev.freshet.updates.tuf;

import dev.freshet.updates.tuf.TufMetadata.Root;
import dev.freshet.updates.tuf.TufMetadata.Targets;
import dev.freshet.updates.tuf.TufMetadata.Timestamp;
import dev.freshet.updates.tuf.TufRepositoryWriter.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class TufRepositoryWriterTest {
    @TempDir
    Path tmp;

    TufRepositoryWriter init() throws Exception {
        return TufRepositoryWriter.init(tmp.resolve("repo"), tmp.resolve("keys"), Settings.defaults());
    }

    static <T extends TufMetadata.Signed> Envelope<T> read(Path file, Class<T> type) throws Exception {
        return Envelope.parse(file.getFileName().toString(), Files.readAllBytes(file), type);
    }

    @Test
    void initPublishesAServableRepositoryAndKeepsKeysPrivate() throws Exception {
        TufRepositoryWriter writer = init();

        Path out = writer.publishedDir();
        for (String name : List.of("1.root.json", "root.json", "targets.json", "snapshot.json", "timestamp.json")) {
            assertThat(out.resolve(name)).isRegularFile();
        }
        Envelope<Root> root = read(out.resolve("root.json"), Root.class);
        assertThat(root.validSignatures(root.signed(), TufMetadata.ROOT)).isEqualTo(1);
        assertThat(root.signed().keys()).hasSize(4);
        for (String keyId : root.signed().keys().keySet()) {
            assertThat(Ed25519.keyId(root.signed().keys().get(keyId))).isEqualTo(keyId);
        }
        try (var keys = Files.list(tmp.resolve("keys"))) {
            List<Path> files = keys.filter(f -> !f.getFileName().toString().equals(".gitignore")).toList();
            assertThat(files).hasSize(4).allMatch(f -> f.getFileName().toString().endsWith(".pem"));
            assertThat(Files.readString(tmp.resolve("keys/.gitignore"))).as("git leaves the keys out").contains("\n*\n");
            assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
            for (Path file : files) assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("keys")))).isEqualTo("rwx------");
        }
        assertThat(Files.readString(files(tmp.resolve("keys")).stream().filter(f -> f.toString().endsWith(".pem")).findFirst().orElseThrow()))
                .startsWith("-----BEGIN PRIVATE KEY-----");
    }

    static List<Path> files(Path dir) throws Exception {
        try (var list = Files.list(dir)) {
            return list.toList();
        }
    }

    @Test
    void initRefusesAnExistingRepository() throws Exception {
        init();
        assertThatThrownBy(this::init).isInstanceOf(TufException.class).hasMessageContaining("already holds a repository");
    }

    @Test
    void addRejectsPathsThatEscapeTheTargetsDirectory() throws Exception {
        TufRepositoryWriter writer = init();
        for (String bad : List.of("../x.yaml", "/etc/x.yaml", "a//b.yaml", "a\\b.yaml", "a/./b.yaml", "")) {
            assertThatThrownBy(() -> writer.add(bad, new byte[1])).isInstanceOf(TufException.class).hasMessageContaining("unsafe target path");
        }
        assertThat(writer.targets()).isEmpty();
    }

    @Test
    void signAndPublishBumpVersionsAndListTargetsWithLengthAndHash() throws Exception {
        TufRepositoryWriter writer = init();
        byte[] rule = "rules: []\n".getBytes(UTF_8);
        writer.add("python/a.yaml", rule);
        writer.sign();
        writer.publish();

        Targets targets = read(writer.publishedDir().resolve("targets.json"), Targets.class).signed();
        assertThat(targets.version()).isEqualTo(2);
        assertThat(targets.targets().get("python/a.yaml").length()).isEqualTo(rule.length);
        assertThat(targets.targets().get("python/a.yaml").sha256()).isEqualTo(TufMetadata.sha256Hex(rule));
        assertThat(writer.publishedDir().resolve("targets/python/a.yaml")).hasBinaryContent(rule);

        writer.refreshTimestamp();
        writer.publish();
        assertThat(read(writer.publishedDir().resolve("timestamp.json"), Timestamp.class).version()).isEqualTo(3);
        assertThat(read(writer.publishedDir().resolve("targets.json"), Targets.class).version()).isEqualTo(2);
    }

    @Test
    void publishRefusesTargetsChangedAfterSignAndEmptyPublishes() throws Exception {
        TufRepositoryWriter writer = init();
        assertThatThrownBy(writer::publish).isInstanceOf(TufException.class).hasMessageContaining("nothing to publish");

        writer.add("a.yaml", "rules: []\n".getBytes(UTF_8));
        writer.sign();
        writer.add("a.yaml", "rules: [changed]\n".getBytes(UTF_8));
        assertThatThrownBy(writer::publish).isInstanceOf(TufException.class)
                .hasMessage("a.yaml changed or disappeared after sign; run sign again");
        assertThat(writer.publishedDir().resolve("targets/a.yaml")).doesNotExist();
    }

    @Test
    void signNeedsTheThresholdOfPrivateKeys() throws Exception {
        TufRepositoryWriter writer = init();
        String targetsKey = writer.root().role(TufMetadata.TARGETS).keyids().getFirst();
        Files.delete(tmp.resolve("keys").resolve(targetsKey + ".pem"));

        assertThatThrownBy(writer::sign).isInstanceOf(TufException.class)
                .hasMessage("targets: 0 private keys in " + tmp.resolve("keys") + ", threshold is 1");
    }

    @Test
    void misnamedKeyFileIsCaughtBeforeSigning() throws Exception {
        TufRepositoryWriter writer = init();
        Root root = writer.root();
        Path targetsKey = tmp.resolve("keys").resolve(root.role(TufMetadata.TARGETS).keyids().getFirst() + ".pem");
        Path snapshotKey = tmp.resolve("keys").resolve(root.role(TufMetadata.SNAPSHOT).keyids().getFirst() + ".pem");
        Files.write(targetsKey, Files.readAllBytes(snapshotKey));

        assertThatThrownBy(writer::sign).isInstanceOf(TufException.class).hasMessageContaining("does not hold the private key of targets key");
    }

    @Test
    void rotatingRootKeysCrossSignsTheNewRoot() throws Exception {
        TufRepositoryWriter writer = init();
        Root old = writer.root();
        writer.rotateKeys(TufMetadata.ROOT);
        writer.publish();

        Envelope<Root> next = read(writer.publishedDir().resolve("2.root.json"), Root.class);
        assertThat(next.version()).isEqualTo(2);
        assertThat(next.validSignatures(old, TufMetadata.ROOT)).isEqualTo(1);
        assertThat(next.validSignatures(next.signed(), TufMetadata.ROOT)).isEqualTo(1);
        assertThat(next.signed().keys()).doesNotContainKeys(old.role(TufMetadata.ROOT).keyids().toArray(String[]::new));
        assertThat(writer.publishedDir().resolve("root.json")).hasSameBinaryContentAs(writer.publishedDir().resolve("2.root.json"));

        TufRepositoryWriter reopened = TufRepositoryWriter.open(tmp.resolve("repo"), tmp.resolve("keys"));
        assertThat(reopened.root()).isEqualTo(next.signed());
        assertThat(reopened.settings()).isEqualTo(Settings.defaults());
    }
}
