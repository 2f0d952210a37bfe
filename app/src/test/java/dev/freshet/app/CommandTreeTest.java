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
            assertThat(branch.getSubcommands()).as(name).containsOnlyKeys(name);
            assertThat(shape(branch.getSubcommands().get(name))).as(name).isEqualTo(shape(whole.getSubcommands().get(name)));
            StringWriter version = new StringWriter();
            branch.getSubcommands().get(name).printVersionHelp(new PrintWriter(version), CommandLine.Help.Ansi.OFF);
            assertThat(version.toString()).as(name + " --version").startsWith("freshet ");
        }
        assertThat(Main.commandLine("no-such-command").getSubcommands()).hasSameSizeAs(whole.getSubcommands());
        assertThat(Main.commandLine().getSubcommands()).hasSameSizeAs(whole.getSubcommands());
    }

    /**
     * The model the build writes from the annotations (dev.freshet.codegen.CommandSpecProcessor) is the one
     * picocli's reflection builds from them: every command's usage text, and every option's and parameter's
     * attributes, initial value included.
     */
    @Test
    void theGeneratedModelOfEveryCommandIsTheOnePicocliReflectionBuilds() {
        List<CommandLine> generated = new ArrayList<>();
        collect(Main.commandLine(), generated);
        List<CommandLine> reflected = new ArrayList<>();
        collect(Main.configured(new CommandLine(new Main())), reflected);
        assertThat(generated).hasSameSizeAs(reflected);
        for (int i = 0; i < generated.size(); i++) {
            CommandSpec spec = generated.get(i).getCommandSpec();
            CommandSpec expected = reflected.get(i).getCommandSpec();
            assertThat(spec.qualifiedName()).isEqualTo(expected.qualifiedName());
            assertThat(model(spec)).as(spec.qualifiedName()).isEqualTo(model(expected));
            assertThat(generated.get(i).getUsageMessage(CommandLine.Help.Ansi.OFF)).as(spec.qualifiedName())
                    .isEqualTo(reflected.get(i).getUsageMessage(CommandLine.Help.Ansi.OFF));
        }
    }

    /** What picocli parses and prints by: the command's texts, mixins and subcommands, each argument's attributes. */
    private static List<String> model(CommandSpec spec) {
        List<String> model = new ArrayList<>(List.of(spec.name(), List.of(spec.aliases()).toString(), List.of(spec.usageMessage().header()).toString(),
                List.of(spec.usageMessage().description()).toString(), List.of(spec.usageMessage().footer()).toString(),
                spec.mixins().keySet().toString(), spec.subcommands().keySet().toString(), String.valueOf(spec.argGroups().size())));
        for (CommandLine.Model.ArgSpec arg : spec.args()) {
            model.add(String.join(" | ", arg instanceof CommandLine.Model.OptionSpec option
                            ? List.of(option.names()).toString() + " negatable " + option.negatable() + " fallback " + option.fallbackValue()
                            + " usageHelp " + option.usageHelp() + " versionHelp " + option.versionHelp() + " order " + option.order()
                            : "index " + ((CommandLine.Model.PositionalParamSpec) arg).index(),
                    "arity " + arg.arity() + (arg.arity().isUnspecified() ? " unspecified" : ""), "required " + arg.required(), "type " + arg.type().getName(),
                    "auxiliary " + List.of(arg.auxiliaryTypes()), "label " + arg.paramLabel(), "description " + List.of(arg.description()),
                    "default " + arg.defaultValue(), "initial " + arg.initialValue() + " " + arg.hasInitialValue(), "split " + arg.splitRegex(),
                    "hidden " + arg.hidden(), "interactive " + arg.interactive(), "key " + arg.descriptionKey(),
                    "show default " + arg.showDefaultValue(), "scope " + arg.scopeType(), "inherited " + arg.inherited(),
                    "multi " + arg.isMultiValue(), "group " + (arg.group() != null)));
        }
        return model;
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
