package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/jdk.sh}, which {@code ./freshet} and {@code ./build} source to find a JDK: read with the
 * shell's built-ins (no program is started for it), run here by {@code /bin/sh} against made-up JDKs.
 */
class JdkScriptTest {
    private static final Path SCRIPT = DeployFiles.ROOT.resolve("bin/jdk.sh");

    @TempDir
    Path tmp;

    /** A directory that looks like a JDK: executable bin/java and bin/javac, and the given release file (null: none). */
    private Path jdk(String name, String release) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name));
        Path bin = Files.createDirectories(home.resolve("bin"));
        for (String tool : new String[] {"java", "javac"}) {
            Path file = Files.writeString(bin.resolve(tool), "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (release != null) {
            Files.writeString(home.resolve("release"), release);
        }
        return home;
    }

    /** Runs {@code script} after sourcing jdk.sh; returns its standard output, trimmed, or the exit code's message. */
    private String sh(String script, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", ". \"$1\"; " + script, "sh", SCRIPT.toString());
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() == 0 ? out : "exit " + process.exitValue() + ": " + out;
    }

    private String major(Path home) throws Exception {
        return sh("freshet_java_major \"$JDK\"; echo \"[$java_major]\"", Map.of("JDK", home.toString()));
    }

    @Test
    void readsTheFeatureVersionFromTheReleaseFileInEveryFormItTakes() throws Exception {
        assertThat(major(jdk("temurin", "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\nOS_NAME=\"Linux\"\n"))).isEqualTo("[25]");
        assertThat(major(jdk("old", "JAVA_VERSION=\"1.8.0_392\"\n"))).isEqualTo("[8]");
        assertThat(major(jdk("bare", "JAVA_VERSION=\"17\"\n"))).isEqualTo("[17]");
        assertThat(major(jdk("early-access", "JAVA_VERSION=\"26-ea\"\n"))).isEqualTo("[26]");
        // The last line without its newline is read too.
        assertThat(major(jdk("no-newline", "OS_NAME=\"Linux\"\nJAVA_VERSION=\"21.0.2\""))).isEqualTo("[21]");
        assertThat(major(jdk("unversioned", "IMPLEMENTOR=\"x\"\n"))).isEqualTo("[]");
        assertThat(major(jdk("no-release", null))).isEqualTo("[]");
        assertThat(major(tmp.resolve("missing"))).isEqualTo("[]");
    }

    @Test
    void takesJavaHomeWhenItIsAJdkOfTheRequiredVersionAndRemembersASearchedOne() throws Exception {
        Path jdk25 = jdk("jdk-25", "JAVA_VERSION=\"25.0.3\"\n");
        Path jdk17 = jdk("jdk-17", "JAVA_VERSION=\"17.0.9\"\n");
        assertThat(sh("freshet_find_jdk && echo \"$JAVA_HOME $java_major\"", Map.of("JAVA_HOME", jdk25.toString())))
                .isEqualTo(jdk25 + " 25");
        // A JAVA_HOME too old is passed over; the JDK remembered from an earlier search is taken instead.
        Path cache = Files.createDirectories(tmp.resolve("cache/freshet")).resolve("jdk-home");
        Files.writeString(cache, jdk25 + "\n");
        assertThat(sh("freshet_find_jdk && echo \"$JAVA_HOME $java_major\"", Map.of("JAVA_HOME", jdk17.toString())))
                .isEqualTo(jdk25 + " 25");
        // A remembered JDK that is too old is not taken on trust.
        Files.writeString(cache, jdk17.toString());
        assertThat(sh("freshet_is_jdk \"$(cat \"$XDG_CACHE_HOME/freshet/jdk-home\")\" && echo yes || echo no", Map.of()))
                .isEqualTo("no");
    }
}
