package dev.freshet.app;

import dev.freshet.updates.tuf.TufException;
import dev.freshet.updates.tuf.TufRepositoryWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code freshet repo ...}: an operator's own signed rule repository (a private mirror or an
 * air-gapped copy), in the format Freshet's signed sources read.
 */
@Command(name = "repo", mixinStandardHelpOptions = true,
        description = {"Create and maintain a signed rule repository (The Update Framework format).",
                "Serve the repository's 'published' directory over HTTP (or copy it); give clients its root.json."},
        subcommands = {RepoCommand.Init.class, RepoCommand.Add.class, RepoCommand.Sign.class, RepoCommand.Publish.class},
        footer = {"", "Example:", "  freshet repo init myrepo && freshet repo add myrepo rules/ && freshet repo sign myrepo && freshet repo publish myrepo"})
final class RepoCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Options every repo subcommand has: the repository and where its private keys live. */
    abstract static class RepoTask implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "REPO", description = "The repository directory.")
        Path repo;

        @Option(names = "--keys", paramLabel = "DIR", description = "Private keys (default: REPO-keys beside the repository; keep it off the web server).")
        Path keys;

        @Mixin
        JsonOutput output;

        /** Private keys live apart from the repository, whose files are served as they are. */
        Path keysDir() {
            Path dir = keys != null ? keys : repo.toAbsolutePath().resolveSibling(repo.getFileName() + "-keys");
            if (dir.toAbsolutePath().normalize().startsWith(repo.toAbsolutePath().normalize())) {
                throw new UserError("--keys " + dir + " lies inside the repository " + repo
                        + ", whose files are published; choose a directory outside it");
            }
            return dir;
        }

        TufRepositoryWriter open() throws IOException {
            if (!Files.isDirectory(repo)) {
                throw new UserError("no repository at " + repo + "; create one with 'freshet repo init " + repo + "'");
            }
            try {
                return TufRepositoryWriter.open(repo, keysDir());
            } catch (TufException e) {
                throw new UserError(repo + ": " + e.getMessage());
            }
        }

        @Override
        public Integer call() throws IOException {
            try {
                return run();
            } catch (TufException e) {
                throw new UserError(e.getMessage());
            }
        }

        abstract Integer run() throws IOException, TufException;
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Create a repository with fresh Ed25519 keys.",
            footer = {"", "Example:", "  freshet repo init /srv/rules --keys /secure/rules-keys"})
    static final class Init extends RepoTask {
        @Override
        Integer run() throws IOException, TufException {
            if (Files.exists(repo) && Files.list(repo).findAny().isPresent()) {
                throw new UserError(repo + " already exists and is not empty");
            }
            Path keysDir = keysDir();
            TufRepositoryWriter writer = TufRepositoryWriter.init(repo, keysDir, TufRepositoryWriter.Settings.defaults());
            output.print(Map.of("repository", repo.toString(), "keys", keysDir.toString(), "published", writer.publishedDir().toString()),
                    "created signed repository " + repo + "\n"
                    + "private signing keys in " + keysDir + " (owner-only, ignored by git): keep them there or offline,"
                    + " never on the web server\n"
                    + "serve " + writer.publishedDir() + "; clients trust " + writer.publishedDir().resolve("root.json"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Stage rule files (and their test files) for the next signed version; directories are added recursively.",
            footer = {"", "Example:", "  freshet repo add /srv/rules rules/python"})
    static final class Add extends RepoTask {
        @Parameters(index = "1..*", paramLabel = "PATH", description = "Rule files or directories.")
        List<Path> paths;

        @Override
        Integer run() throws IOException, TufException {
            TufRepositoryWriter writer = open();
            int added = 0;
            for (Path path : paths) {
                if (!Files.exists(path)) {
                    throw new UserError("no such file or directory: " + path);
                }
                // Target paths keep the directory's own name: rules/python/x.yaml is staged as python/x.yaml.
                Path base = path.toAbsolutePath().normalize().getParent();
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                        writer.add(file, base.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/'));
                        added++;
                    }
                }
            }
            output.print(Map.of("staged", added), "staged " + added + " file(s); run 'freshet repo sign " + repo + "' next");
            return ExitCodes.OK;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true, description = "Sign the staged files as a new version.",
            footer = {"", "Example:", "  freshet repo sign /srv/rules"})
    static final class Sign extends RepoTask {
        @Override
        Integer run() throws IOException, TufException {
            open().sign();
            output.print(Map.of("signed", repo.toString()), "signed; run 'freshet repo publish " + repo + "' to make it visible");
            return ExitCodes.OK;
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true, description = "Check the signed version and make it visible to clients.",
            footer = {"", "Example:", "  freshet repo publish /srv/rules"})
    static final class Publish extends RepoTask {
        @Override
        Integer run() throws IOException, TufException {
            TufRepositoryWriter writer = open();
            writer.publish();
            output.print(Map.of("published", writer.targets().size(), "directory", writer.publishedDir().toString()),
                    "published " + writer.targets().size() + " file(s) in " + writer.publishedDir());
            return ExitCodes.OK;
        }
    }
}
