package dev.freshet.updates.sources;

import dev.freshet.updates.store.OwnerOnly;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a git branch through a bare clone kept in a cache directory: the first fetch clones,
 * later ones fetch only what is new. The revision is the tip's commit id. Before a new tip is
 * offered, every commit since the known revision must be by a trusted author.
 */
final class GitFetcher implements RuleSourceFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(GitFetcher.class);
    /** Where the fetched tip is kept in the cache; independent of the remote's other refs. */
    private static final String TIP_REF = "refs/freshet/tip";
    private static final int TIMEOUT_SECONDS = 120;

    private final GitSource source;
    private final Path cache;
    private final Lock cacheLock;

    GitFetcher(GitSource source, Path cache, Lock cacheLock) {
        this.source = source;
        this.cache = cache;
        this.cacheLock = cacheLock;
    }

    @Override
    public FetchResult fetch(Optional<String> knownRevision) throws SourceException {
        cacheLock.lock(); // one fetch at a time per cache directory: git's ref updates would collide
        try (Repository repo = openCache()) {
            configure(repo);
            ObjectId tip = fetchTip(repo);
            if (knownRevision.filter(tip.name()::equals).isPresent()) {
                return new FetchResult.Unchanged(tip.name());
            }
            checkAuthors(repo, tip, knownRevision);
            return new FetchResult.Changed(new SourceSnapshot(source.name(), tip.name(), readFiles(repo, tip)));
        } catch (IOException e) {
            throw new SourceException(source.name(), "cannot read the cached clone in " + cache + " (" + e.getMessage()
                    + "); delete that directory to clone again", e);
        } finally {
            cacheLock.unlock();
        }
    }

    /** The bare cache repository, created (or re-created, if it is damaged) when needed. */
    private Repository openCache() throws SourceException {
        try {
            if (Files.isDirectory(cache)) {
                try {
                    return new FileRepositoryBuilder().setGitDir(cache.toFile()).setMustExist(true).build();
                } catch (RepositoryNotFoundException | IllegalArgumentException e) {
                    LOG.warn("source {}: cache {} is not a git repository; cloning again", source.name(), cache);
                    deleteTree(cache);
                }
            }
            OwnerOnly.createDirectories(cache.getParent());
            return Git.init().setBare(true).setGitDir(cache.toFile()).call().getRepository(); // closed by the caller
        } catch (IOException | GitAPIException e) {
            throw new SourceException(source.name(), "cannot create the clone cache " + cache + ": " + e.getMessage(), e);
        }
    }

    /** Housekeeping (git gc) runs inside the fetch, under the lock, not in a background thread. */
    private static void configure(Repository repo) throws IOException {
        StoredConfig config = repo.getConfig();
        if (config.getBoolean(ConfigConstants.CONFIG_GC_SECTION, ConfigConstants.CONFIG_KEY_AUTODETACH, true)) {
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.save();
        }
    }

    private ObjectId fetchTip(Repository repo) throws SourceException, IOException {
        try (Git git = new Git(repo)) {
            git.fetch().setRemote(source.url())
                    .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + source.branch() + ":" + TIP_REF))
                    .setTagOpt(TagOpt.NO_TAGS).setTimeout(TIMEOUT_SECONDS).call();
        } catch (GitAPIException | RuntimeException e) {
            // JGit's messages may quote the URL with its credentials.
            throw new SourceException(source.name(), SourceUrls.scrub("cannot fetch branch '" + source.branch() + "' from "
                    + source.url() + ": " + rootMessage(e), source.url()), e);
        }
        Ref tip = repo.exactRef(TIP_REF);
        if (tip == null || tip.getObjectId() == null) {
            throw new SourceException(source.name(), "branch '" + source.branch() + "' not found at " + SourceUrls.redact(source.url()));
        }
        return tip.getObjectId();
    }

    /** Every commit reachable from the tip but not from the known revision (all of them on a first fetch). */
    private void checkAuthors(Repository repo, ObjectId tip, Optional<String> knownRevision) throws IOException, SourceException {
        if (source.trustedAuthors().isEmpty()) {
            return;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(tip));
            Optional<ObjectId> known = knownRevision.flatMap(GitFetcher::objectId);
            if (known.isPresent() && repo.getObjectDatabase().has(known.get())) {
                walk.markUninteresting(walk.parseCommit(known.get()));
            } else if (knownRevision.isPresent()) {
                LOG.warn("source {}: known revision {} is not in the repository (history rewritten?); checking all commits",
                        source.name(), knownRevision.get());
            }
            RevCommit firstUntrusted = null;
            int untrusted = 0;
            for (RevCommit commit : walk) {
                if (!source.trusts(commit.getAuthorIdent().getEmailAddress())) {
                    firstUntrusted = firstUntrusted == null ? commit : firstUntrusted;
                    untrusted++;
                }
            }
            if (firstUntrusted != null) {
                PersonIdent author = firstUntrusted.getAuthorIdent();
                throw new UntrustedCommitException(source.name(), firstUntrusted.name(),
                        author.getName() + " <" + author.getEmailAddress() + ">", tip.name(), untrusted);
            }
        }
    }

    private List<SourceFile> readFiles(Repository repo, ObjectId tip) throws IOException, SourceException {
        Map<String, ObjectId> blobs = new TreeMap<>();
        try (RevWalk walk = new RevWalk(repo); TreeWalk tree = new TreeWalk(repo)) {
            tree.addTree(walk.parseCommit(tip).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                // Symbolic links and submodules are not content of this repository.
                if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    blobs.put(tree.getPathString(), tree.getObjectId(0));
                }
            }
        }
        List<SourceFile> files = new ArrayList<>();
        long total = 0;
        try (ObjectReader reader = repo.newObjectReader()) {
            for (String path : RuleFiles.select(blobs.keySet(), source::includes)) {
                long size = reader.getObjectSize(blobs.get(path), Constants.OBJ_BLOB);
                total = RuleFiles.admit(source.name(), FileSelection.RULES, path, size, total, "narrow its paths");
                files.add(new SourceFile(path, reader.open(blobs.get(path), Constants.OBJ_BLOB).getBytes()));
            }
        }
        return List.copyOf(files);
    }

    private static Optional<ObjectId> objectId(String revision) {
        return ObjectId.isId(revision) ? Optional.of(ObjectId.fromString(revision)) : Optional.empty();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() != null ? t.getMessage() : t.toString();
        return t == e ? message : e.getMessage() + " (" + message + ")";
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
