package dev.freshet.app;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.policy.UpdatePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every {@code ./freshet} command in the READMEs and the guides parses against the real command tree;
 * the ones that are safe here run as written; the others are on a checked list that says why not. The
 * English and Spanish versions of each document have the same sections and the same commands.
 */
class DocsCommandsTest {
    private static final Path ROOT = DeployFiles.ROOT;
    /** Each English document beside its Spanish version. */
    private static final Map<String, String> TRANSLATIONS = Map.of(
            "README.md", "README.es.md",
            "docs/en/user-guide.md", "docs/es/guia-usuario.md",
            "docs/en/operator-guide.md", "docs/es/guia-operador.md");
    /** Commands that run here as written: their help, and scans and rule tests of the repository's own files. */
    private static final Set<String> RUNNABLE = Set.of("", "scan", "rules test");

    private static final String STORE = "reads or changes the user's own store (~/.freshet by default); "
            + "ReadmeSampleTest runs update check on a copy, the store tests run the rest";
    private static final String UNTIL_STOPPED = "runs until stopped; ServeApiTest and ServeLifecycleTest run the service on loopback";
    private static final String BENCH = "a benchmark that runs for seconds to minutes; its figures come from bench runs, not from tests";
    private static final String TRAFFIC = "needs HTTP traffic data sets (../shared/data/waf) or a request file";
    /** Commands the docs show that are not run here, by command, and why. Every entry must still be shown somewhere. */
    private static final Map<String, String> NOT_RUN_HERE = Map.ofEntries(
            entry("serve", UNTIL_STOPPED),
            entry("update watch", UNTIL_STOPPED),
            entry("feeds sync", "fetches the public feeds over the network (or reads ../shared)"),
            entry("update check", STORE), entry("update apply", STORE), entry("update rollback", STORE),
            entry("update status", STORE), entry("update show", STORE), entry("update history", STORE),
            entry("update list", STORE), entry("update diff", STORE),
            entry("sources add", STORE), entry("sources list", STORE), entry("sources disable", STORE),
            entry("overrides add", STORE), entry("overrides list", STORE),
            entry("projects add", STORE), entry("projects findings", STORE), entry("projects scan", STORE),
            entry("feeds status", STORE), entry("keys create", STORE), entry("keys list", STORE), entry("keys revoke", STORE),
            entry("tenants list", STORE), entry("tenants delete", STORE),
            entry("rollout status", STORE), entry("rollout diff", STORE), entry("rollout promote", STORE),
            entry("rollout pause", STORE), entry("rollout resume", STORE), entry("rollout abort", STORE),
            entry("repo init", "creates a signed repository and its private keys in the working directory"),
            entry("repo add", "stages files into a repository that repo init made"),
            entry("repo sign", "signs a repository that repo init made"),
            entry("repo publish", "publishes a repository that repo init made"),
            entry("models train", TRAFFIC), entry("models evaluate", TRAFFIC), entry("models score", TRAFFIC),
            entry("models learn", TRAFFIC), entry("models list", STORE),
            entry("models history", STORE), entry("models rollback", STORE), entry("models activate", STORE),
            entry("models collect", STORE),
            entry("feedback add", STORE), entry("feedback list", STORE), entry("feedback process", STORE),
            entry("rules health", STORE), entry("rules patch", STORE), entry("rules generate", STORE),
            entry("contributions submit", STORE), entry("contributions list", STORE), entry("contributions approve", STORE),
            entry("contributions reject", STORE), entry("contributions contributors", STORE),
            entry("credits balance", STORE), entry("credits ledger", STORE), entry("credits grant", STORE),
            entry("credits plan", STORE), entry("research run", STORE),
            entry("notify test", "sends a message to every channel the policy configures; NotifierTest delivers to receivers on loopback"),
            entry("notify status", STORE),
            entry("backup", STORE), entry("restore", "replaces the store of a data directory from an archive; BackupTest restores into temporary directories"),
            entry("bench scan", BENCH), entry("bench swap", BENCH), entry("bench rescan", BENCH), entry("bench freshness", BENCH), entry("bench rollout", BENCH),
            entry("bench models", BENCH), entry("bench http", BENCH), entry("bench reliability", BENCH),
            entry("bench feedback", BENCH), entry("bench generation", BENCH));

