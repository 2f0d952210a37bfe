package dev.freshet.updates.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectorySourceTest {
    private static final String RULE = """
            rules:
              - id: no-eval
                message: eval is dangerous
                severity: ERROR
                languages: [python]
                pattern: eval(...)
            """;

    @TempDir
    Path dir;
    @TempDir
    Path cache;

    private FetchResult fetch(Optional<String> known) throws SourceException {
        return new SourceFetchers(cache).fetcherFor(new LocalDirectorySource("local", dir, SourceSettings.defaults())).fetch(known);
    }

    private SourceSnapshot fetchChanged(Optional<String> known) throws SourceException {
        FetchResult result = fetch(known);
        assertThat(result).isInstanceOf(FetchResult.Changed.class);
        return ((FetchResult.Changed) result).snapshot();
    }

    @Test
    void revisionChangesOnlyWhenRuleOrTestContentChanges() throws Exception {
        write("python/eval.yaml", RULE);
        write("python/eval.py", "# ruleid: no-eval\neval(x)\n");
        SourceSnapshot first = fetchChanged(Optional.empty());
        assertThat(first.source()).isEqualTo("local");
        assertThat(first.revision()).matches("[0-9a-f]{64}");

        // Same content: unchanged, also after timestamps move and unrelated or hidden files appear.
        assertThat(fetch(Optional.of(first.revision()))).isEqualTo(new FetchResult.Unchanged(first.revision()));
        Files.setLastModifiedTime(dir.resolve("python/eval.yaml"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        write("README.md", "docs");
        write(".git/config", "[core]");
        write("python/.hidden/other.yaml", RULE);
        assertThat(fetch(Optional.of(first.revision()))).isEqualTo(new FetchResult.Unchanged(first.revision()));

        // A changed test file is a change; restoring it restores the revision.
        write("python/eval.py", "# ruleid: no-eval\neval(y)\n");
        SourceSnapshot second = fetchChanged(Optional.of(first.revision()));
        assertThat(second.revision()).isNotEqualTo(first.revision());
        write("python/eval.py", "# ruleid: no-eval\neval(x)\n");
        assertThat(fetch(Optional.of(first.revision()))).isInstanceOf(FetchResult.Unchanged.class);

        // So is a renamed rule file with the same content.
        Files.move(dir.resolve("python/eval.yaml"), dir.resolve("python/eval2.yaml"));
        assertThat(fetchChanged(Optional.of(first.revision())).revision()).isNotEqualTo(first.revision());
    }

    @Test
    void takesRuleFilesAndTheirTestFilesOnly() throws Exception {
        write("a/x.yaml", RULE);
        write("a/x.py", "eval(1)\n");
        write("a/x.js", "eval(1)\n");
        write("a/x.fixed.py", "fixed\n");
        write("a/y.yml", RULE);
        write("a/unrelated.py", "print(1)\n");
        write("b/z.test.yaml", "not a rule\n");
        write(".github/workflow.yaml", "on: push\n");

        SourceSnapshot snapshot = fetchChanged(Optional.empty());

        assertThat(snapshot.files()).extracting(SourceFile::path).containsExactly("a/x.js", "a/x.py", "a/x.yaml", "a/y.yml");
        assertThat(new String(snapshot.files().get(2).content())).isEqualTo(RULE);
    }

    @Test
    void aRuleFileOverTheSizeLimitFailsTheSourceInsteadOfBeingLeftOut() throws Exception {
        write("a/x.yaml", RULE);
        write("a/huge.yaml", "#".repeat((int) RuleFiles.MAX_FILE_BYTES + 1));

        assertThatThrownBy(() -> fetchChanged(Optional.empty())).isInstanceOf(SourceException.class)
                .hasMessage("source 'local': a/huge.yaml has 2097153 bytes, over the limit of 2097152 bytes for one rule"
                        + " or test file; split it or leave it out of the source");
    }

    @Test
    void aMissingDirectoryIsAClearErrorNamingTheSource() {
        Path missing = dir.resolve("nowhere");
        assertThatThrownBy(() -> new SourceFetchers(cache)
                .fetcherFor(new LocalDirectorySource("mine", missing, SourceSettings.defaults())).fetch(Optional.empty()))
                .isInstanceOf(SourceException.class)
                .hasMessage("source 'mine': directory " + missing + " does not exist or is not a directory");
    }

    @Test
    void signedRepositoriesAreFetchedByTheClientTheAppPlugsIn() throws Exception {
        SignedRepositorySource signed = new SignedRepositorySource("tuf", URI.create("https://rules.example/").toURL(),
                dir.resolve("root.json"), SourceSettings.defaults());
        assertThatThrownBy(() -> new SourceFetchers(cache).fetcherFor(signed).fetch(Optional.empty()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage("wired in app");

        SourceFetchers wired = new SourceFetchers(cache, source -> known -> new FetchResult.Unchanged(source.name() + "@7"));
        assertThat(wired.fetcherFor(signed).fetch(Optional.empty())).isEqualTo(new FetchResult.Unchanged("tuf@7"));
    }

    @Test
    void settingsAndNamesAreChecked() {
        assertThatThrownBy(() -> new LocalDirectorySource("../etc", dir, SourceSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source name '../etc'");
        assertThatThrownBy(() -> new SourceSettings(Channel.BETA, " ", 0, true, false))
                .hasMessageContaining("cron expression");
        assertThat(Channel.parse("Beta")).isEqualTo(Channel.BETA);
        assertThatThrownBy(() -> Channel.parse("nightly")).hasMessageContaining("stable or beta");
        LocalDirectorySource source = new LocalDirectorySource("x", dir, SourceSettings.defaults());
        assertThat(source.withSettings(source.settings().withEnabled(false).withPriority(5)).settings())
                .isEqualTo(new SourceSettings(Channel.STABLE, SourceSettings.HOURLY, 5, false, false));
    }

    private void write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
