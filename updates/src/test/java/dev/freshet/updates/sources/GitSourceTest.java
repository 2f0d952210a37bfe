package dev.freshet.updates.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against real repositories made with JGit in a temporary directory and fetched through file:// URLs. */
class GitSourceTest {
    private static final String ALICE = "alice@example.org";
    private static final String MALLORY = "mallory@example.net";

    @TempDir
    Path origin;
    @TempDir
    Path cache;
    private Git upstream;

    @BeforeEach
    void createUpstream() throws Exception {
        upstream = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call();
    }

    @AfterEach
    void close() {
        upstream.close();
    }

    private RevCommit commit(String authorEmail, Map<String, String> files) throws Exception {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = origin.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        upstream.add().addFilepattern(".").call();
        return upstream.commit().setAuthor(authorEmail.substring(0, authorEmail.indexOf('@')), authorEmail)
                .setCommitter("ci", "ci@example.org").setMessage("change").setSign(false).call();
    }

    private GitSource source(List<String> paths, Set<String> trusted) {
        return new GitSource("upstream", origin.toUri().toString(), "main", paths, trusted, SourceSettings.defaults());
    }

    private FetchResult fetch(GitSource source, Optional<String> known) throws SourceException {
        return new SourceFetchers(cache).fetcherFor(source).fetch(known);
    }

    private static SourceSnapshot changed(FetchResult result) {
        assertThat(result).isInstanceOf(FetchResult.Changed.class);
        return ((FetchResult.Changed) result).snapshot();
    }

    @Test
    void clonesOnFirstFetchThenReportsUnchangedThenFollowsNewCommits() throws Exception {
        RevCommit first = commit(ALICE, Map.of("r/a.yaml", "rules: []\n", "r/a.py", "x = 1\n"));
        GitSource source = source(List.of(), Set.of());

        SourceSnapshot snapshot = changed(fetch(source, Optional.empty()));
        assertThat(snapshot.source()).isEqualTo("upstream");
        assertThat(snapshot.revision()).isEqualTo(first.name());
        assertThat(snapshot.files()).extracting(SourceFile::path).containsExactly("r/a.py", "r/a.yaml");
        assertThat(Files.isDirectory(cache.resolve("upstream.git/objects"))).isTrue();

        assertThat(fetch(source, Optional.of(first.name()))).isEqualTo(new FetchResult.Unchanged(first.name()));

        RevCommit second = commit(ALICE, Map.of("r/a.py", "x = 2\n"));
        SourceSnapshot next = changed(fetch(source, Optional.of(first.name())));
        assertThat(next.revision()).isEqualTo(second.name());
        assertThat(new String(next.files().get(0).content(), StandardCharsets.UTF_8)).isEqualTo("x = 2\n");
        assertThat(fetch(source, Optional.of(second.name()))).isEqualTo(new FetchResult.Unchanged(second.name()));
    }

    @Test
    void refusesAnUpdateContainingACommitByAnUntrustedAuthor() throws Exception {
        RevCommit trusted = commit(ALICE, Map.of("r/a.yaml", "rules: []\n"));
        GitSource source = source(List.of(), Set.of("Alice@Example.org"));
        assertThat(changed(fetch(source, Optional.empty())).revision()).isEqualTo(trusted.name());

        RevCommit evil = commit(MALLORY, Map.of("r/a.yaml", "rules: [evil]\n"));
        RevCommit tip = commit(ALICE, Map.of("r/b.yaml", "rules: []\n"));

        assertThatThrownBy(() -> fetch(source, Optional.of(trusted.name())))
                .isInstanceOfSatisfying(UntrustedCommitException.class, e -> {
                    assertThat(e.commit()).isEqualTo(evil.name());
                    assertThat(e.author()).isEqualTo("mallory <" + MALLORY + ">");
                })
                .hasMessageContaining("source 'upstream': commit " + evil.name() + " is authored by mallory <" + MALLORY + ">")
                .hasMessageContaining("update to " + tip.name() + " is refused")
                .hasMessageContaining("previous revision stays");
        // Refused again on the next check: the cache moving on does not make the commit acceptable.
        assertThatThrownBy(() -> fetch(source, Optional.of(trusted.name()))).isInstanceOf(UntrustedCommitException.class);
        // Without a trust list every author is accepted.
        assertThat(changed(fetch(source(List.of(), Set.of()), Optional.of(trusted.name()))).revision()).isEqualTo(tip.name());
    }

