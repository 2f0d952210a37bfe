package dev.freshet.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code freshet} command line. */
@Command(name = "freshet",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Keeps a security analysis engine's knowledge current and safe, and applies it.",
        subcommands = {ScanCommand.class, RulesCommand.class, UpdateCommand.class, SourcesCommand.class, OverridesCommand.class,
                FeedsCommand.class, ProjectsCommand.class, ModelsCommand.class, RepoCommand.class, ServeCommand.class, KeysCommand.class, TenantsCommand.class, RolloutCommand.class, BenchCommand.class,
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
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError userError) {
                commandLine.getErr().println("freshet: " + userError.getMessage());
                return ExitCodes.ERROR;
            }
            org.slf4j.LoggerFactory.getLogger(Main.class).error("internal error in '{}'", String.join(" ", parseResult.originalArgs()), e);
            commandLine.getErr().println("freshet: internal error: " + e + " (details logged above; please report it)");
            return ExitCodes.ERROR;
        });
        return cli;
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/freshet-version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"freshet " + properties.getProperty("version", "unknown")};
        }
    }
}
