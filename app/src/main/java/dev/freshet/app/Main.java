package dev.freshet.app;

import dev.freshet.app.bench.BenchCommand;
import dev.freshet.engine.parse.TreeSitterParser;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
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
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // Answered before picocli reads every command's annotations, which costs most of a second.
            System.out.println(new Version().getVersion()[0]);
            System.exit(ExitCodes.OK);
        }
        preload();
        System.exit(commandLine(args).execute(args));
    }

    /**
     * Sets up, on another core while picocli reads the command line, what costs tens of milliseconds
     * whatever the arguments: the JSON mapper (every command's --json) and tree-sitter's native library
     * with its downcall handles (every command that parses). A command reaching either first waits for
     * it; a failure is left to the command that needs the part, which reports it.
     */
    private static void preload() {
        Thread thread = new Thread(() -> {
            try {
                MethodHandles.lookup().ensureInitialized(JsonOutput.class);
                TreeSitterParser.runtimeLibrary();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // reported by the command that uses the part
            }
        }, "freshet-preload");
        thread.setDaemon(true);
        thread.start();
    }

    /** The whole command tree: what help, usage and unknown commands need. */
    static CommandLine commandLine() {
        return configured(new CommandLine(new Main()));
    }

    /**
     * Only the branch {@code args} name when their first word is a command, else the whole tree. picocli
     * reads the annotations of every command in a tree it builds, which costs about half a second of CPU
     * per run (its classes, compiled for Java 5, are verified and interpreted: the AOT cache cannot hold them).
     */
    static CommandLine commandLine(String... args) {
        for (Class<?> command : Main.class.getAnnotation(Command.class).subcommands()) {
            String name = command.getAnnotation(Command.class).name();
            if (args.length > 0 && args[0].equals(name) && !name.equals("help")) {
                CommandLine root = new CommandLine(CommandLine.Model.CommandSpec.create().name("freshet")
                        .mixinStandardHelpOptions(true).versionProvider(new Version()));
                return configured(root.addSubcommand(name, command));
            }
        }
        return commandLine();
    }

    private static CommandLine configured(CommandLine cli) {
        acceptJsonEverywhere(cli);
        reflowHelp(cli);
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
     * it; the others (a group that prints its usage, say) get the same mixin here.
     */
    private static void acceptJsonEverywhere(CommandLine command) {
        if (!command.getCommandSpec().optionsMap().containsKey("--json")) {
            command.addMixin("json", new JsonOutput());
        }
        command.getSubcommands().values().stream().distinct().forEach(Main::acceptJsonEverywhere);
    }

    /**
     * Descriptions are written as source lines of about 100 characters; picocli prints each line as
     * its own paragraph and wraps it at the terminal's width, which would leave ragged halves. Lines
     * that continue a sentence are joined here so picocli wraps whole paragraphs; an empty line, an
     * indented line or a list item ("- ") starts a new one.
     */
    private static void reflowHelp(CommandLine command) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        spec.usageMessage().description(paragraphs(spec.usageMessage().description()));
        spec.usageMessage().footer(paragraphs(spec.usageMessage().footer()));
        for (CommandLine.Model.OptionSpec option : List.copyOf(spec.options())) {
            String[] joined = paragraphs(option.description());
            if (joined.length != option.description().length && option.group() == null) { // picocli cannot replace a grouped one
                spec.remove(option);
                spec.addOption(option.toBuilder().description(joined).build());
            }
        }
        command.getSubcommands().values().stream().distinct().forEach(Main::reflowHelp);
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
