package dev.freshet.app;

import dev.freshet.app.bench.BenchCommand;
import dev.freshet.engine.hash.Sha256;
import dev.freshet.engine.parse.TreeSitterParser;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleServiceProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code freshet} command line. */
@Command(name = "freshet",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Keeps a security analysis engine's knowledge current and safe, and applies it.",
        subcommands = {ScanCommand.class, RulesCommand.class, UpdateCommand.class, SourcesCommand.class, OverridesCommand.class,
                FeedsCommand.class, ProjectsCommand.class, ModelsCommand.class, RepoCommand.class, ServeCommand.class, KeysCommand.class, TenantsCommand.class, CreditsCommand.class, ResearchCommand.class, RolloutCommand.class, FeedbackCommand.class,
                ContributionsCommand.class, NotifyCommand.class, BackupCommand.class, RestoreCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Example:", "  freshet scan src/ --rules rules/ --format sarif --output findings.sarif"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        avoidClassPathSearches();
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // Answered before picocli reads every command's annotations, which costs most of a second.
            System.out.println(new Version().getVersion()[0]);
            exit(ExitCodes.OK);
        }
        preload();
        exit(commandLine(args).execute(args));
    }

    /**
     * A search of the class path opens each of its hundred jars: tens of milliseconds of a run, whatever
     * the command. Two libraries search it for something that can be named in advance: SLF4J for its
     * provider (slf4j-simple), picocli for Groovy's closure class (never there); the JDK's own, for a
     * System.Logger to log System.exit with, is left out by {@link #exit(int)}. The properties are set
     * only where the user did not choose otherwise.
     */
    private static void avoidClassPathSearches() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", SimpleServiceProvider.class.getName());
            System.setProperty("slf4j.internal.verbosity", "WARN"); // else SLF4J announces the named provider on stderr
        }
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
    }

    /**
     * Sets up, on another core while picocli reads the command line, what costs tens of milliseconds
     * whatever the arguments: tree-sitter's native library (every command that parses), and the SHA-256
     * digest, whose first lookup sets up the security providers (every rule read is hashed). A command
     * reaching one of them first waits for it; a failure is left to the command that needs the part,
     * which reports it. (A JSON mapper made here cost more CPU than it saved: the scan's two cores are busy.)
     */
    private static void preload() {
        Thread thread = new Thread(() -> {
            try {
                TreeSitterParser.runtimeLibrary();
                MethodHandles.lookup().ensureInitialized(Sha256.class);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // reported by the command that uses the part
            }
        }, "freshet-preload");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Ends the process once a command has returned. Not through System.exit: since JDK 21 it first looks
     * for a System.Logger backend to log the exit with, which searches all the jars and costs about
     * 50 ms of CPU, a tenth of a small scan. Halting skips shutdown hooks; Freshet registers none
     * ({@code ArchitectureTest} keeps it so), and a command closes what it opened before it returns.
     */
    static void exit(int code) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    /**
     * The whole command tree: what help, usage and unknown commands need. Built from the picocli model the
     * build wrote from the commands' annotations ({@link MainSpec}): picocli reading the annotations
     * itself made the JDK generate a class per annotation type, tens of milliseconds on every command.
     */
    static CommandLine commandLine() {
        return configured(new CommandLine(MainSpec.spec(new Main())));
    }

    /** Only the branch {@code args} name when their first word is a command, else the whole tree. */
    static CommandLine commandLine(String... args) {
        CommandLine branch = args.length > 0 && !args[0].equals("help") ? MainSpec.subcommand(args[0]) : null;
        if (branch == null) {
            return commandLine();
        }
        // The root only names the branch: its own options could not follow a command's name.
        CommandLine root = new CommandLine(CommandLine.Model.CommandSpec.create().name("freshet"));
        root.addSubcommand(args[0], branch);
        everyCommand(branch);
        return handled(root);
    }

    /** The tree made ready to run: see {@link #everyCommand} and {@link #handled}. */
    static CommandLine configured(CommandLine cli) {
        everyCommand(cli);
        return handled(cli);
    }

    /**
     * Help text reflowed, errors reported as the conventions say, and paths converted by {@link Path#of} (picocli
     * calls Paths.get through reflection, which made method handles on every command), in the whole tree.
     */
    private static CommandLine handled(CommandLine cli) {
        cli.registerConverter(Path.class, Path::of);
        cli.setHelpFactory((spec, colors) -> new CommandLine.Help(reflowed(spec), colors));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError userError) {
                commandLine.getErr().println("freshet: " + userError.getMessage());
                return ExitCodes.ERROR;
            }
            LoggerFactory.getLogger(Main.class).error("internal error in '{}'", String.join(" ", parseResult.originalArgs()), e);
            commandLine.getErr().println("freshet: internal error: " + e + " (details logged above; please report it)");
            return ExitCodes.ERROR;
        });
        return cli;
    }

    /**
     * Every command takes {@code --json}: those that print results declare {@link JsonOutput} and honour
     * it; the others (a group that prints its usage, say) get the same mixin here. And every command's
     * {@code --version} prints Freshet's.
     */
    private static void everyCommand(CommandLine command) {
        if (!command.getCommandSpec().optionsMap().containsKey("--json")) {
            command.getCommandSpec().addMixin("json", JsonOutputSpec.spec(new JsonOutput()));
        }
        command.getCommandSpec().versionProvider(new Version());
        command.getSubcommands().values().stream().distinct().forEach(Main::everyCommand);
    }

    /**
     * Descriptions are written as source lines of about 100 characters; picocli prints each line as
     * its own paragraph and wraps it at the terminal's width, which would leave ragged halves. Lines
     * that continue a sentence are joined here so picocli wraps whole paragraphs; an empty line, an
     * indented line or a list item ("- ") starts a new one. Done as help is shown, the only use of
     * descriptions (a command that runs saves the work); doing it twice changes nothing.
     */
    private static CommandLine.Model.CommandSpec reflowed(CommandLine.Model.CommandSpec spec) {
        spec.usageMessage().description(paragraphs(spec.usageMessage().description()));
        spec.usageMessage().footer(paragraphs(spec.usageMessage().footer()));
        for (CommandLine.Model.OptionSpec option : List.copyOf(spec.options())) {
            String[] joined = paragraphs(option.description());
            if (joined.length != option.description().length && option.group() == null) { // picocli cannot replace a grouped one
                spec.remove(option);
                spec.addOption(option.toBuilder().description(joined).build());
            }
        }
        return spec;
    }

    static String[] paragraphs(String[] lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            boolean startsParagraph = out.isEmpty() || out.getLast().isEmpty() || line.isEmpty() || Character.isWhitespace(line.charAt(0))
                    || line.startsWith("- ");
            if (startsParagraph) {
                out.add(line);
            } else {
                out.set(out.size() - 1, out.getLast() + " " + line);
            }
        }
        return out.toArray(String[]::new);
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"freshet " + FreshetVersion.current()};
        }
    }
}
