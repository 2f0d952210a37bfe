package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

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
