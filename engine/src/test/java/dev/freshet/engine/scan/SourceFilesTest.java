package dev.freshet.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.freshet.engine.scan.SourceFiles.Reason;
import dev.freshet.engine.scan.SourceFiles.Selection;
import dev.freshet.engine.scan.SourceFiles.Skipped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFilesTest {
    @TempDir
    Path tmp;

    private Path root;

    private Path write(String relative, String content) throws IOException {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** Paths of the selected files relative to the scanned root, with forward slashes. */
    private List<String> names(Selection selection) {
        return selection.files().stream().map(f -> root.relativize(f).toString().replace('\\', '/')).toList();
    }

    private Selection scanRoot() throws IOException {
        return new SourceFiles().collect(List.of(root));
    }

    @Test
    void nestedGitignoresApplyToTheirOwnSubtree() throws IOException {
        root = tmp.resolve("repo");
        write("repo/.gitignore", "*.log\n/top-only.py\n");
        write("repo/a.py", "print(1)\n");
        write("repo/debug.log", "x");
        write("repo/top-only.py", "x");
        write("repo/sub/top-only.py", "x");          // anchored pattern only matches at the top
        write("repo/sub/.gitignore", "*.tmp\n!important.log\n");
        write("repo/sub/important.log", "x");         // re-included by the nested file
        write("repo/sub/other.log", "x");
        write("repo/sub/scratch.tmp", "x");
        write("repo/other/scratch.tmp", "x");         // sub's rules do not reach here

        assertThat(names(scanRoot())).containsExactly(
                ".gitignore", "a.py", "other/scratch.tmp", "sub/.gitignore", "sub/important.log", "sub/top-only.py");
    }

    @Test
    void negationReincludesAFile() throws IOException {
        root = tmp.resolve("repo");
        write("repo/.gitignore", "*.py\n!keep.py\n");
        write("repo/drop.py", "x");
        write("repo/keep.py", "x");
        write("repo/pkg/keep.py", "x");
        write("repo/pkg/drop.py", "x");

        assertThat(names(scanRoot())).containsExactly(".gitignore", "keep.py", "pkg/keep.py");
    }

    @Test
    void directoryPatternsMatchDirectoriesOnlyAndCannotBeReopened() throws IOException {
        root = tmp.resolve("repo");
        write("repo/.gitignore", "build/\n!build/keep.py\n");
        write("repo/build/out.py", "x");
        write("repo/build/keep.py", "x");            // git cannot re-include inside an excluded directory
        write("repo/src/build/gen.py", "x");          // unanchored: matches at any depth
        write("repo/docs/build", "a file named build"); // the trailing slash means directories only

        assertThat(names(scanRoot())).containsExactly(".gitignore", "docs/build");
    }

    @Test
    void gitDirectoryIsSkippedAndInfoExcludeApplies() throws IOException {
        root = tmp.resolve("repo");
        write("repo/.git/config", "[core]\n");
        write("repo/.git/info/exclude", "secret.txt\n");
        write("repo/secret.txt", "x");
        write("repo/sub/secret.txt", "x");
        write("repo/sub/.gitignore", "!secret.txt\n");  // a .gitignore outranks info/exclude
        write("repo/main.py", "x");

        assertThat(names(scanRoot())).containsExactly("main.py", "sub/.gitignore", "sub/secret.txt");
    }

    @Test
    void gitignoreAboveTheScannedDirectoryAppliesInsideAWorkTree() throws IOException {
        root = tmp.resolve("repo/src");
        write("repo/.git/HEAD", "ref: refs/heads/main\n");
        write("repo/.gitignore", "*.log\ngenerated/\n");
        write("repo/src/app.py", "x");
        write("repo/src/app.log", "x");
        write("repo/src/generated/g.py", "x");

        assertThat(names(scanRoot())).containsExactly("app.py");
    }

    @Test
    void symlinksLeavingTheRootAreSkippedAndLinksInsideAreNotDuplicated() throws IOException {
        root = tmp.resolve("repo");
        Path outsideFile = write("outside/secret.py", "x");
        Path real = write("repo/real.py", "x");
        Files.createSymbolicLink(root.resolve("escape.py"), outsideFile);
        Files.createSymbolicLink(root.resolve("escape-dir"), outsideFile.getParent());
        Files.createSymbolicLink(root.resolve("alias.py"), real);
        write("repo/lib/only.py", "x");
        Files.createSymbolicLink(root.resolve("lib-link"), root.resolve("lib"));
        Files.createSymbolicLink(root.resolve("dangling.py"), root.resolve("missing.py"));

        Selection selection = scanRoot();

        assertThat(names(selection)).containsExactly("lib/only.py", "real.py");
        assertThat(selection.skipped()).extracting(Skipped::file, Skipped::reason).containsExactly(
                tuple(root.resolve("dangling.py"), Reason.UNREADABLE),
                tuple(root.resolve("escape-dir"), Reason.SYMLINK_OUTSIDE_ROOT),
                tuple(root.resolve("escape.py"), Reason.SYMLINK_OUTSIDE_ROOT));
    }

    @Test
    void linkInsideTheRootIsListedWhenItsTargetIsNot() throws IOException {
        root = tmp.resolve("repo");
        write("repo/.gitignore", "vendor/\n");
        Path vendored = write("repo/vendor/lib.py", "x");
        Files.createSymbolicLink(root.resolve("lib.py"), vendored);

        assertThat(names(scanRoot())).containsExactly(".gitignore", "lib.py");
    }

    @Test
    void oversizedFilesAreSkippedWithAReasonAndBinaryOnesAreListed() throws IOException {
        root = tmp.resolve("repo");
        write("repo/small.py", "x".repeat(100));
        write("repo/big.py", "x".repeat(101));
        Files.write(root.resolve("blob.bin"), Arrays.copyOf("abc".getBytes(StandardCharsets.US_ASCII), 50));

        Selection selection = new SourceFiles(100).collect(List.of(root));
        assertThat(names(selection)).as("the scanner leaves binary files out as it reads them").containsExactly("blob.bin", "small.py");
        assertThat(selection.skipped()).extracting(Skipped::file, Skipped::reason).containsExactly(tuple(root.resolve("big.py"), Reason.TOO_LARGE));
        assertThat(selection.skipped().getFirst().detail()).contains("101 bytes");
    }

    @Test
    void aNulByteInTheFirst8KbMakesContentBinary() {
        byte[] trailingNuls = Arrays.copyOf("abc".getBytes(StandardCharsets.US_ASCII), 50);
        byte[] lateNul = new byte[SourceFiles.BINARY_PROBE_BYTES + 10];
        Arrays.fill(lateNul, (byte) 'a');
        lateNul[SourceFiles.BINARY_PROBE_BYTES + 5] = 0; // beyond the probe, so still text
        byte[] lastProbedNul = Arrays.copyOf(lateNul, lateNul.length);
        lastProbedNul[SourceFiles.BINARY_PROBE_BYTES - 1] = 0;

        assertThat(SourceFiles.isBinary(trailingNuls)).isTrue();
        assertThat(SourceFiles.isBinary(lastProbedNul)).isTrue();
        assertThat(SourceFiles.isBinary(lateNul)).isFalse();
        assertThat(SourceFiles.isBinary(new byte[0])).isFalse();
        assertThat(SourceFiles.isBinary("naïve ☃ text\n".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void explicitlyGivenFilesAreAlwaysIncluded() throws IOException {
        root = tmp.resolve("repo");
        write("repo/.gitignore", "*.gen.py\n");
        Path ignored = write("repo/x.gen.py", "x".repeat(500));
        Path other = write("repo/y.gen.py", "x");

        Selection selection = new SourceFiles(100).collect(List.of(ignored, root));

        assertThat(selection.files()).containsExactly(root.resolve(".gitignore"), ignored);
        assertThat(selection.files()).doesNotContain(other);
        assertThat(selection.skipped()).isEmpty();
    }

    @Test
    void resultIsSortedDeduplicatedAndKeepsTheGivenPathForm() throws IOException {
        root = tmp.resolve("repo");
        write("repo/b/z.py", "x");
        write("repo/a.py", "x");
        write("repo/b/a.py", "x");

        Selection selection = new SourceFiles().collect(List.of(root.resolve("b"), root, root.resolve("a.py")));

        assertThat(selection.files()).isSorted().hasSize(3).allMatch(f -> f.startsWith(root));
        assertThat(names(selection)).containsExactlyInAnyOrder("a.py", "b/a.py", "b/z.py");
    }

    @Test
    void missingPathIsAnError() {
        assertThatThrownBy(() -> new SourceFiles().collect(List.of(tmp.resolve("nope"))))
                .isInstanceOf(NoSuchFileException.class);
    }
}
