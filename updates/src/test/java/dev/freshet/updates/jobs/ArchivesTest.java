package dev.freshet.updates.jobs;

import static dev.freshet.updates.jobs.JobFixtures.tarGz;
import static dev.freshet.updates.jobs.JobFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.updates.jobs.JobFixtures.TarItem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivesTest {
    private static final Archives.Limits LIMITS = new Archives.Limits(1 << 20, 8 << 20, 100, 200);
    private final Archives archives = new Archives(LIMITS);

    @TempDir
    Path tmp;

    private Path target() {
        return tmp.resolve("out");
    }

    /** The archive is refused with a message naming it and the problem, and nothing at all is left behind. */
    private void assertRefused(byte[] archive, String fileName, String... messageParts) throws IOException {
        assertThatThrownBy(() -> archives.extract(archive, fileName, target()))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("'" + fileName + "'")
                .hasMessageContainingAll(messageParts);
        try (var left = Files.list(tmp)) {
            assertThat(left).as("nothing left behind").isEmpty();
        }
    }

    @Test
    void zipAndTarGzAreUnpackedWithTheirDirectories() throws Exception {
        Archives.Extracted zip = archives.extract(zip(JobFixtures.projectFiles()), "shop.zip", target());
        assertThat(zip.files()).isEqualTo(2);
        assertThat(zip.bytes()).isEqualTo(JobFixtures.APP_PY.length() + JobFixtures.LOCKFILE.length());
        assertThat(target().resolve("shop/src/app.py")).hasContent(JobFixtures.APP_PY);

        Path second = tmp.resolve("out2");
        byte[] tar = tarGz(List.of(new TarItem("shop/", TarConstants.LF_DIR, null, null),
                new TarItem("shop/empty/", TarConstants.LF_DIR, null, null),
                TarItem.file("./shop/src/app.py", JobFixtures.APP_PY),
                TarItem.file("shop/" + "long-name-".repeat(20) + ".py", "x = 1\n")));
        Archives.Extracted extracted = archives.extract(tar, "shop.TGZ", second);
        assertThat(extracted.files()).isEqualTo(2);
        assertThat(second.resolve("shop/src/app.py")).hasContent(JobFixtures.APP_PY);
        assertThat(second.resolve("shop/empty")).isDirectory();
        assertThat(second.resolve("shop/" + "long-name-".repeat(20) + ".py")).exists();
    }

    @Test
    void pathTraversalIsRefused() throws Exception {
        assertRefused(zip(Map.of("ok.py", "x", "../evil.py", "boom")), "up.zip", "'../evil.py'", "path traversal");
        assertThat(tmp.getParent().resolve("evil.py")).doesNotExist();
        assertRefused(zip(Map.of("a/..\\..\\evil.py", "boom")), "win.zip", "path traversal");
        assertRefused(tarGz(List.of(TarItem.file("src/ok.py", "x"), TarItem.file("src/../../evil.py", "boom"))),
                "up.tar.gz", "'src/../../evil.py'", "path traversal");
    }

    @Test
    void absolutePathsAreRefused() throws Exception {
        assertRefused(tarGz(List.of(TarItem.file("/tmp/evil.py", "boom"))), "abs.tar.gz", "'/tmp/evil.py'", "absolute path");
        assertRefused(zip(Map.of("/etc/cron.d/evil", "boom")), "abs.zip", "absolute path");
        assertRefused(zip(Map.of("C:/Windows/evil", "boom")), "drive.zip", "absolute path");
    }

    @Test
    void linksAndSpecialFilesAreRefused() throws Exception {
        assertRefused(tarGz(List.of(new TarItem("passwd", TarConstants.LF_SYMLINK, null, "/etc/passwd"))),
                "sym.tar.gz", "'passwd' is a symbolic link to '/etc/passwd'", "links are not accepted");
        assertRefused(tarGz(List.of(TarItem.file("a.py", "x"), new TarItem("b.py", TarConstants.LF_LINK, null, "a.py"))),
                "hard.tgz", "'b.py' is a hard link");
        assertRefused(tarGz(List.of(new TarItem("fifo", TarConstants.LF_FIFO, null, null))), "fifo.tgz", "special file");
        assertRefused(tarGz(List.of(new TarItem("tty", TarConstants.LF_CHR, null, null))), "dev.tgz", "special file");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry link = new ZipArchiveEntry("secrets");
            link.setUnixMode(0120777);
            out.putArchiveEntry(link);
            out.write("/etc/shadow".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        assertRefused(bytes.toByteArray(), "sym.zip", "'secrets' is a symbolic link");
    }

    @Test
    void decompressionBombsAreRefused() throws Exception {
        // 9 MB of zeros deflate to a few kilobytes: over the 8 MiB total, and 200 times its size well before that.
        String zeros = "\0".repeat(9 << 20);
        byte[] bomb = zip(Map.of("zeros.bin", zeros));
        assertThat(bomb.length).isLessThan(64 * 1024);
        assertRefused(bomb, "bomb.zip", "expands more than 200 times", "decompression bomb");

        Archives generous = new Archives(new Archives.Limits(1 << 20, 8 << 20, 100, 1_000_000));
        assertThatThrownBy(() -> generous.extract(tarGz(Map.of("zeros.bin", zeros)), "bomb.tgz", target()))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("expands to more than the limit of " + (8 << 20) + " bytes");
        assertThat(target()).doesNotExist();
    }

    @Test
    void tooManyEntriesAreRefused() throws Exception {
        Map<String, String> many = new java.util.TreeMap<>();
        IntStream.range(0, 101).forEach(i -> many.put("f" + i + ".py", "x"));
        assertRefused(zip(many), "many.zip", "101 entries, more than the limit of 100");
        assertRefused(tarGz(many), "many.tgz", "more than the limit of 100 entries");
    }

    @Test
    void anOversizedUploadIsRefusedWithoutReadingItAll() {
        byte[] big = new byte[(1 << 20) + 10];
        ByteArrayInputStream in = new ByteArrayInputStream(big);
        assertThatThrownBy(() -> archives.read(in, "big.zip"))
                .isInstanceOf(ArchiveException.class)
                .hasMessage("upload 'big.zip' is larger than the limit of " + (1 << 20) + " bytes");
        assertThat(in.available()).as("stops reading past the limit").isEqualTo(9);
        assertThatThrownBy(() -> archives.extract(big, "big.zip", target())).hasMessageContaining("larger than the limit");
    }

    @Test
    void truncatedAndMalformedArchivesAreRefused() throws Exception {
        byte[] zip = zip(JobFixtures.projectFiles());
        assertRefused(Arrays.copyOf(zip, zip.length - 30), "cut.zip", "malformed or truncated");
        byte[] tar = tarGz(JobFixtures.projectFiles());
        assertRefused(Arrays.copyOf(tar, tar.length / 2), "cut.tar.gz", "malformed or truncated");
        byte[] garbage = "PK\3\4 this is not really a zip file at all".getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(garbage, "garbage.zip", "malformed or truncated");
        byte[] gzipOfText = tarGzOfText();
        assertRefused(gzipOfText, "text.tgz", "malformed or truncated");
    }

    /** A well-formed gzip whose content is not a tar archive. */
    private static byte[] tarGzOfText() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(bytes)) {
            gzip.write("hello, this is plain text and not a tar header ".repeat(20).getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void wrongTypesAndEmptyArchivesAreRefused() throws Exception {
        assertRefused(tarGz(JobFixtures.projectFiles()), "really-a-tgz.zip", "is not a zip file");
        assertRefused(zip(JobFixtures.projectFiles()), "really-a-zip.tar.gz", "is not a gzip file");
        assertThatThrownBy(() -> archives.read(new ByteArrayInputStream(new byte[10]), "code.rar"))
                .isInstanceOf(ArchiveException.class)
                .hasMessage("upload 'code.rar' is not a supported archive: name it *.zip, *.tar.gz or *.tgz");
        assertRefused(zip(Map.of()), "empty.zip", "contains no files");
        assertRefused(tarGz(List.of(new TarItem("dir/", TarConstants.LF_DIR, null, null))), "dirs.tgz", "contains no files");
    }

    @Test
    void duplicateEntriesAreRefused() throws Exception {
        assertRefused(tarGz(List.of(TarItem.file("a.py", "x = 1"), TarItem.file("./a.py", "x = 2"))),
                "twice.tgz", "'./a.py' appears more than once");
    }
}
