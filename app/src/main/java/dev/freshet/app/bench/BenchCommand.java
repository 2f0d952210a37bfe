package dev.freshet.app.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code freshet bench ...}: benchmarks that print figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print measured figures.",
        subcommands = {ScanBenchCommand.class, SwapBenchCommand.class, FreshnessBenchCommand.class, HttpBenchCommand.class,
                ReliabilityBenchCommand.class, ModelsBenchCommand.class, RolloutBenchCommand.class,
                RescanBenchCommand.class, FeedbackBenchCommand.class,
                NotifyBenchCommand.class, GenerationBenchCommand.class},
        footer = {"", "Examples:", "  freshet bench scan --rules rules/ --input rules/ --files 5000",
                "  freshet bench swap --rules rules/ --input rules/ --seconds 10", "  freshet bench http --seconds 20",
                "  freshet bench reliability", "  freshet bench feedback --json", "  freshet bench notify", "  freshet bench generation", "  freshet bench models --csic ../shared/data/waf/csic2010"})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
