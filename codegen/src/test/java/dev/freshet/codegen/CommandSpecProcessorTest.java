package dev.freshet.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor on small sources, beside a stand-in for picocli's annotations (the processor knows them by
 * name). That the models it writes for Freshet's commands are picocli's own is checked in the app, against
 * picocli's reflection (CommandTreeTest).
 */
class CommandSpecProcessorTest {
    private static final String PICOCLI = """
            package picocli;
            public class CommandLine {
                public @interface Command { String name() default ""; String[] description() default {};
                    boolean mixinStandardHelpOptions() default false; Class<?>[] subcommands() default {}; }
                public @interface Option { String[] names(); String[] description() default {}; boolean hidden() default false;
                    String defaultValue() default ""; String arity() default ""; }
                public @interface Parameters { String arity() default ""; String paramLabel() default ""; }
                public @interface Mixin { String name() default ""; }
                public @interface Spec { }
                public @interface ArgGroup { boolean exclusive() default true; }
            }
            """;

    @TempDir
    Path out;

    @Test
    void anAttributeTheModelDoesNotWriteStopsTheBuildNamingIt() throws IOException {
        Result result = process("""
                package demo;
                import picocli.CommandLine.*;
                @Command(name = "run")
                class RunCommand {
                    @Option(names = "--secret", hidden = true) String secret;
                }
                """);
        assertThat(result.errors()).singleElement().asString().contains("@Option(hidden = ...) is not written into the generated picocli model");
        assertThat(result.generated("demo/RunCommandSpec.java")).isNull();
    }

    @Test
    void aPrivateFieldStopsTheBuild() throws IOException {
        Result result = process("""
                package demo;
                import picocli.CommandLine.*;
                @Command(name = "run")
                class RunCommand {
                    @Option(names = "--limit") private int limit;
                }
                """);
        assertThat(result.errors()).singleElement().asString().contains("sets RunCommand.limit directly; make it package-private");
    }

    @Test
    void writesEachCommandsModelAndLeavesArgumentGroupsToPicocli() throws IOException {
        Result result = process("""
                package demo;
                import java.util.List;
                import picocli.CommandLine.*;
                @Command(name = "tool", subcommands = {Tool.Run.class, Tool.Choose.class}, mixinStandardHelpOptions = true)
                class Tool {
                    @Command(name = "run")
                    static class Run {
                        @Parameters(paramLabel = "FILE") List<String> files;
                        @Option(names = "--limit", defaultValue = "3") int limit;
                        @Option(names = "--dry") boolean dry;
                        @Mixin Shared shared;
                    }
                    @Command(name = "choose")
                    static class Choose {
                        @ArgGroup Either either;
                    }
                    static class Either {
                        @Option(names = "--a") boolean a;
                    }
                }
                class Shared {
                    @Option(names = "--json") boolean json;
                }
                """);
        assertThat(result.errors()).isEmpty();
        String tool = result.generated("demo/ToolSpec.java");
        assertThat(tool)
                .contains("public static CommandSpec spec(demo.Tool.Run command)")
                .contains("spec.addSubcommand(\"run\", new CommandLine(demo.ToolSpec.spec(new demo.Tool.Run())))")
                // picocli's reflection builds the command with an argument group, and nothing here models the group
                .contains("spec.addSubcommand(\"choose\", new CommandLine(new demo.Tool.Choose()))")
                .doesNotContain("spec(demo.Tool.Choose command)").doesNotContain("spec(demo.Tool.Either command)")
                // picocli's default arities: at most one value at each position for a list, none for a boolean option
                .contains("PositionalParamSpec.builder().type(java.util.List.class).auxiliaryTypes(java.lang.String.class)"
                        + ".arity(CommandLine.Range.valueOf(\"0..1\").unspecified(true)).required(false)")
                .contains("OptionSpec.builder(\"--dry\").type(boolean.class).arity(CommandLine.Range.valueOf(\"0\").unspecified(true))")
                .contains(".defaultValue(\"3\")")
                .contains("command.shared = new demo.Shared();").contains("spec.addMixin(\"shared\", demo.SharedSpec.spec(command.shared))")
                .contains("case 1 -> command.limit = (java.lang.Integer) value;")
                .contains("public static CommandLine subcommand(String name)");
        assertThat(result.generated("demo/SharedSpec.java")).contains("public static CommandSpec spec(demo.Shared command)");
    }

    private record Result(List<String> errors, Path sources) {
        String generated(String path) throws IOException {
            Path file = sources.resolve(path);
            return Files.exists(file) ? Files.readString(file) : null;
        }
    }

    private Result process(String source) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path generated = Files.createDirectories(out.resolve("generated"));
        JavaCompiler.CompilationTask task = compiler.getTask(null, null, diagnostics,
                List.of("-proc:only", "-s", generated.toString(), "-d", Files.createDirectories(out.resolve("classes")).toString()),
                null, List.of(new Source("picocli/CommandLine.java", PICOCLI), new Source("demo/Input.java", source)));
        task.setProcessors(List.of(new CommandSpecProcessor()));
        task.call();
        // The processor's errors; the stand-in picocli has no programmatic API, so the generated code itself does not compile.
        List<String> errors = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .filter(d -> d.getSource() == null || d.getSource().getName().endsWith("Input.java"))
                .map(d -> d.getMessage(Locale.ROOT)).toList();
        return new Result(errors, generated);
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String path, String code) {
            super(URI.create("string:///" + path), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
