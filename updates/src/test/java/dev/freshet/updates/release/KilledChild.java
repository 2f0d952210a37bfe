package dev.freshet.updates.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Runs a crash test's child JVM on a store until it says "ready", lets it work a random while, then kills it (-9). */
public final class KilledChild {
    private KilledChild() {
    }

    public static void runAndKill(Class<?> main, Path data, int fromMillis, int toMillis) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), main.getName(), data.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String first = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(first).isEqualTo("ready");
            Thread.sleep(ThreadLocalRandom.current().nextInt(fromMillis, toMillis));
        } finally {
            child.destroyForcibly().waitFor(); // kill -9, somewhere inside the child's loop
        }
    }
}