    @Test
    void checksOnlyTheCommitsSinceTheAcceptedRevision() throws Exception {
        RevCommit old = commit(MALLORY, Map.of("r/a.yaml", "rules: []\n"));
        RevCommit tip = commit(ALICE, Map.of("r/a.yaml", "rules: [1]\n"));
        GitSource source = source(List.of(), Set.of(ALICE));

        assertThatThrownBy(() -> fetch(source, Optional.empty()))
                .isInstanceOfSatisfying(UntrustedCommitException.class, e -> assertThat(e.commit()).isEqualTo(old.name()));
        assertThat(changed(fetch(source, Optional.of(old.name()))).revision()).isEqualTo(tip.name());
    }

    @Test
    void takesRuleFilesOnlyUnderTheConfiguredPaths() throws Exception {
        commit(ALICE, Map.of(
                "rules/python/a.yaml", "rules: []\n", "rules/python/a.py", "a = 1\n",
                "rules/java/b.yaml", "rules: []\n", "rules/java/b.java", "class B {}\n",
                "rules/pythonic/c.yaml", "rules: []\n", "docs/d.yaml", "rules: []\n", ".ci/e.yaml", "rules: []\n"));

        SourceSnapshot python = changed(fetch(source(List.of("./rules/python/"), Set.of()), Optional.empty()));
        assertThat(python.files()).extracting(SourceFile::path).containsExactly("rules/python/a.py", "rules/python/a.yaml");

        SourceSnapshot all = changed(fetch(source(List.of(), Set.of()), Optional.empty()));
        assertThat(all.files()).extracting(SourceFile::path).containsExactly("docs/d.yaml", "rules/java/b.java",
                "rules/java/b.yaml", "rules/python/a.py", "rules/python/a.yaml", "rules/pythonic/c.yaml");

        assertThatThrownBy(() -> source(List.of("../outside"), Set.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("path '../outside'");
    }

    @Test
    void unreachableRepositoriesAndMissingBranchesAreClearErrors() throws Exception {
        commit(ALICE, Map.of("a.yaml", "rules: []\n"));
        GitSource missingRepo = new GitSource("gone", origin.resolve("nowhere").toUri().toString(), "main", List.of(), Set.of(),
                SourceSettings.defaults());
        assertThatThrownBy(() -> fetch(missingRepo, Optional.empty())).isInstanceOf(SourceException.class)
                .hasMessageStartingWith("source 'gone': cannot fetch branch 'main' from file:");

        GitSource missingBranch = new GitSource("upstream", origin.toUri().toString(), "release", List.of(), Set.of(),
                SourceSettings.defaults());
        assertThatThrownBy(() -> fetch(missingBranch, Optional.empty())).isInstanceOf(SourceException.class)
                .hasMessageContaining("source 'upstream'").hasMessageContaining("release");
    }

    @Test
    void aDamagedCacheIsClonedAgain() throws Exception {
        RevCommit first = commit(ALICE, Map.of("a.yaml", "rules: []\n"));
        Files.createDirectories(cache.resolve("upstream.git"));
        Files.writeString(cache.resolve("upstream.git/garbage"), "not a repository");
        assertThat(changed(fetch(source(List.of(), Set.of()), Optional.empty())).revision()).isEqualTo(first.name());
    }

    @Test
    void credentialsInUrlsNeverReachMessages() {
        assertThat(SourceUrls.redact("https://user:token@git.example/rules.git")).isEqualTo("https://***@git.example/rules.git");
        assertThat(SourceUrls.redact("git@github.com:org/rules.git")).isEqualTo("git@github.com:org/rules.git");
        assertThat(SourceUrls.scrub("cannot fetch from http://deploy@host/r.git: http://deploy:s3cret@host/r.git",
                "http://deploy:s3cret@host/r.git"))
                .isEqualTo("cannot fetch from http://***@host/r.git: http://***@host/r.git");
        assertThat(new GitSource("s", "https://user:token@git.example/rules.git", "main", List.of(), Set.of(), SourceSettings.defaults())
                .toString()).doesNotContain("token");
    }
}