    @TempDir
    Path tmp;

    @Test
    void everyCommandInTheDocsParsesAgainstTheCommandTree() throws IOException {
        List<String> failures = new ArrayList<>();
        for (String doc : documents()) {
            List<DocCommands.Command> commands = DocCommands.commands(read(doc));
            assertThat(commands).as(doc + " shows commands").isNotEmpty();
            for (DocCommands.Command command : commands) {
                try {
                    Main.commandLine().parseArgs(command.words().toArray(String[]::new));
                } catch (CommandLine.ParameterException e) {
                    failures.add(doc + ": " + command.written() + " -> " + e.getMessage());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void theSafeCommandsRunAsWrittenAndTheOthersAreListedWithTheirReason() throws IOException {
        Map<List<String>, String> toRun = new LinkedHashMap<>();
        Set<String> reasonsUsed = new TreeSet<>();
        List<String> unlisted = new ArrayList<>();
        for (String doc : documents()) {
            for (DocCommands.Command command : DocCommands.commands(read(doc))) {
                String path = commandPath(command.words());
                Optional<String> why = whyNotRun(path, command.words());
                if (why.isPresent()) {
                    reasonsUsed.add(path);
                } else if (RUNNABLE.contains(path)) {
                    toRun.putIfAbsent(command.words(), doc);
                } else {
                    unlisted.add(doc + ": " + command.written() + " (" + path + ")");
                }
            }
        }
        assertThat(unlisted).as("commands neither safe to run here nor on the list of those that are not").isEmpty();
        assertThat(reasonsUsed).as("entries of the list no document shows any more").containsAll(NOT_RUN_HERE.keySet());
        assertThat(toRun).as("commands run as written").hasSizeGreaterThanOrEqualTo(5);

        for (Map.Entry<List<String>, String> command : toRun.entrySet()) {
            String[] args = here(command.getKey(), commandPath(command.getKey()));
            CliRun run = CliRun.of(args);
            String shown = command.getValue() + ": ./freshet " + String.join(" ", command.getKey());
            assertThat(run.exit()).as(shown + "\n" + run.err()).isIn(ExitCodes.OK, ExitCodes.FINDINGS);
            assertThat(run.err()).as(shown).doesNotContain("internal error");
            int output = List.of(args).indexOf("--output");
            String report = output < 0 ? run.out() : Files.readString(Path.of(args[output + 1]));
            assertThat(report).as(shown + " reports something").isNotBlank();
        }
    }

    @Test
    void eachTranslationHasTheSameSectionsBlocksAndCommands() throws IOException {
        for (Map.Entry<String, String> pair : TRANSLATIONS.entrySet()) {
            String english = read(pair.getKey());
            String spanish = read(pair.getValue());
            String what = pair.getKey() + " and " + pair.getValue();
            assertThat(DocCommands.headings(spanish).stream().map(DocCommands.Heading::level).toList()).as(what + ": heading levels in order")
                    .isEqualTo(DocCommands.headings(english).stream().map(DocCommands.Heading::level).toList());
            assertThat(DocCommands.blocks(spanish).stream().map(DocCommands.Block::language).toList()).as(what + ": code blocks in order")
                    .isEqualTo(DocCommands.blocks(english).stream().map(DocCommands.Block::language).toList());
            assertThat(DocCommands.commands(spanish).stream().map(DocCommands.Command::words).toList()).as(what + ": commands in order")
                    .isEqualTo(DocCommands.commands(english).stream().map(DocCommands.Command::words).toList());
            assertThat(spanish).as(what + ": the Spanish one is not the English one").isNotEqualTo(english);
        }
    }

    @Test
    void thePolicySamplesOfTheGuidesAreReadAsWritten() throws IOException {
        List<UpdatePolicy> policies = new ArrayList<>();
        for (String guide : List.of("docs/en/operator-guide.md", "docs/es/guia-operador.md", "docs/en/user-guide.md", "docs/es/guia-usuario.md")) {
            for (DocCommands.Block block : DocCommands.blocks(read(guide))) {
                if (block.language().equals("toml")) {
                    policies.add(UpdatePolicy.read(Files.writeString(tmp.resolve("policy.toml"), block.text())));
                }
            }
        }
        assertThat(policies).as("the operator guide's sample, in both languages").hasSize(2);
        assertThat(policies.get(1)).isEqualTo(policies.get(0));
        assertThat(policies.get(0).updates().others()).isEqualTo(UpdatePolicy.Approval.APPROVAL);
        assertThat(policies.get(0).maintenanceWindows()).hasSize(1);
    }

    @Test
    void commandsAreReadAsTheShellSplitsThem() {
        String doc = """
                # Title
                ```sh
                ./freshet scan rules/ --rules rules/ --json        # a comment with 'quotes'
                ./freshet rollout promote|abort --reason "too noisy" && ./freshet update status [--json]
                ./freshet models train m --benign a.txt \\
                    --attacks b.csv
                curl http://127.0.0.1:8460/health/live   # not a freshet command
                ```
                ```toml
                # not a heading and not a command
                ```
                """;
        assertThat(DocCommands.commands(doc).stream().map(DocCommands.Command::words).toList()).containsExactly(
                List.of("scan", "rules/", "--rules", "rules/", "--json"),
                List.of("rollout", "promote", "--reason", "too noisy"),
                List.of("rollout", "abort", "--reason", "too noisy"),
                List.of("update", "status", "--json"),
                List.of("models", "train", "m", "--benign", "a.txt", "--attacks", "b.csv"));
        assertThat(DocCommands.headings(doc)).containsExactly(new DocCommands.Heading(1, "Title"));
        assertThat(DocCommands.withoutComment("./freshet x --reason 'a # b'  # c")).isEqualTo("./freshet x --reason 'a # b'");
    }

    private static Optional<String> whyNotRun(String path, List<String> words) {
        if (words.contains("--help")) {
            return Optional.empty();
        }
        if (words.stream().anyMatch(w -> w.startsWith("../shared"))) {
            return Optional.of("reads the shared corpus in ../shared, which a CI machine may not have");
        }
        if (path.equals("scan") && !words.contains("--rules")) {
            return Optional.of(STORE);
        }
        if (words.contains("--autofix") && !words.contains("--dryrun")) {
            return Optional.of("rewrites the files it scans");
        }
        return Optional.ofNullable(NOT_RUN_HERE.get(path));
    }

    /** The subcommand names a command line selects, e.g. "update check". */
    private static String commandPath(List<String> words) {
        CommandLine.ParseResult result = Main.commandLine().parseArgs(words.toArray(String[]::new));
        List<String> names = new ArrayList<>();
        for (CommandLine.ParseResult sub = result.subcommand(); sub != null; sub = sub.subcommand()) {
            names.add(sub.commandSpec().name());
        }
        return String.join(" ", names);
    }

    /** The words with the repository's paths made absolute (tests run in app/) and outputs sent to a temporary directory. */
    private String[] here(List<String> words, String path) {
        int names = path.isEmpty() ? 0 : path.split(" ").length;
        List<String> args = new ArrayList<>(words.subList(0, names));
        for (int i = names; i < words.size(); i++) {
            String word = words.get(i);
            boolean output = i > 0 && List.of("--output", "-o").contains(words.get(i - 1));
            if (output) {
                args.add(tmp.resolve(Path.of(word).getFileName()).toString());
            } else if (!word.startsWith("-") && Files.exists(ROOT.resolve(word))) {
                args.add(ROOT.resolve(word).toString());
            } else {
                args.add(word);
            }
        }
        return args.toArray(String[]::new);
    }

    private static Set<String> documents() {
        Set<String> docs = new LinkedHashSet<>();
        TRANSLATIONS.forEach((english, spanish) -> {
            docs.add(english);
            docs.add(spanish);
        });
        return docs;
    }

    private static String read(String doc) throws IOException {
        return Files.readString(ROOT.resolve(doc));
    }
}
