package dev.freshet.engine.fix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.parse.TreeSitterParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFixerTest {
    private static final TreeSitterParser PARSER = new TreeSitterParser();

    @TempDir
    Path dir;

    private static Edit edit(String text, String original, String replacement) {
        int start = text.indexOf(original);
        return new Edit(start, start + original.length(), original, replacement);
    }

    @Test
    void rewritesTheFileKeepingEveryOtherByte() throws IOException {
        // A byte-order mark, CRLF and LF line ends mixed, non-ASCII text: all of it stays.
        String text = "\uFEFFimport sys\r\nname = 'naïve 😀'\nexit(1)\r\n";
        Path file = dir.resolve("a.py");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        FileFixer.Outcome outcome = new FileFixer(PARSER).fix(file, "a.py", List.of(edit(text, "exit(1)", "sys.exit(1)")), true);
        assertThat(outcome.error()).isNull();
        assertThat(outcome.applied()).hasSize(1);
        assertThat(outcome.parseNote()).isNull();
        assertThat(Files.readAllBytes(file)).isEqualTo("\uFEFFimport sys\r\nname = 'naïve 😀'\nsys.exit(1)\r\n".getBytes(StandardCharsets.UTF_8));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void keepsThePermissionsAndWritesThroughASymlink() throws IOException {
        Path file = dir.resolve("run.py");
        Files.writeString(file, "exit(1)\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
        Path link = Files.createSymbolicLink(dir.resolve("link.py"), file);
        new FileFixer(null).fix(link, "link.py", List.of(new Edit(0, 7, "exit(1)", "sys.exit(1)")), true);
        assertThat(Files.readString(file)).isEqualTo("sys.exit(1)\n");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rwxr-x---");
    }

    @Test
    void aDryRunWritesNothingAndReturnsTheDiff() throws IOException {
        Path file = dir.resolve("a.py");
        Files.writeString(file, "exit(1)\n");
        FileFixer.Outcome outcome = new FileFixer(null).fix(file, "a.py", List.of(new Edit(0, 7, "exit(1)", "sys.exit(1)")), false);
        assertThat(outcome.diff()).isEqualTo("--- a/a.py\n+++ b/a.py\n@@ -1,1 +1,1 @@\n-exit(1)\n+sys.exit(1)\n");
        assertThat(Files.readString(file)).isEqualTo("exit(1)\n");
    }

    @Test
    void aFileThatIsNotUtf8IsLeftAlone() throws IOException {
        Path file = dir.resolve("latin1.py");
        byte[] bytes = "s = 'caf\u00e9'\nexit(1)\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, bytes);
        FileFixer.Outcome outcome = new FileFixer(null).fix(file, "latin1.py", List.of(new Edit(11, 18, "exit(1)", "sys.exit(1)")), true);
        assertThat(outcome.error()).contains("not valid UTF-8");
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }

    @Test
    void aFileChangedSinceTheScanKeepsItsNewContent() throws IOException {
        Path file = dir.resolve("a.py");
        Files.writeString(file, "print(1)\n");
        FileFixer.Outcome outcome = new FileFixer(null).fix(file, "a.py", List.of(new Edit(0, 7, "exit(1)", "sys.exit(1)")), true);
        assertThat(outcome.applied()).isEmpty();
        assertThat(outcome.skipped()).hasSize(1);
        assertThat(Files.readString(file)).isEqualTo("print(1)\n");
    }

    @Test
    void aFixThatBreaksTheSyntaxIsAppliedWithANote() throws IOException {
        Path file = dir.resolve("a.py");
        Files.writeString(file, "x = f(1)\n");
        FileFixer.Outcome outcome = new FileFixer(PARSER).fix(file, "a.py", List.of(new Edit(4, 8, "f(1)", "f(1")), true);
        assertThat(outcome.parseNote()).contains("does not parse");
        assertThat(Files.readString(file)).isEqualTo("x = f(1\n");
    }

    @Test
    void aMissingFileIsAnErrorNamingTheProblem() {
        FileFixer.Outcome outcome = new FileFixer(null).fix(dir.resolve("gone.py"), "gone.py", List.of(new Edit(0, 0, "", "x")), true);
        assertThat(outcome.error()).startsWith("cannot read");
    }
}
