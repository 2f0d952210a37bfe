package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} and {@code update watch} as real processes: SIGTERM stops them cleanly with exit code 0. */
class StopOnSignalTest {
    @TempDir
    Path tmp;

    /** A running {@code freshet} process and the file its standard error goes to (a pipe loses what is left unread at exit). */
    private record Running(Process process, Path err) {
        boolean awaitLine(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && process.isAlive()) {
                if (errText().contains(text)) {
                    return true;
                }
                Thread.sleep(100);
            }
            return false;
        }

        String errText() {
            try {
                return Files.readString(err);
            } catch (IOException e) {
                return "cannot read " + err + ": " + e;
            }
        }
    }

    private Running start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        return new Running(process, err);
    }

    private static int terminate(Running running) throws InterruptedException {
        running.process().destroy(); // SIGTERM
        assertThat(running.process().waitFor(60, TimeUnit.SECONDS)).as(running.errText()).isTrue();
        return running.process().exitValue();
    }

    @Test
    void serveStopsOnSigtermWithExitCodeZeroAndOneStop() throws Exception {
        Running serve = start("serve", "--port", "0", "--config", ServeFixture.config(tmp).toString());
        assertThat(serve.awaitLine("serving on")).as(serve.errText()).isTrue();
        assertThat(terminate(serve)).as(serve.errText()).isZero();
        assertThat(serve.errText()).contains("freshet: stopped").doesNotContain("Multiple calls to stop()").doesNotContain("Exception");
    }

    @Test
    void watchChecksItsSourcesAtOnceAndStopsOnSigterm() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(rules.resolve("no-pickle.yaml"), """
                rules:
                  - id: no-pickle-loads
                    message: pickle.loads of untrusted data
                    severity: ERROR
                    languages: [python]
                    pattern: pickle.loads(...)
                """);
        Path config = ServeFixture.config(tmp);
        // A schedule that fires once a year: only the check at start can release the rule within this test.
        Files.writeString(config, Files.readString(config) + """

                [[sources]]
                name = "mine"
                kind = "local"
                location = "mine"
                schedule = "0 0 0 1 1 *"
                """);
        CliRun first = CliRun.of("update", "check", "--config", config.toString());
        assertThat(first.out()).as(first.err()).contains("1 rules");
        // Checked a moment ago on a yearly schedule: the scheduler will not check it again; only the check at start can.
        Files.writeString(rules.resolve("no-marshal.yaml"), """
                rules:
                  - id: no-marshal-loads
                    message: marshal.loads of untrusted data
                    severity: ERROR
                    languages: [python]
                    pattern: marshal.loads(...)
                """);
        Running watch = start("update", "watch", "--config", config.toString());
        assertThat(watch.awaitLine("watching")).as(watch.errText()).isTrue();
        String status = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!status.contains("(2 rules") && System.nanoTime() < deadline && watch.process().isAlive()) {
            Thread.sleep(500);
            status = CliRun.of("update", "status", "--config", config.toString()).out();
        }
        assertThat(status).as(watch.errText()).contains("(2 rules");
        assertThat(terminate(watch)).as(watch.errText()).isZero();
        assertThat(watch.errText()).contains("freshet: stopped").doesNotContain("Multiple calls to stop()");
    }
}
