package dev.freshet.app;

import dev.freshet.app.bench.ReliabilityBenchCommand;
import dev.freshet.app.bench.ModelsBenchCommand;
import picocli.CommandLine.Command;

/** {@code freshet bench ...}: benchmarks that print figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print measured figures.",
        subcommands = {ScanBenchCommand.class, SwapBenchCommand.class, FreshnessBenchCommand.class, HttpBenchCommand.class,
                ReliabilityBenchCommand.class, ModelsBenchCommand.class, RolloutBenchCommand.class},
        footer = {"", "Examples:", "  freshet bench scan --rules rules/ --input rules/ --files 5000",
                "  freshet bench swap --rules rules/ --input rules/ --seconds 10", "  freshet bench http --seconds 20",
                "  freshet bench reliability"})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
