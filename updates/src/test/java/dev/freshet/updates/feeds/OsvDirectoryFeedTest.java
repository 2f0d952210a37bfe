package dev.freshet.updates.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.deps.Advisory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsvDirectoryFeedTest {
    @TempDir
    Path root;
    private Path dir;
    private Path outside;
    private final List<String> rejections = new ArrayList<>();

    @BeforeEach
    void layout() throws IOException {
        dir = Files.createDirectory(root.resolve("feed"));
        outside = Files.createDirectory(root.resolve("outside"));
    }

    private Feed feed(int pageSize) {
        return OsvFeed.directory(dir, new OsvFeed.Limits(pageSize, 4096, 1L << 30, 1000, 50), rejections::add);
    }

    private static String yaml(String id, String modified) {
        return """
                id: %s
                modified: "%s"
                summary: from YAML
                affected:
                  - package: {ecosystem: PyPI, name: yaml-pkg}
                    ranges:
                      - type: ECOSYSTEM
                        events: [{introduced: "0"}, {fixed: "1.10"}]
                """.formatted(id, modified);
    }

    @Test
    void deliversJsonAndYamlRecordsOldestFirstThenOnlyWhatChanged() throws Exception {
        Files.createDirectories(dir.resolve("vulns/pkg"));
        Files.writeString(dir.resolve("vulns/pkg/PYSEC-1.yaml"), yaml("PYSEC-1", OsvFeedTest.day(3)));
        Files.writeString(dir.resolve("GO-1.json"), OsvFeedTest.record("GO-1", OsvFeedTest.day(1)));
        Files.writeString(dir.resolve("RUSTSEC-1.json"), OsvFeedTest.record("RUSTSEC-1", OsvFeedTest.day(2)));
        Files.writeString(dir.resolve("RUSTSEC-2.json"), OsvFeedTest.record("RUSTSEC-2", OsvFeedTest.day(2)));
        Files.writeString(dir.resolve("README.md"), "not a record");
        Files.writeString(dir.resolve("broken.json"), "{\"id\": \"X\", ");
        Files.writeString(dir.resolve("big.json"), "{\"id\": \"" + "B".repeat(5000) + "\"}");
        Files.writeString(outside.resolve("SECRET-1.json"), OsvFeedTest.record("SECRET-1", OsvFeedTest.day(9)));
        try {
            Files.createSymbolicLink(dir.resolve("link.json"), outside.resolve("SECRET-1.json"));
        } catch (UnsupportedOperationException | IOException e) {
            // no symbolic links on this file system: the rest still holds
        }
        OsvFeedTest.Pages pages = new OsvFeedTest.Pages();

        feed(2).sync(null, pages);

        assertThat(pages.ids()).containsExactly("GO-1", "RUSTSEC-1", "RUSTSEC-2", "PYSEC-1");
        // the two records of day 2 stay on one page
        assertThat(pages.pages).extracting(p -> p.advisories().size()).containsExactly(3, 1);
        assertThat(pages.lastCursor).isEqualTo(OsvFeedTest.day(3));
        Advisory fromYaml = pages.pages.getLast().advisories().getFirst();
        assertThat(fromYaml.affected().getFirst().affects("1.9")).isTrue();
        assertThat(fromYaml.affected().getFirst().affects("1.10")).isFalse();
        assertThat(rejections).hasSize(2);
        assertThat(rejections.get(0)).startsWith("feed 'osv-dir:" + dir.toAbsolutePath().normalize() + "': rejected big.json: larger than 4096 bytes");
        assertThat(rejections.get(1)).startsWith("feed 'osv-dir:" + dir.toAbsolutePath().normalize() + "': rejected broken.json: not valid JSON");

        Files.writeString(dir.resolve("GO-1.json"), OsvFeedTest.record("GO-1", OsvFeedTest.day(5)));
        OsvFeedTest.Pages second = new OsvFeedTest.Pages();
        feed(2).sync(pages.lastCursor, second);

        assertThat(second.ids()).containsExactly("GO-1");
        assertThat(second.lastCursor).isEqualTo(OsvFeedTest.day(5));
        OsvFeedTest.Pages third = new OsvFeedTest.Pages();
        feed(2).sync(second.lastCursor, third);
        assertThat(third.pages).isEmpty();
    }

    @Test
    void aMissingDirectoryOrAnArchiveCursorFailsWithOneClearMessage() {
        Feed missing = OsvFeed.directory(dir.resolve("nope"));
        assertThatThrownBy(() -> missing.sync(null, new OsvFeedTest.Pages()))
                .isInstanceOf(FeedException.class)
                .hasMessageContaining("directory " + dir.resolve("nope").toAbsolutePath() + " does not exist");
        assertThatThrownBy(() -> feed(2).sync("- all.zip 0123456789abcdef 4", new OsvFeedTest.Pages()))
                .hasMessageContaining("belongs to an archive feed, not a directory");
    }

    @Test
    void realPypaRecordsReadWithoutRejections() throws Exception {
        Path pypa = Path.of("../../shared/data/vuln/pypa-advisory-db/vulns");
        Assumptions.assumeTrue(Files.isDirectory(pypa), "no PyPA advisory database under ../shared; skipped");
        // A part of the database, copied to a temporary directory: the whole takes a while (see OsvFeedBenchmark).
        List<Path> sampleFiles;
        try (var walk = Files.walk(pypa)) {
            sampleFiles = walk.filter(f -> f.toString().endsWith(".yaml")).sorted().limit(300).toList();
        }
        for (Path file : sampleFiles) {
            Files.copy(file, dir.resolve(file.getFileName()));
        }
        OsvFeedTest.Pages pages = new OsvFeedTest.Pages();

        OsvFeed.directory(dir, OsvFeed.Limits.defaults(), rejections::add).sync(null, pages);

        assertThat(rejections).isEmpty();
        assertThat(pages.ids()).hasSize(sampleFiles.size()).doesNotHaveDuplicates();
        assertThat(pages.pages.getLast().advisories().getLast().modified().toString()).isEqualTo(pages.lastCursor);
    }
}
