package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/** What every command promises, checked over the whole picocli tree so a new command cannot forget it. */
class CommandTreeTest {
    private static List<CommandLine> everyCommand() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        return all.stream().filter(c -> !(c.getCommand() instanceof CommandLine.HelpCommand)).toList();
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }

    @Test
    void theTreeHoldsEveryCommand() {
        assertThat(everyCommand()).hasSizeGreaterThan(40)
                .extracting(c -> c.getCommandSpec().qualifiedName()).contains("freshet scan", "freshet rules test", "freshet repo init",
                        "freshet bench swap", "freshet update watch");
    }

    /** main builds only the branch a command line names; it must be that branch of the whole tree, options and all. */
    @Test
    void theBranchBuiltForACommandIsThatBranchOfTheWholeTree() {
        CommandLine whole = Main.commandLine();
        for (String name : whole.getSubcommands().keySet()) {
            CommandLine branch = Main.commandLine(name, "--help");
            if (name.equals("help")) {
                assertThat(branch.getSubcommands()).hasSameSizeAs(whole.getSubcommands());
                continue;
            }
            assertThat(branch.getSubcommands()).as("the class of \"" + name + "\" must be named after it, as Main.commandLine expects")
                    .containsOnlyKeys(name);
            assertThat(shape(branch.getSubcommands().get(name))).as(name).isEqualTo(shape(whole.getSubcommands().get(name)));
            StringWriter version = new StringWriter();
            branch.getSubcommands().get(name).printVersionHelp(new PrintWriter(version), CommandLine.Help.Ansi.OFF);
            assertThat(version.toString()).as(name + " --version").startsWith("freshet ");
        }
        assertThat(Main.commandLine("no-such-command").getSubcommands()).hasSameSizeAs(whole.getSubcommands());
        assertThat(Main.commandLine().getSubcommands()).hasSameSizeAs(whole.getSubcommands());
    }

    /** Each command of a branch with its options and parameters. */
    private static List<String> shape(CommandLine branch) {
        List<CommandLine> commands = new ArrayList<>();
        collect(branch, commands);
        return commands.stream().map(c -> c.getCommandSpec().qualifiedName() + " " + c.getCommandSpec().optionsMap().keySet().stream()
                .sorted().toList() + " " + c.getCommandSpec().positionalParameters().size()).toList();
    }

    @Test
    void everyCommandAcceptsJson() {
        assertThat(everyCommand()).allSatisfy(command -> {
            CommandSpec spec = command.getCommandSpec();
            assertThat(spec.optionsMap()).as(spec.qualifiedName()).containsKey("--json");
            // Accepted on a real parse (with --help, required parameters are not demanded).
            CommandLine.ParseResult parsed = command.parseArgs("--json", "--help");
            assertThat(parsed.hasMatchedOption("--json")).as(spec.qualifiedName()).isTrue();
        });
    }

    @Test
    void everyCommandsHelpHasAnExample() {
        assertThat(everyCommand()).allSatisfy(command -> assertThat(String.join("\n", command.getCommandSpec().usageMessage().footer()))
                .as(command.getCommandSpec().qualifiedName()).contains("Example").contains("freshet "));
    }

    @Test
    void everySummaryIsAWholeSentence() {
        assertThat(everyCommand()).allSatisfy(command -> {
            CommandSpec spec = command.getCommandSpec();
            String[] header = spec.usageMessage().header();
            String summary = header.length > 0 ? header[0] : spec.usageMessage().description()[0];
            assertThat(summary).as(spec.qualifiedName() + " as its parent lists it").endsWith(".");
        });
    }

    @Test
    void helpTextIsReflowedIntoParagraphsSoTheTerminalWrapsWholeSentences() {
        assertThat(Main.paragraphs(new String[] {"Run rules against", "their tests.", "", "Examples:", "  freshet a", "  freshet b",
                "- one item", "continued", "- two"}))
                .containsExactly("Run rules against their tests.", "", "Examples:", "  freshet a", "  freshet b", "- one item continued", "- two");
        String help = Main.commandLine().getSubcommands().get("bench").getSubcommands().get("scan").getUsageMessage();
        assertThat(help).as("one paragraph, wrapped by picocli").contains("until the\ncopy holds --files files");
    }
}
